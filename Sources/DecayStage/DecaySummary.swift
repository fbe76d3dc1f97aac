import Foundation
import PipelineSpec

/// What the decay stage counted, for the report and the store's run summary.
struct DecayCounts: Sendable {
    var status: [String: Int] = [:]
    var reasons: [String: Int] = [:]
    var actions: [String: Int] = [:]
    var suppressed: [String: Int] = [:]
    var notMailable = 0
    var unparseableDates = 0
    var scoreSum = 0.0
    var assessed = 0

    mutating func add(_ other: DecayCounts) {
        status.merge(other.status, uniquingKeysWith: +)
        reasons.merge(other.reasons, uniquingKeysWith: +)
        actions.merge(other.actions, uniquingKeysWith: +)
        suppressed.merge(other.suppressed, uniquingKeysWith: +)
        notMailable += other.notMailable
        unparseableDates += other.unparseableDates
        scoreSum += other.scoreSum
        assessed += other.assessed
    }

    /// The figures stored with the run, which next week's run compares against.
    var summaryJSON: String {
        func object(_ counts: [String: Int]) -> String {
            "{" + counts.sorted { $0.key < $1.key }.map { "\(ReportValue.quote($0.key)):\($0.value)" }.joined(separator: ",") + "}"
        }
        return #"{"status":\#(object(status)),"reasons":\#(object(reasons))}"#
    }

    /// Reads a stored run summary back (status and reason counts).
    static func parse(summaryJSON: String) -> (status: [String: Int], reasons: [String: Int]) {
        guard let data = summaryJSON.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return ([:], [:]) }
        func counts(_ key: String) -> [String: Int] {
            (object[key] as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.intValue } ?? [:]
        }
        return (counts("status"), counts("reasons"))
    }
}

/// What run-over-run comparison found.
struct HistoryFindings: Sendable {
    var previousRunID: Int64?
    var previousReferenceTime: Date?
    var previousStatus: [String: Int] = [:]
    var previousReasons: [String: Int] = [:]
    var compared = 0
    var newLeads = 0
    var vanished = 0
    var vanishedSample: [(entityID: String, email: String, line: Int)] = []
    /// Seconds staging (or recording) this run's snapshots took.
    var storeSeconds = 0.0
    /// Seconds loading the last run's snapshots took.
    var storeReadSeconds = 0.0
    /// This run's snapshots as the history kept them (staged for the runner, or recorded).
    var kept: (any KeptLeadRun)?
}

/// What decay found in a run: counts per chunk, merged in input order, and with a store what comparing
/// with the last run found.
public struct DecaySummary: StageSummary {
    var counts = DecayCounts()
    var history = HistoryFindings()

    public mutating func merge(_ other: DecaySummary) { counts.add(other.counts) }
}
