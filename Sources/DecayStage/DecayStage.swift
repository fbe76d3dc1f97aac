import DomainNames
import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec

/// `decay`: scores how far each lead has decayed and decides what happens to it.
///
/// Per row it writes `decay_score` in [0, 1], `decay_status` (fresh|aging|stale|dead),
/// `decay_reasons` (`;`-separated reason codes), `decay_action` (keep|flag|reject) and
/// `decay_mailable` (yes|no). Sources of evidence: months since last verification or activity
/// at a monthly decay rate measured from the run's clock; email_check's verdict columns; the
/// ESP's suppression file; scrape's `web_status`/`web_redirect_domain`; and, with a `store:`,
/// changes since the last run of the same pipeline history. With a store, the stage streams with
/// steps that see the rows in input order (the first row with a lead's key is the one compared; the leads no row
/// had vanished) and keeps this run's snapshots chunk by chunk: under `leadhygiene run` it stages them for the
/// runner, which records them with the run once the outputs are in place; used on its own it records the run
/// and its snapshots itself, in one transaction.
public struct DecayStage: Stage {
    static let thresholdSchema = OptionSchema([
        OptionSpec("aging", .number, default: .number(0.15), range: 0...1, "Score from which a lead is aging."),
        OptionSpec("stale", .number, default: .number(0.35), range: 0...1, "Score from which a lead is stale."),
        OptionSpec("dead", .number, default: .number(0.7), range: 0...1, "Score from which a lead is dead."),
    ])
    static let actionChoices = DecayAction.allCases.map(\.rawValue)
    static let actionSchema = OptionSchema([
        OptionSpec("fresh", .choice(actionChoices), default: .string("keep"), "What to do with fresh leads."),
        OptionSpec("aging", .choice(actionChoices), default: .string("keep"), "What to do with aging leads."),
        OptionSpec("stale", .choice(actionChoices), default: .string("flag"), "What to do with stale leads."),
        OptionSpec("dead", .choice(actionChoices), default: .string("reject"), "What to do with dead leads."),
    ])
    static let suppressionSchema = OptionSchema([
        OptionSpec("path", .path, "The ESP's bounce/unsubscribe/complaint export (CSV, TSV or JSONL)."),
        OptionSpec("email_column", .string, default: .string("email"), "Column holding the address."),
        OptionSpec("type_column", .string, default: .string("type"), "Column holding the event type (hard_bounce, unsubscribe, complaint…); optional."),
        OptionSpec("action", .choice(["reject", "flag"]), default: .string("reject"),
                   "reject: suppressed rows go to rejects; flag: they stay with decay_mailable=no. Never mailable either way."),
    ])
    static let weightSchema = OptionSchema(DecaySignalWeights.optionNames.map {
        OptionSpec($0.name, .number, default: .number(DecaySignalWeights()[keyPath: $0.keyPath]), range: 0...100, $0.summary)
    })

