import Foundation
import LeadRecords
import PipelineSpec
import Testing
import TestSupport
@testable import DedupeStage

@Suite struct DedupeStageTests {
    /// Bob Smith three ways at one company, a colleague with the same family name, and a job change.
    static let planted: [(values: [String], entity: String)] = [
        (LeadList.row("X1", "Bob", "Smith", "bob.smith@zyxwidgets.com", company: "Zyx Widgets Inc", phone: "+1 415 555 0199"), "P-bob"),
        (LeadList.row("X2", "Robert", "Smith", "Bob.Smith+crm@ZyxWidgets.com", company: "ZYX WIDGETS", phone: "(415) 555-0199"), "P-bob"),
        (LeadList.row("X3", "R.", "Smith", "", company: "Zyx Widgets, Inc.", phone: "415.555.0199"), "P-bob"),
        (LeadList.row("X4", "Alice", "Smith", "alice.smith@zyxwidgets.com", company: "Zyx Widgets Inc", phone: "+1 415 555 0142"), "P-alice"),
        (LeadList.row("X5", "Wilhelmina", "Quaresma", "wquaresma@oldco-example.com", company: "Oldco Example", phone: "+1 212 555 0101",
                      activity: "2023-01-01"), "P-willa"),
        (LeadList.row("X6", "Wilhelmina", "Quaresma", "wilhelmina.quaresma@gmail.com", company: "Newco Example", phone: "+1 212 555 0101",
                      title: "VP Sales", city: "Boston", activity: "2026-06-01"), "P-willa"),
    ]

    @Test func annotateFindsGeneratedDuplicatesAndAddsTheEntityColumns() throws {
        var list = LeadList(generated: 3000)
        let stage = try list.dedupe()
        let entities = list.column("entity_id")
        let evaluation = PairwiseEvaluation(predicted: entities, truth: list.truth)
        #expect(evaluation.f1 >= 0.9, "\(evaluation)")
        #expect(entities.allSatisfy { $0.hasPrefix("E") })
        #expect(list.records.allSatisfy { $0.isActive })
        // Every row marked as a duplicate points at a row of its own entity and says why.
        let lines = Dictionary(uniqueKeysWithValues: list.records.map { ($0.line, $0) })
        let entityColumn = list.schema.index(of: "entity_id")!
        for record in list.records where !record[list.schema.index(of: "duplicate_of")].isEmpty {
            let target = lines[Int(record[list.schema.index(of: "duplicate_of")])!]!
            #expect(target[entityColumn] == record[entityColumn])
            #expect(Double(record[list.schema.index(of: "match_probability")])! > 0)
            #expect(!record[list.schema.index(of: "match_explain")].isEmpty)
        }
        #expect(stage.statistics.pairsCompared > 0)
        #expect(stage.statistics.pairsPerRule.map(\.0).contains("email"))
        #expect(stage.statistics.duplicateRows > 0)
    }

    @Test func nicknamesPlusTagsAndInitialsJoinButAColleagueDoesNot() throws {
        var list = LeadList(generated: 2000, extra: Self.planted)
        try list.dedupe()
        let bob = list.value("entity_id", ofID: "X1")
        #expect(list.value("entity_id", ofID: "X2") == bob)
        #expect(list.value("entity_id", ofID: "X3") == bob)
        #expect(list.value("entity_id", ofID: "X4") != bob)
        // X2 links to X1 (nickname, one mailbox with its `+crm` tag) or to X3 (initial).
        let explained = list.value("match_explain", ofID: "X2")
        #expect(explained.contains("first_name:nickname") || explained.contains("first_name:initial"), "\(explained)")
    }

    @Test func aJobChangeWithTheSamePhoneIsTheSamePerson() throws {
        var list = LeadList(generated: 2000, extra: Self.planted)
        try list.dedupe()
        #expect(list.value("entity_id", ofID: "X5") == list.value("entity_id", ofID: "X6"))
    }

