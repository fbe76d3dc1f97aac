import DomainNames
import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec
import RunStore

/// `decay`: scores how far each lead has decayed and decides what happens to it.
///
/// Per row it writes `decay_score` in [0, 1], `decay_status` (fresh|aging|stale|dead),
/// `decay_reasons` (`;`-separated reason codes), `decay_action` (keep|flag|reject) and
/// `decay_mailable` (yes|no). Sources of evidence: months since last verification or activity
/// at a monthly decay rate measured from the run's clock; email_check's verdict columns; the
/// ESP's suppression file; scrape's `web_status`/`web_redirect_domain`; and, with a `store:`,
/// changes since the last run of the same pipeline history. With a store, the stage needs the
/// whole list (to see which leads vanished) and keeps this run's snapshots: under `leadhygiene run` it
/// stages them for the runner, which records them with the run once the outputs are in place; used
/// on its own it records the run and its snapshots itself, in one transaction.
public struct DecayStage: Stage, RunStaging {
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
    let store: RunStore?
    let now: Double
    let startedAt: Date
    let referenceTime: Date
    let tally = DecayTally()
    public var stagesForRunner = false
    public var stagedRun: StagedRun? { tally.history.withLock { $0.staged } }

    private var lastVerified, lastActivity, email: ColumnIndex?
    /// Earlier stages' columns, read as their values (``LeadColumns``); absent when no stage wrote them.
    private var emailStatus: BoundColumn<EmailStatus>?, emailReason: BoundColumn<ReasonCodeList>?
    private var webStatus: BoundColumn<WebStatus>?, webRedirect: BoundColumn<String>?
    /// compliance's verdict, when the pipeline has a compliance stage before decay.
    private var contactAllowed: BoundColumn<Bool>?
    /// How the two date columns write their dates (decided from their values when the pipeline was prepared).
    private var lastVerifiedFormat = DateFormat(), lastActivityFormat = DateFormat()
    private var normDomain, domain, website: ColumnIndex?
    private var scoreColumn = ColumnIndex(0), statusColumn = ColumnIndex(0), reasonsColumn = ColumnIndex(0)
    private var actionColumn = ColumnIndex(0), mailableColumn = ColumnIndex(0), notMailableColumn = ColumnIndex(0)
    private var extractor: SnapshotExtractor?
    private var inputColumnCount = 0

    public init(options: OptionValues, context: StageContext) throws {
        companyKey = context.companyKey
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
        if let storePath = context.storePath, options.bool("compare_with_last_run"), !context.isLintOnly {
            store = try RunStore(path: storePath)
        } else {
            store = nil
        }
    }

    /// Streaming without a store; with one, the whole list (vanished leads, one-transaction snapshot).
    public var mode: StageMode { store == nil ? .perRecord : .wholeList }