    public static let descriptor = StageDescriptor(
        name: "decay",
        summary: "Scores lead decay (age, email verdicts, bounces, company signals, run-over-run changes) and keeps, flags or rejects by status.",
        options: OptionSchema([
            OptionSpec("monthly_rate", .number, default: .number(0.021), range: 0...1, "Share of contacts that decay per month (B2B data: about 2.1 %)."),
            OptionSpec("thresholds", .object(thresholdSchema), "Score boundaries between statuses."),
            OptionSpec("actions", .object(actionSchema), "keep, flag or reject per status."),
            OptionSpec("suppression", .object(suppressionSchema), "The ESP's suppression file; suppressed rows are never mailable."),
            OptionSpec("weights", .object(weightSchema), "How much each signal adds to the score (1 = dead on its own)."),
            OptionSpec("site_gone_statuses", .list(.string),
                       default: .list(["dns_failure", "connect_failed"].map(OptionValue.string)),
                       "web_status values that mean the company website is gone."),
            OptionSpec("history", .string, "Run-history name in the store; default: the pipeline file's name without extension."),
            OptionSpec("compare_with_last_run", .bool, default: .bool(true), "With a store: detect changes since the last run and record this run."),
            OptionSpec("mailable", .object(OptionSchema([
                OptionSpec("email_statuses", .list(.choice(["valid", "risky", "unknown", "invalid"])), default: .list([.string("valid")]),
                           "email_check statuses that may be mailed; rows without an email_status (no email_check) are not held to it."),
                OptionSpec("allow_role", .bool, default: .bool(false), "Whether role addresses (email_reason email_role_account) may be mailed."),
            ])), "The one rule set for decay_mailable: not suppressed, not dead, not rejected, an allowed email status, and no role address unless allowed; decay_not_mailable says which rule a row broke."),
            OptionSpec("vanished_sample", .integer, default: .integer(20), range: 0...10_000, "How many vanished leads the report lists."),
        ]),
        optionalFields: [.lastVerifiedAt, .lastActivityAt, .email, .title, .company, .website, .domain],
        addedColumns: ["decay_score", "decay_status", "decay_reasons", "decay_action", "decay_mailable", "decay_not_mailable"],
        reasonCodes: ReasonCode.decayCodes,
        produces: [LeadColumns.decayScore.spec, LeadColumns.decayStatus.spec, LeadColumns.decayReasons.spec, LeadColumns.decayMailable.spec],
        consumes: [LeadColumns.emailStatus.spec, LeadColumns.emailReason.spec, LeadColumns.webStatus.spec, LeadColumns.webRedirectDomain.spec])

    let monthlyRate: Double
    /// The run's one company key: "Acme Inc." and "ACME" are no change of company.
    let companyKey: CompanyKey
    let thresholds: DecayThresholds
    let actions: [DecayStatus: DecayAction]
    let weights: DecaySignalWeights
    let suppression: SuppressionList?
    let suppressionRejects: Bool
    let siteGoneStatuses: Set<String>
    /// `mailable.email_statuses` and `mailable.allow_role`.
    let mailableEmailStatuses: Set<String>
    let mailableAllowsRole: Bool
    let historyName: String
    let vanishedSampleSize: Int
    /// The store's history of earlier runs (``LeadHistory``), when the pipeline has a store and compares.
    let history: (any LeadHistory)?
    let now: Double
    let startedAt: Date
    let referenceTime: Date
    /// The run's `--jobs`: how many threads the store may stage this run's snapshots on.
    let jobs: Int
    /// Where the whole-list phases are reported, for the progress line.
    let progress: StageProgress

    public init(options: OptionValues, context: StageContext) throws {
        companyKey = context.companyKey
        progress = context.progress
        monthlyRate = options.defaultedNumber("monthly_rate")
        guard (0..<1).contains(monthlyRate) else { throw OptionProblem(option: "monthly_rate", "must be at least 0 and below 1") }
        let t = options.object("thresholds")
        thresholds = DecayThresholds(aging: t.defaultedNumber("aging"), stale: t.defaultedNumber("stale"), dead: t.defaultedNumber("dead"))
        guard 0 < thresholds.aging, thresholds.aging < thresholds.stale, thresholds.stale < thresholds.dead, thresholds.dead <= 1 else {
            throw OptionProblem(option: "thresholds", "need 0 < aging < stale < dead ≤ 1")
        }
        let a = options.object("actions")
        var actions: [DecayStatus: DecayAction] = [:]
        for status in DecayStatus.allCases { actions[status] = DecayAction(rawValue: a.string(status.rawValue) ?? "keep") ?? .keep }
        self.actions = actions
        let w = options.object("weights")
        var weights = DecaySignalWeights()
        for entry in DecaySignalWeights.optionNames {
            let value = w.number(entry.name) ?? weights[keyPath: entry.keyPath]
            guard (0...1).contains(value) else { throw OptionProblem(option: "weights", "\(entry.name) must be between 0 and 1") }
            weights[keyPath: entry.keyPath] = value
        }
        self.weights = weights
        siteGoneStatuses = Set(options.strings("site_gone_statuses").map { $0.lowercased() })
        let m = options.object("mailable")
        mailableEmailStatuses = Set(m.strings("email_statuses"))
        mailableAllowsRole = m.bool("allow_role")
        historyName = options.string("history")
            ?? URL(fileURLWithPath: context.pipelineFile).deletingPathExtension().lastPathComponent
        vanishedSampleSize = max(0, options.defaultedInteger("vanished_sample"))
        now = context.now.timeIntervalSince1970
        referenceTime = context.now
        startedAt = Date()
        jobs = context.jobs

        let s = options.object("suppression")
        suppressionRejects = s.string("action") != "flag"
        if let path = s.string("path") {
            guard FileManager.default.fileExists(atPath: path) else {
                throw OptionProblem(option: "suppression", "suppression file '\(path)' does not exist")
            }
            if context.isLintOnly {
                suppression = nil
            } else {
                do {
                    suppression = try SuppressionList(path: path, emailColumn: s.defaultedString("email_column"),
                                                      typeColumn: s.defaultedString("type_column"))
                } catch {
                    throw OptionProblem(option: "suppression", "\(error)")
                }
            }
        } else {
            suppression = nil
        }
        if context.storePath != nil, options.bool("compare_with_last_run"), !context.isLintOnly {
            guard let history = try context.services.open((any LeadHistory).self) else {
                throw OptionProblem(option: "compare_with_last_run",
                                    "the pipeline has a store, but the run provides no lead history service for it")
            }
            self.history = history
            history.readAhead(lastRunOf: historyName)
        } else {
            history = nil
        }
    }

