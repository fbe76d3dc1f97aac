import Foundation
import LeadRecords
import PipelineSpec
import Testing
@testable import DedupeStage

/// The rules that keep dedupe's weights and links sane on lists it was not tuned on, each on rows shaped like
/// the false links seen on an independent generator: colleagues at one large account who share a first name,
/// the company, its home city and its email domain, but not a surname or a mailbox.
@Suite struct RobustnessRuleTests {
    /// A large account's colleagues (same first name, domain, company and city; different surnames and
    /// mailboxes), a person written twice (once with names swapped), and a married colleague whose LinkedIn
    /// profile says she is one person under two surnames.
    static let account: [(values: [String], entity: String)] = [
        (LeadList.row("H1", "Hugues", "Pelletier", "hpelletier@roussel6.fr", company: "Roussel", phone: "+33 1 42 68 53 11", city: "Baillynec"), "P-pelletier"),
        (LeadList.row("H2", "Hugues", "Becker", "hbecker@roussel6.fr", company: "Roussel SAS", phone: "+33 1 42 68 53 12", city: "Baillynec"), "P-becker"),
        (LeadList.row("H3", "Hugues", "Pelletier", "", company: "ROUSSEL", phone: "+33 1 42 68 53 11", city: "Baillynec"), "P-pelletier"),
        (LeadList.row("H4", "Pelletier", "Hugues", "hpelletier@roussel6.fr", company: "Roussel", city: "Baillynec"), "P-pelletier"),
        (LeadList.row("H5", "Hugues", "Martin", "hugues.martin@gmail.com", company: "Roussel", city: "Baillynec"), "P-martin"),
    ]