    @Test func mergeModeKeepsOneGoldenRowPerEntityAndMarksTheRestMerged() throws {
        var list = LeadList(generated: 2000, extra: Self.planted)
        let stage = try list.dedupe([
            "mode": .string("merge"),
            "survivorship": .map([OptionEntry(key: "First Name", value: .string("most_complete"))]),
        ])
        let active = list.records.filter(\.isActive)
        #expect(active.count == stage.statistics.entities)
        let merged = list.records.filter { if case .merged = $0.disposition { true } else { false } }
        #expect(merged.count == list.records.count - stage.statistics.entities)
        // The three Bob Smith rows become one row whose first name is the most complete form.
        let bobRows = ["X1", "X2", "X3"].map { list.row(withID: $0) }
        let survivors = bobRows.filter(\.isActive)
        #expect(survivors.count == 1)
        #expect(survivors[0][list.schema.index(of: "First Name")] == "Robert")
        for row in bobRows where !row.isActive { #expect(row.disposition == .merged(intoLine: survivors[0].line)) }
        // The job change keeps the most recent row's employer (survivorship_default: most_recent).
        let willa = ["X5", "X6"].map { list.row(withID: $0) }.first(where: \.isActive)!
        #expect(willa[list.schema.index(of: "Company")] == "Newco Example")
    }

    @Test func reviewFileListsPairsNearTheThreshold() throws {
        try withTemporaryDirectory { dir in
            var list = LeadList(generated: 2000, extra: Self.planted)
            let stage = try list.dedupe(["review": .string(dir.path("review.csv")), "review_min": .number(0.01)])
            let text = try dir.read("review.csv")
            let lines = text.split(separator: "\n")
            #expect(lines.first == Substring(ReviewFile.header.joined(separator: ",")))
            #expect(lines.count - 1 == stage.statistics.reviewPairs)
            #expect(lines.count > 1)
            #expect(lines.dropFirst().allSatisfy { $0.contains("below_threshold") || $0.contains("linked") || $0.contains("refused_chain") })
        }
    }

    @Test func entityIDsStayTheSameWhenRowsChangeBetweenRuns() throws {
        let memory = InMemoryEntityIDMemory()
        var first = LeadList(generated: 2000, extra: Self.planted)
        try first.dedupe(memory: memory)
        let before = Dictionary(uniqueKeysWithValues: first.records.map { ($0.values[0], first.value("entity_id", ofID: $0.values[0])) })

        // Next week: a new row arrives first (every line shifts) and Bob's rows are edited.
        var extra = Self.planted
        extra[0].values[4] = "Principal Engineer"
        extra[1].values[8] = "USA"
        var second = LeadList(generated: 2000, extra: extra)
        second.records.insert(Record(values: LeadList.row("X0", "Zed", "Newcomer", "zed@newcomer-example.com", company: "Newcomer"),
                                     line: 1), at: 0)
        second.truth.insert("P-zed", at: 0)
        try second.dedupe(memory: memory)
        for id in ["X1", "X2", "X3", "X4", "X5", "X6", "L0000001", "L0000500"] {
            #expect(second.value("entity_id", ofID: id) == before[id], "entity of \(id) changed")
        }
        #expect(!before.values.contains(second.value("entity_id", ofID: "X0")))
    }

    @Test func withoutMemoryIDsAreStillDeterministic() throws {
        var a = LeadList(generated: 1500), b = LeadList(generated: 1500)
        try a.dedupe()
        try b.dedupe()
        #expect(a.column("entity_id") == b.column("entity_id"))
    }

    @Test func labelledPairsEvaluateTheRun() throws {
        try withTemporaryDirectory { dir in
            var list = LeadList(generated: 2000, extra: Self.planted)
            var csv = "left,right,match\nX1,X2,1\nX1,X3,1\nX1,X4,0\nX5,X6,1\n"
            // Every true pair among the first generated rows, and some non-pairs.
            for i in 0..<300 { for j in (i + 1)..<300 where list.truth[i] == list.truth[j] {
                csv += "\(list.records[i].values[0]),\(list.records[j].values[0]),1\n"
            } }
            let path = try dir.write("labels.csv", csv)
            let stage = try list.dedupe(["labels": .string(path), "labels_use": .string("evaluate")])
            let score = try #require(stage.statistics.labelEvaluation)
            #expect(score.pairs >= 4)
            #expect(score.recall >= 0.8)
            #expect(score.precision >= 0.9)
        }
    }

    @Test func labelledPairsCanTrainTheModelInsteadOfEM() throws {
        try withTemporaryDirectory { dir in
            var list = LeadList(generated: 2000, extra: Self.planted)
            var csv = "left,right,match\n"
            for i in 0..<1000 { for j in (i + 1)..<1000 where list.truth[i] == list.truth[j] {
                csv += "\(list.records[i].values[0]),\(list.records[j].values[0]),true\n"
            } }
            let path = try dir.write("labels.csv", csv)
            try list.dedupe(["labels": .string(path)])
            let evaluation = PairwiseEvaluation(predicted: list.column("entity_id"), truth: list.truth)
            #expect(evaluation.f1 >= 0.85, "\(evaluation)")
        }
    }

    @Test(arguments: [
        (["threshold": OptionValue.number(1.5)], "threshold"),
        (["cluster_coherence": .number(2)], "cluster_coherence"),
        (["blocking": .list([.list([.string("surname.metaphone")])])], "blocking"),
        (["labels": .string("/nonexistent/labels.csv")], "labels"),
    ])
    func unusableOptionsAreReportedAgainstTheirOption(_ given: [String: OptionValue], _ option: String) {
        #expect {
            try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options, given: given),
                            context: StageContext(pipelineFile: "t.yml"))
        } throws: { ($0 as? OptionProblem)?.option == option }
    }

    @Test func aFieldNamingAMissingColumnFailsAtBind() throws {
        let field = OptionValue.object(OptionValues(schema: DedupeStageOptions.field, given: [
            "name": .string("surname"), "columns": .list([.string("Surname")]), "comparator": .string("name"),
        ]))
        let stage = try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options, given: ["fields": .list([field])]),
                                    context: StageContext(pipelineFile: "t.yml"))
        var schema = Schema(inputColumns: ["Name"])
        #expect(throws: OptionProblem.self) { _ = try stage.bind(schema: &schema, columns: ColumnBindings()) }
    }

    @Test func leadDefaultsPreferNormalizedColumns() {
        let schema = Schema(inputColumns: ["First", "Last", "Email", "Company", "norm_email", "norm_first_name", "norm_company"])
        var bindings = ColumnBindings()
        bindings[.firstName] = schema.index(of: "First")
        bindings[.lastName] = schema.index(of: "Last")
        bindings[.email] = schema.index(of: "Email")
        bindings[.company] = schema.index(of: "Company")
        let fields = LeadDefaults.fields(schema: schema, columns: bindings)
        #expect(fields.first { $0.name == "email" }?.columns == ["norm_email"])
        #expect(fields.first { $0.name == "first_name" }?.columns == ["norm_first_name"])
        #expect(fields.first { $0.name == "last_name" }?.columns == ["Last"])
        #expect(fields.first { $0.name == "company" }?.impliedBy == "email")
        #expect(LeadDefaults.blocking(for: fields).map(\.text).contains("email"))
    }

    @Test func descriptorDeclaresTheColumnsItAdds() {
        #expect(DedupeStage.descriptor.name == "dedupe")
        #expect(DedupeStage.descriptor.addedColumns.starts(with: ["entity_id", "match_probability", "duplicate_of"]))
    }
}
