import PipelineExecution
import PipelineSpec

/// What a run found, in the words of the person who reads it: the headline (usable, flagged, rejected,
/// merged, mailable), what each stage found, and what changed since the last run.
///
/// One value behind the summary on standard error, `--summary json` and report.json's `headline`,
/// `since_last_run` and per-stage `findings`, so the three never disagree. Built from the stages'
/// summaries (docs/report.md lists both), never from their internals.
public struct RunFindings: Sendable {
    /// The run's rows as a sales-ops person counts them: `rows_in = usable + flagged + rejected + merged`.
    public struct Headline: Sendable, Equatable {
        public var rowsIn: Int
        /// Clean rows no stage flagged.
        public var usable: Int
        /// Clean rows a stage kept but flagged (`email_action` or `decay_action` is `flag`).
        public var flagged: Int
        public var rejected: Int
        public var merged: Int
        /// Clean rows that may be mailed (decay's `decay_mailable`, else email_check's `valid`); `nil` when
        /// neither stage ran.
        public var mailable: Int?
    }

    /// What one stage found: stable keys for jobs, and the line the summary prints.
    public struct StageFindings: Sendable {
        public var stage: String
        public var findings: [(String, ReportValue)]
        public var line: String
    }

    /// New, vanished and changed leads against the store's previous run of the history.
    public struct SinceLastRun: Sendable {
        /// The previous run's id in the store; `nil` when this is the history's first run.
        public var previousRun: Int?
        package var leadsCompared = 0
        public var new = 0
        public var vanished = 0
        package var changedTitle = 0
        package var changedCompany = 0
        public var flippedInvalid = 0
    }

    public var headline: Headline
    /// One per stage that found something to tell, in pipeline order.
    public var stages: [StageFindings]
    public var sinceLastRun: SinceLastRun?

    /// - Parameters: `flagged` and `mailable` are the clean rows as written (``ActiveRowMarks``).
    init(totals: RunTotals, stageSummaries: [[(String, ReportValue)]], flagged: Int, mailable: Int?) {
        headline = Headline(rowsIn: totals.rowsIn, usable: totals.rowsOut - flagged, flagged: flagged,
                            rejected: totals.rowsRejected, merged: totals.rowsMerged, mailable: mailable)
        var stages: [StageFindings] = []
        var since: SinceLastRun?
        for (i, stage) in totals.stages.enumerated() where i < stageSummaries.count {
            let summary = ReportValue.object(stageSummaries[i])
            if let found = Self.findings(of: stage, summary: summary) { stages.append(found) }
            if stage.name == "decay", since == nil { since = Self.sinceLastRun(decay: summary) }
        }
        self.stages = stages
        sinceLastRun = since
    }

    static func findings(of stage: StageStatistics, summary: ReportValue) -> StageFindings? {
        switch stage.name {
        case "email_check": return emailFindings(summary)
        case "dedupe": return dedupeFindings(summary, merged: stage.rowsMerged)
        case "decay": return decayFindings(summary)
        case "firmographic_merge": return mergeFindings(summary)
        case "scrape": return scrapeFindings(summary)
        default: return nil
        }
    }
}

// MARK: Per stage

extension RunFindings {
    static let emailStatuses = ["valid", "risky", "invalid", "unknown"]
    static let decayStatuses = ["fresh", "aging", "stale", "dead"]

    static func emailFindings(_ summary: ReportValue) -> StageFindings? {
        guard let statuses = summary["email_status"]?.countsByKey else { return nil }
        let actions = summary["email_actions"]?.countsByKey ?? [:]
        let risky = summary["email_reasons_by_status"]?["risky"]?.countsByKey ?? [:]
        let checked = statuses.values.reduce(0, +)
        var findings: [(String, ReportValue)] = [("checked", .integer(checked))]
        for status in emailStatuses { findings.append((status, .integer(statuses[status] ?? 0))) }
        findings += [
            ("risky_by_reason", .counts(risky)),
            ("flagged", .integer(actions["flag"] ?? 0)),
            ("rejected", .integer(actions["reject"] ?? 0)),
        ]
        var parts = emailStatuses.map { "\(count(statuses[$0] ?? 0)) \($0)" }
        if !risky.isEmpty { parts[1] += " (" + ranked(risky).map { "\($0.key) \(count($0.value))" }.joined(separator: ", ") + ")" }
        let line = "email_check: " + parts.joined(separator: ", ") + " of \(count(checked)) checked"
            + "; \(count(actions["flag"] ?? 0)) flagged, \(count(actions["reject"] ?? 0)) rejected"
        return StageFindings(stage: "email_check", findings: findings, line: line)
    }

