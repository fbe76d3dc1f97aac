import LeadRecords
import PipelineSpec

/// What one chunk (or the run) of the compliance stage counted; merged in input order by the executor.
package struct ComplianceCounts: StageSummary {
    var assessed = 0
    var allowed = 0
    /// Blocked rows by country (`unknown` when none was found) and reason; a row with two reasons counts under both.
    var blocked: [String: [String: Int]] = [:]
    var blockedRows = 0
    /// Which source named each assessed row's country (`none` when none did).
    var countrySources: [String: Int] = [:]
    /// Blocked rows kept with `contact_allowed: no` (flag) and rows moved to the rejects (reject).
    var actions: [String: Int] = [:]
    /// Rows rejected because their person was erased (`leadhygiene forget`).
    var erased = 0

    public init() {}

    mutating func noteBlocked(country: String, reasons: [ReasonCode]) {
        blockedRows += 1
        for reason in reasons { blocked[country, default: [:]][reason.code, default: 0] += 1 }
    }

    public mutating func merge(_ other: ComplianceCounts) {
        assessed += other.assessed
        allowed += other.allowed
        blockedRows += other.blockedRows
        erased += other.erased
        for (country, reasons) in other.blocked {
            for (reason, count) in reasons { blocked[country, default: [:]][reason, default: 0] += count }
        }
        for (source, count) in other.countrySources { countrySources[source, default: 0] += count }
        for (action, count) in other.actions { actions[action, default: 0] += count }
    }

    var report: [(String, ReportValue)] {
        [
            ("contact_allowed", .object([("yes", .integer(allowed)), ("no", .integer(blockedRows))])),
            ("blocked_by_country", .object(blocked.sorted { $0.key < $1.key }.map { ($0.key, .counts($0.value)) })),
            ("country_sources", .counts(countrySources)),
            ("compliance_actions", .counts(actions)),
            ("erased_subjects_rejected", .integer(erased)),
        ]
    }
}