    public mutating func bind(schema: inout Schema, columns: ColumnBindings) throws {
        lastVerified = columns[.lastVerifiedAt]
        lastActivity = columns[.lastActivityAt]
        lastVerifiedFormat = columns.dateFormat(of: .lastVerifiedAt)
        lastActivityFormat = columns.dateFormat(of: .lastActivityAt)
        email = schema.index(of: "norm_email") ?? columns[.email]
        emailStatus = LeadColumns.emailStatus.bound(in: schema)
        emailReason = LeadColumns.emailReason.bound(in: schema)
        webStatus = LeadColumns.webStatus.bound(in: schema)
        webRedirect = LeadColumns.webRedirectDomain.bound(in: schema)
        contactAllowed = LeadColumns.contactAllowed.bound(in: schema)
        normDomain = schema.index(of: "norm_domain")
        domain = columns[.domain]
        website = columns[.website]
        scoreColumn = schema.addColumn("decay_score")
        statusColumn = schema.addColumn("decay_status")
        reasonsColumn = schema.addColumn("decay_reasons")
        actionColumn = schema.addColumn("decay_action")
        mailableColumn = schema.addColumn("decay_mailable")
        notMailableColumn = schema.addColumn("decay_not_mailable")
        extractor = SnapshotExtractor(schema: schema, columns: columns)
        inputColumnCount = schema.inputColumnCount
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

    // MARK: Per record

    public func process(_ records: inout [Record]) {
        var counts = DecayCounts()
        for i in records.indices where records[i].isActive {
            assess(&records[i], changes: [], counts: &counts)
        }
        tally.add(counts)
    }

    /// Scores one active record, writes the decay columns and applies the action.
    func assess(_ record: inout Record, changes: [ReasonCode], counts: inout DecayCounts) {
        var reasons: [ReasonCode] = []
        var survival = 1.0

        // Age: the most recent of last verified / last activity.
        var newest: Double?
        for (column, format) in [(lastVerified, lastVerifiedFormat), (lastActivity, lastActivityFormat)] where column != nil {
            let text = record[column]
            guard !text.isEmpty else { continue }
            if let date = LeadAge.parse(text, format: format) { newest = max(newest ?? date, date) } else { counts.unparseableDates += 1 }
        }
        if let newest {
            let age = LeadAge.decay(months: LeadAge.months(from: newest, to: now), monthlyRate: monthlyRate)
            survival *= 1 - age
            if age >= thresholds.aging { reasons.append(.decayAge) }
        } else {
            reasons.append(.decayNoDate)
        }

        // email_check's verdict.
        let status = emailStatus.read(record)
        let reason = emailReason.read(record)
        if reason?.contains(.emailNullMX) == true {
            reasons.append(.decayNullMX) // RFC 7505: a null MX means the domain accepts no mail
        } else if let reason, [ReasonCode.emailNXDomain, .emailNoMailHost, .emailMXUnresolvable].contains(where: reason.contains) {
            reasons.append(.decayDomainUnresolvable)
        }
        if status == .invalid {
            reasons.append(.decayEmailInvalid)
        } else if status == .risky {
            reasons.append(.decayEmailRisky)
        }

        // scrape's company signals.
        if let web = webStatus.read(record), siteGoneStatuses.contains(web.rawValue) { reasons.append(.decaySiteGone) }
        if let redirect = webRedirect.read(record), let target = PublicSuffixList.shared.registrableDomain(of: HostName.asciiForm(redirect) ?? redirect),
           target != leadDomain(record) {
            reasons.append(.decayCompanyRedirect)
        }

        reasons.append(contentsOf: changes)

        // The ESP's suppression file.
        let suppressed = suppression?.kind(of: record[email])
        if let suppressed {
            reasons.append(suppressed.reason)
            counts.suppressed[suppressed.rawValue, default: 0] += 1
        }

        for reason in reasons { survival *= 1 - weights.weight(reason.code) }
        let score = min(1, max(0, 1 - survival))
        let decayStatus = thresholds.status(for: score)
        var action = actions[decayStatus] ?? .keep
        if suppressed != nil { action = suppressionRejects ? .reject : (action == .reject ? .reject : .flag) }
        let notMailable = notMailableReason(suppressed: suppressed != nil, status: decayStatus, action: action,
                                            emailStatus: record[emailStatus?.index], emailReason: reason,
                                            contactAllowed: contactAllowed.read(record))
        let mailable = notMailable == nil

        let reasonText = reasons.map(\.code).joined(separator: ";")
        record[scoreColumn] = String(format: "%.3f", score)
        record[statusColumn] = decayStatus.rawValue
        record[reasonsColumn] = reasonText
        record[actionColumn] = action.rawValue
        record[mailableColumn] = mailable ? "yes" : "no"
        record[notMailableColumn] = notMailable ?? ""

        counts.assessed += 1
        counts.scoreSum += score
        counts.status[decayStatus.rawValue, default: 0] += 1
        counts.actions[action.rawValue, default: 0] += 1
        for reason in reasons { counts.reasons[reason.code, default: 0] += 1 }
        if !mailable { counts.notMailable += 1 }

        if action == .reject {
            let code: ReasonCode
            if let suppressed, suppressionRejects {
                code = suppressed.reason
            } else {
                switch decayStatus {
                case .dead: code = .decayDead
                case .stale: code = .decayStale
                case .aging: code = .decayAging
                case .fresh: code = .decayFresh
                }
            }
            record.reject(code, stage: Self.descriptor.name, detail: "score \(record[scoreColumn]): \(reasonText)")
        }
    }

    /// The lead's company domain (registrable), to tell a redirect to another company from one within the same.
    private func leadDomain(_ record: Record) -> String? {
        for column in [normDomain, domain, website] where column != nil {
            let value = record[column]
            if !value.isEmpty, let host = HostName.fromWebsite(value) ?? HostName.asciiForm(value) {
                return PublicSuffixList.shared.registrableDomain(of: host)
            }
        }
        let address = record[email]
        if let at = address.lastIndex(of: "@"), let host = HostName.asciiForm(String(address[address.index(after: at)...])) {
            return PublicSuffixList.shared.registrableDomain(of: host)
        }
        return nil
    }

    // MARK: Whole list, with the store

    public mutating func processAll(_ records: inout [Record]) throws {
        guard let store, let extractor else {
            process(&records)
            return
        }
        let history = try RunHistory.load(from: store, pipeline: historyName)
        var counts = DecayCounts()
        var findings = HistoryFindings()
        if let run = history.previousRun {
            findings.previousRunID = run.id
            findings.previousReferenceTime = run.referenceTime
            (findings.previousStatus, findings.previousReasons) = DecayCounts.parse(summaryJSON: run.summaryJSON)
        }
        var seen = Set<String>()
        seen.reserveCapacity(records.count)
        var checksum = ContentHash()
        var active = 0, rejected = 0, merged = 0
        for i in records.indices {
            // Under the runner the run row's checksum is the input file's, taken by the runner.
            if !stagesForRunner { for value in records[i].values.prefix(inputColumnCount) { checksum.combine(value) } }
            // Only the first row with an id is snapshotted, so only it is compared with last week's
            // snapshot: a later duplicate (no dedupe in the pipeline) would otherwise show as a change.
            var isFirstWithKey = false
            var previousPosition: Int?
            if case .merged = records[i].disposition {} else if let key = extractor.entityKey.key(of: records[i]) {
                isFirstWithKey = seen.insert(key).inserted
                if isFirstWithKey {
                    previousPosition = history.previous.position(of: key)
                    if history.previousRun != nil, previousPosition == nil { findings.newLeads += 1 }
                }
            }
            if records[i].isActive {
                var changes: [ReasonCode] = []
                if let previousPosition, let current = extractor.snapshot(of: records[i]) {
                    changes = history.changes(of: current, previousAt: previousPosition, companyKey: companyKey)
                    findings.compared += 1
                }
                assess(&records[i], changes: changes, counts: &counts)
            }
            switch records[i].disposition {
            case .active: active += 1
            case .rejected: rejected += 1
            case .merged: merged += 1
            }
        }
        history.previous.forEachEntity { key, position in
            guard !seen.contains(key) else { return }
            findings.vanished += 1
            findings.vanishedSample.append((key, history.previous.text(.email, at: position), history.previous.line(at: position)))
        }
        findings.vanishedSample.sort { ($0.line, $0.entityID) < ($1.line, $1.entityID) }
        findings.vanishedSample = Array(findings.vanishedSample.prefix(vanishedSampleSize))

        let clock = ContinuousClock.now
        let snapshots = records.lazy.compactMap { extractor.snapshot(of: $0) }
        let enrichments = records.lazy.flatMap { record -> [EnrichmentValue] in
            guard let key = extractor.entityKey.key(of: record) else { return [] }
            return extractor.enrichments(of: record, entityID: key)
        }
        if stagesForRunner {
            findings.staged = try store.stageRun(pipeline: historyName, summaryJSON: counts.summaryJSON,
                                                 snapshots: snapshots, enrichments: enrichments)
        } else {
            let run = RunRecord(pipeline: historyName, inputChecksum: checksum.hex, referenceTime: referenceTime,
                                startedAt: startedAt, finishedAt: Date(), rowsIn: records.count, rowsActive: active,
                                rowsRejected: rejected, rowsMerged: merged, summaryJSON: counts.summaryJSON)
            findings.recordedRunID = try store.recordRun(run, snapshots: snapshots, enrichments: enrichments).id
        }
        let elapsed = ContinuousClock.now - clock
        findings.storeSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tally.add(counts)
        tally.history.withLock { $0 = findings }
    }

    // MARK: Report

    public func summary() -> [(String, ReportValue)] {
        let counts = tally.counts.withLock { $0 }
        var statusCounts: [(String, ReportValue)] = DecayStatus.allCases.map { ($0.rawValue, .integer(counts.status[$0.rawValue] ?? 0)) }
        statusCounts.append(("not_mailable", .integer(counts.notMailable)))
        var result: [(String, ReportValue)] = [
            ("monthly_rate", .number(monthlyRate)),
            ("status", .object(statusCounts)),
            ("reasons", .counts(counts.reasons)),
            ("actions", .counts(counts.actions)),
            ("suppressed", .counts(counts.suppressed)),
            ("suppression_action", .string(suppressionRejects ? "reject" : "flag")),
            ("mean_score", .number(counts.assessed == 0 ? 0 : (counts.scoreSum / Double(counts.assessed) * 1000).rounded() / 1000)),
            ("unparseable_dates", .integer(counts.unparseableDates)),
        ]
        guard store != nil else { return result }
        let findings = tally.history.withLock { $0 }
        var history: [(String, ReportValue)] = [
            ("history", .string(historyName)),
            ("recorded_run", (findings.recordedRunID ?? findings.staged?.recordedRunID).map { .integer(Int($0)) } ?? .null),
            ("previous_run", findings.previousRunID.map { .integer(Int($0)) } ?? .null),
        ]
        if findings.previousRunID != nil {
            if let time = findings.previousReferenceTime {
                history.append(("previous_reference_time", .string(ISO8601DateFormatter().string(from: time))))
            }
            history.append(("leads_compared", .integer(findings.compared)))
            history.append(("new_leads", .integer(findings.newLeads)))
            history.append(("vanished", .integer(findings.vanished)))
            history.append(("vanished_sample", .array(findings.vanishedSample.map {
                .object([("entity_id", .string($0.entityID)), ("email", .string($0.email)), ("previous_line", .integer($0.line))])
            })))
            history.append(("week_over_week", .object(DecayStatus.allCases.map { status in
                let before = findings.previousStatus[status.rawValue] ?? 0, after = counts.status[status.rawValue] ?? 0
                return (status.rawValue, .object([("previous", .integer(before)), ("current", .integer(after)),
                                                  ("change", .integer(after - before))]))
            })))
            let reasonKeys = Set(findings.previousReasons.keys).union(counts.reasons.keys).sorted()
            history.append(("reasons_week_over_week", .object(reasonKeys.map { key in
                let before = findings.previousReasons[key] ?? 0, after = counts.reasons[key] ?? 0
                return (key, .object([("previous", .integer(before)), ("current", .integer(after)), ("change", .integer(after - before))]))
            })))
        }
        // Staged runs: staging here plus the runner's commit after the outputs were in place.
        let storeSeconds = findings.storeSeconds + (findings.staged?.commitSeconds ?? 0)
        history.append(("store_write_seconds", .number((storeSeconds * 1000).rounded() / 1000)))
        result.append(("run_over_run", .object(history)))
        return result
    }
}