    static func dedupeFindings(_ summary: ReportValue, merged: Int) -> StageFindings? {
        guard let compared = summary["rows_compared"]?.integerValue else { return nil }
        let entities = summary["entities"]?.integerValue ?? 0
        let duplicates = summary["duplicate_rows"]?.integerValue ?? 0
        let people = summary["entities_with_duplicates"]?.integerValue ?? 0
        let findings: [(String, ReportValue)] = [
            ("rows_compared", .integer(compared)), ("entities", .integer(entities)), ("duplicate_rows", .integer(duplicates)),
            ("entities_with_duplicates", .integer(people)), ("rows_merged", .integer(merged)),
        ]
        var line = "dedupe: \(count(duplicates)) duplicate \(duplicates == 1 ? "row" : "rows") of "
            + "\(count(people)) \(people == 1 ? "person" : "people"); \(count(entities)) entities in \(count(compared)) rows compared"
        // The number a reader looks for first: were the duplicates folded, or only marked?
        if duplicates > 0 {
            line += merged > 0 ? "; \(count(merged)) merged" : "; none merged (mode annotate: duplicate_of marks them)"
        }
        return StageFindings(stage: "dedupe", findings: findings, line: line)
    }

    static func decayFindings(_ summary: ReportValue) -> StageFindings? {
        guard let statuses = summary["status"]?.countsByKey else { return nil }
        let actions = summary["actions"]?.countsByKey ?? [:]
        var findings = decayStatuses.map { ($0, ReportValue.integer(statuses[$0] ?? 0)) }
        findings += [
            ("not_mailable", .integer(statuses["not_mailable"] ?? 0)),
            ("flagged", .integer(actions["flag"] ?? 0)), ("rejected", .integer(actions["reject"] ?? 0)),
        ]
        let line = "decay: " + decayStatuses.map { "\(count(statuses[$0] ?? 0)) \($0)" }.joined(separator: ", ")
            + "; \(count(statuses["not_mailable"] ?? 0)) not mailable; \(count(actions["flag"] ?? 0)) flagged, "
            + "\(count(actions["reject"] ?? 0)) rejected"
        return StageFindings(stage: "decay", findings: findings, line: line)
    }

    static func mergeFindings(_ summary: ReportValue) -> StageFindings? {
        guard let byDomain = summary["matched_by_domain"]?.integerValue else { return nil }
        let byName = summary["matched_by_name"]?.integerValue ?? 0
        let unmatched = summary["unmatched"]?.integerValue ?? 0
        let fill = fillFindings(summary["fields"])
        let findings: [(String, ReportValue)] = [
            ("matched", .integer(byDomain + byName)), ("matched_by_domain", .integer(byDomain)),
            ("matched_by_name", .integer(byName)), ("unmatched", .integer(unmatched)), ("fill", fill.value),
        ]
        var line = "firmographic_merge: \(count(byDomain + byName)) matched (\(count(byDomain)) by domain, "
            + "\(count(byName)) by name), \(count(unmatched)) unmatched"
        if !fill.line.isEmpty { line += "; filled " + fill.line }
        return StageFindings(stage: "firmographic_merge", findings: findings, line: line)
    }

    static func scrapeFindings(_ summary: ReportValue) -> StageFindings? {
        guard let sites = summary["sites"]?.integerValue else { return nil }
        let fill = fillFindings(summary["fields"], onlyFilled: true)
        let findings: [(String, ReportValue)] = [("sites", .integer(sites)), ("fill", fill.value)]
        var line = "scrape: \(count(sites)) sites"
        if !fill.line.isEmpty { line += "; filled " + fill.line }
        return StageFindings(stage: "scrape", findings: findings, line: line)
    }