    /// Streaming without a store; with one, streaming with in-order steps (``StorePass``).
    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        let inputColumnCount = schema.inputColumnCount
        let reads = Bound(
            stage: self, lastVerified: columns[.lastVerifiedAt], lastActivity: columns[.lastActivityAt],
            email: schema.index(of: "norm_email") ?? columns[.email],
            emailStatus: LeadColumns.emailStatus.bound(in: schema), emailReason: LeadColumns.emailReason.bound(in: schema),
            webStatus: LeadColumns.webStatus.bound(in: schema), webRedirect: LeadColumns.webRedirectDomain.bound(in: schema),
            contactAllowed: LeadColumns.contactAllowed.bound(in: schema),
            lastVerifiedFormat: columns.dateFormat(of: .lastVerifiedAt), lastActivityFormat: columns.dateFormat(of: .lastActivityAt),
            normDomain: schema.index(of: "norm_domain"), domain: columns[.domain], website: columns[.website],
            scoreColumn: schema.addColumn("decay_score"), statusColumn: schema.addColumn("decay_status"),
            reasonsColumn: schema.addColumn("decay_reasons"), actionColumn: schema.addColumn("decay_action"),
            mailableColumn: schema.addColumn("decay_mailable"), notMailableColumn: schema.addColumn("decay_not_mailable"),
            extractor: nil, inputColumnCount: inputColumnCount)
        guard history != nil else { return .streaming(reads) }
        var withHistory = reads
        withHistory.extractor = SnapshotExtractor(schema: schema, columns: columns)
        return .streamingInOrder(withHistory)
    }

    /// The first mailability rule a row breaks, or `nil` when it may be mailed (docs/stages/decay.md, "Mailable").
    /// - Parameter emailStatus: the `email_status` cell as written: a status this version does not know (a
    ///   column from another tool) is not one of the allowed ones either.
    func notMailableReason(suppressed: Bool, status: DecayStatus, action: DecayAction, emailStatus: String,
                           emailReason: ReasonCodeList?, contactAllowed: Bool? = nil) -> String? {
        if suppressed { return "suppressed" }
        if contactAllowed == false { return "contact_not_allowed" }
        if action == .reject { return "rejected" }
        if status == .dead { return "dead" }
        if !emailStatus.isEmpty, !mailableEmailStatuses.contains(emailStatus) { return "email_\(emailStatus)" }
        if !mailableAllowsRole, emailReason?.contains(.emailRoleAccount) == true { return "role_account" }
        return nil
    }
}