    static func run(_ extra: [(values: [String], entity: String)], rows: Int = 1500,
                    options: [String: OptionValue] = [:]) throws -> (LeadList, DedupeRun) {
        var list = LeadList(generated: rows, extra: extra)
        var stage = try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options, given: options),
                                    context: StageContext(pipelineFile: "test.yml"))
        stage.keepsResolution = true
        let run = try stage.bind(schema: &list.schema, columns: list.bindings).processAll(&list.records)
        return (list, run)
    }

    static func explanation(_ stage: DedupeRun, _ list: LeadList, _ a: String, _ b: String) throws -> MatchExplanation {
        let inspection = try stage.inspect(lines: list.row(withID: a).line, list.row(withID: b).line)
        return inspection.explanation
    }

    @Test func twoWorkMailboxesAtOneDomainWithDifferentSurnamesAreNeverLinked() throws {
        let (list, stage) = try Self.run(Self.account)
        #expect(list.value("entity_id", ofID: "H1") != list.value("entity_id", ofID: "H2"))
        let why = try Self.explanation(stage, list, "H1", "H2")
        #expect(why.rule == "distinct_work_mailboxes")
        #expect(why.probability < 1e-6)
        // The same person written twice is still found.
        #expect(list.value("entity_id", ofID: "H1") == list.value("entity_id", ofID: "H3"))
    }

    @Test func theEmployersCityAndCountryAreSkippedWhenTheEmailDomainAgrees() throws {
        let (list, stage) = try Self.run(Self.account)
        let why = try Self.explanation(stage, list, "H1", "H2")
        let city = try #require(why.contributions.first { $0.field == "city" })
        #expect(city.level == "skipped")
        #expect(city.note == "implied_by: email")
        #expect(city.weight == 0)
        let company = try #require(why.contributions.first { $0.field == "company" })
        #expect(company.note == "implied_by: email")
        // With a personal address on one side the company shows the employer, and implies the city.
        let personal = try Self.explanation(stage, list, "H1", "H5")
        #expect(personal.contributions.first { $0.field == "city" }?.note == "implied_by: company")
        #expect(list.value("entity_id", ofID: "H1") != list.value("entity_id", ofID: "H5"))
    }

    @Test func aFirstLastSwapIsCalledSwappedAndStillJoins() throws {
        let (list, stage) = try Self.run(Self.account)
        let why = try Self.explanation(stage, list, "H1", "H4")
        #expect(why.contributions.first { $0.field == "first_name" }?.level == "swapped")
        #expect(why.contributions.first { $0.field == "last_name" }?.level == "swapped")
        #expect(why.rule == nil)
        #expect(list.value("entity_id", ofID: "H1") == list.value("entity_id", ofID: "H4"))
    }

    @Test func aSwapWithANicknameOrAnInitialIsStillASwap() throws {
        let settings = DedupeSettings(fields: [
            FieldSpec(name: "first_name", columns: ["first"], comparator: .name, swapWith: "last_name"),
            FieldSpec(name: "last_name", columns: ["last"], comparator: .name),
        ], blocking: [try BlockingRule("last_name")])
        let matcher = try RecordMatcher(settings: settings, rowCount: 4, columns: [
            "first": ["Matt", "Hill", "S.", "Johnson"], "last": ["Hill", "Matthew", "Johnson", "Sarah"],
        ])
        let nickname = matcher.pattern(0, 1)
        #expect(nickname.level(0) == 3 && nickname.level(1) == 4, "Matt ~ Matthew crosswise, Hill = Hill crosswise")
        #expect(matcher.isSwapped(0, 1, field: 0))
        let initial = matcher.pattern(2, 3)
        #expect(initial.level(0) == 1 && initial.level(1) == 4, "S. is Sarah's initial, Johnson = Johnson crosswise")
    }

    @Test func aSharedLinkedInProfileOverridesTheMailboxRule() throws {
        var settings = DedupeSettings(fields: [
            FieldSpec(name: "first_name", columns: ["first"], comparator: .name, swapWith: "last_name"),
            FieldSpec(name: "last_name", columns: ["last"], comparator: .name),
            FieldSpec(name: "email", columns: ["email"], comparator: .email),
            FieldSpec(name: "linkedin_url", columns: ["linkedin"], comparator: .exact),
        ], blocking: [try BlockingRule("email.domain")])
        settings.distinctMailboxes = DistinctMailboxRule.derived(from: settings.fields)
        let matcher = try RecordMatcher(settings: settings, rowCount: 3, columns: [
            "first": ["Anna", "Anna", "Anna"], "last": ["Weber", "Krüger", "Schulz"],
            "email": ["aweber@bauer-example.de", "akrueger@bauer-example.de", "aschulz@bauer-example.de"],
            "linkedin": ["https://www.linkedin.com/in/anna-weber-1", "https://www.linkedin.com/in/anna-weber-1", ""],
        ])
        #expect(!matcher.contradicts(0, 1), "one profile, two surnames: a marriage, not two people")
        #expect(matcher.contradicts(0, 2))
        #expect(matcher.contradicts(1, 2))
    }

    @Test func theChainGuardRefusesToJoinGroupsHoldingTwoPeopleByTheMailboxRule() {
        // 0–1 and 2–3 are strong links; 1–2 is a link that would chain rows 0 and 3, which may not share an entity.
        let links = [ScoredPair(a: 0, b: 1, weight: 20), ScoredPair(a: 2, b: 3, weight: 19), ScoredPair(a: 1, b: 2, weight: 18)]
        let clustering = EntityClustering(coherence: 0.0, pairProbability: 0.5)
        let cannotLink = EntityClustering.CannotLink(keys: [7, -1, -1, 7]) { x, y in Set([x, y]) == [0, 3] }
        let guarded = clustering.cluster(rowCount: 4, links: links, pairWeight: { _, _ in 20 }, cannotLink: cannotLink)
        #expect(guarded.entity == [0, 0, 2, 2])
        #expect(guarded.refused == [links[2]])
        // Without the rule, every cross pair looks alike and all four rows become one entity.
        let unguarded = clustering.cluster(rowCount: 4, links: links, pairWeight: { _, _ in 20 })
        #expect(Set(unguarded.entity) == [0])
    }

    // MARK: Weights

    static func nameModel(m: [Double], u: [Double]) -> FellegiSunterModel {
        var model = FellegiSunterModel(fieldNames: ["first_name"], levelNames: [ComparatorKind.name.levelNames])
        model.m = [m]
        model.u = [u]
        return model
    }

    @Test func aLooserAgreementNeverWeighsMoreThanACloserOne() {
        // What EM learned on a 2,000-row list: a typo (8.7 bits) above an exact agreement (5.7 bits).
        let model = Self.nameModel(m: [0.05, 0.02, 0.03, 0.05, 0.40, 0.45],
                                   u: [0.95, 0.01, 0.02, 0.01, 0.001, 0.0085])
        #expect(WeightGuard.problem(model, field: 0, kind: .name) == .disordered)
        let w = WeightGuard.weights(model, kinds: [.name])[0]
        for level in 1..<w.count { #expect(w[level] >= w[level - 1], "\(w)") }
    }

    @Test func aDifferentFamilyNameWeighsAtLeastHalfAsMuchAsAnExactOne() {
        // What EM learned at a million rows: a different surname at −1.7 bits against an exact +9.
        let model = Self.nameModel(m: [0.30, 0.01, 0.02, 0.02, 0.05, 0.60],
                                   u: [0.97, 0.005, 0.01, 0.002, 0.001, 0.0012])
        let w = WeightGuard.weights(model, kinds: [.name])[0]
        #expect(w[0] <= -w[5] / 2)
        #expect(w[0] >= log2(FellegiSunterModel.minimumM))
    }

    @Test func mAndUAreBoundedAwayFromZeroAndOne() {
        let model = Self.nameModel(m: [0, 0, 0, 0, 0, 1], u: [1, 0, 0, 0, 0, 0])
        let w = WeightGuard.weights(model, kinds: [.name])[0]
        #expect(w.allSatisfy { $0.isFinite })
        #expect(w[5] <= log2(FellegiSunterModel.maximumProbability / FellegiSunterModel.floor))
        #expect(w[0] >= log2(FellegiSunterModel.minimumM) - 1e-9)
    }

    @Test func anExactAgreementThatWeighsAgainstIsDegenerate() {
        let model = Self.nameModel(m: [0.5, 0.1, 0.1, 0.1, 0.1, 0.1], u: [0.5, 0.01, 0.01, 0.01, 0.01, 0.46])
        #expect(WeightGuard.problem(model, field: 0, kind: .name) == .inverted)
        #expect(WeightGuard.problem(Self.nameModel(m: ComparatorKind.name.priorM, u: [0.97, 0.005, 0.01, 0.002, 0.001, 0.012]),
                                    field: 0, kind: .name) == nil)
    }

    @Test func emThatDoesNotSettleFallsBackToPriorsAndTheReportSaysSo() throws {
        let (_, stage) = try Self.run(Self.account, rows: 600, options: ["em_iterations": .integer(1)])
        let summary = Dictionary(stage.statistics.report(), uniquingKeysWith: { a, _ in a })
        #expect(summary["em_status"] == .string("fallback_to_priors"))
        guard case .object(let fallbacks)? = summary["em_fallback_fields"] else {
            Issue.record("no em_fallback_fields in \(summary)")
            return
        }
        #expect(fallbacks.contains { $0.0 == "last_name" && $0.1 == .string("not_converged") })
        // The priors' weights, guarded, are what the run used.
        let model = try #require(stage.resolution).matcher.model
        let f = try #require(model.fieldNames.firstIndex(of: "last_name"))
        #expect(model.weight(field: f, level: 5) > 0)
        #expect(model.weight(field: f, level: 0) < 0)
    }
}