    /// Each field's rows filled before and after the stage: `{field: {before, after}}`, and the summary's
    /// words for the fields that gained most (`industry 120 → 830`).
    static func fillFindings(_ fields: ReportValue?, onlyFilled: Bool = false) -> (value: ReportValue, line: String) {
        guard case .object(let pairs)? = fields else { return (.object([]), "") }
        var objects: [(String, ReportValue)] = []
        var gains: [(field: String, before: Int, after: Int)] = []
        for (field, tally) in pairs {
            guard let before = tally["filled_before"]?.integerValue, let after = tally["filled_after"]?.integerValue else { continue }
            if onlyFilled && after == 0 { continue }
            objects.append((field, .object([("before", .integer(before)), ("after", .integer(after))])))
            gains.append((field, before, after))
        }
        let shown = gains.enumerated().sorted { ($1.element.after - $1.element.before, $0.offset) < ($0.element.after - $0.element.before, $1.offset) }
            .prefix(4).map(\.element)
        let line = shown.map { "\($0.field) \(count($0.before)) → \(count($0.after))" }.joined(separator: ", ")
        return (.object(objects), line + (gains.count > shown.count ? " (report.json lists every field)" : ""))
    }

    static func sinceLastRun(decay summary: ReportValue) -> SinceLastRun? {
        guard let comparison = summary["run_over_run"], comparison.isObject else { return nil }
        var since = SinceLastRun()
        since.previousRun = comparison["previous_run"]?.integerValue
        guard since.previousRun != nil else { return since }
        let reasons = summary["reasons"]?.countsByKey ?? [:]
        since.leadsCompared = comparison["leads_compared"]?.integerValue ?? 0
        since.new = comparison["new_leads"]?.integerValue ?? 0
        since.vanished = comparison["vanished"]?.integerValue ?? 0
        since.changedTitle = reasons["decay_title_changed"] ?? 0
        since.changedCompany = reasons["decay_company_changed"] ?? 0
        since.flippedInvalid = reasons["decay_email_flipped_invalid"] ?? 0
        return since
    }

    /// Counts by size, then by key.
    static func ranked(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
    }

    /// `1,234`, the same in every locale, so the summary reads alike on every machine and in every test.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}

// MARK: Lines and JSON

extension RunFindings {
    /// `9,500 usable, 300 flagged, 150 rejected, 50 merged of 10,000 rows; 8,900 mailable`
    package var headlineText: String {
        var text = "\(Self.count(headline.usable)) usable, \(Self.count(headline.flagged)) flagged, "
            + "\(Self.count(headline.rejected)) rejected, \(Self.count(headline.merged)) merged of \(Self.count(headline.rowsIn)) rows"
        if let mailable = headline.mailable { text += "; \(Self.count(mailable)) mailable" }
        return text
    }

    /// `since last run (run 3): 120 new, 80 vanished, 40 changed title, 12 changed company, 5 flipped to invalid; 9,800 compared`
    package var sinceLastRunText: String? {
        guard let since = sinceLastRun else { return nil }
        guard let previous = since.previousRun else {
            return "since last run: nothing to compare with, this is the first run of its history in the store"
        }
        return "since last run (run \(previous)): \(Self.count(since.new)) new, \(Self.count(since.vanished)) vanished, "
            + "\(Self.count(since.changedTitle)) changed title, \(Self.count(since.changedCompany)) changed company, "
            + "\(Self.count(since.flippedInvalid)) flipped to invalid; \(Self.count(since.leadsCompared)) compared"
    }

    /// report.json's `headline`.
    package var headlineJSON: ReportValue {
        .object([
            ("rows_in", .integer(headline.rowsIn)), ("usable", .integer(headline.usable)),
            ("flagged", .integer(headline.flagged)), ("rejected", .integer(headline.rejected)),
            ("merged", .integer(headline.merged)), ("mailable", headline.mailable.map(ReportValue.integer) ?? .null),
        ])
    }

    /// report.json's `since_last_run`: `null` without a store's comparison.
    package var sinceLastRunJSON: ReportValue {
        guard let since = sinceLastRun else { return .null }
        return .object([
            ("previous_run", since.previousRun.map(ReportValue.integer) ?? .null),
            ("leads_compared", .integer(since.leadsCompared)), ("new", .integer(since.new)),
            ("vanished", .integer(since.vanished)), ("changed_title", .integer(since.changedTitle)),
            ("changed_company", .integer(since.changedCompany)), ("flipped_invalid", .integer(since.flippedInvalid)),
        ])
    }
}

extension ReportValue {
    /// An integer value, `nil` for any other kind.
    var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// An object of integers as a dictionary (other values left out); `nil` when not an object.
    var countsByKey: [String: Int]? {
        guard case .object(let pairs) = self else { return nil }
        var counts: [String: Int] = [:]
        for case (let key, .integer(let value)) in pairs { counts[key] = value }
        return counts
    }
}
