import Foundation
import PipelineSpec
import RunStore

/// One earlier run's counts, as the report's `history` lists them (the HTML report draws them as sparklines).
public struct RunHistoryEntry: Sendable, Equatable {
    public var startedAt: Date
    public var rowsIn: Int
    public var rowsOut: Int
    public var rowsRejected: Int
    public var rowsMerged: Int
}

extension RunHistoryEntry {
    /// How many runs the report lists.
    static let limit = 12

    /// The last runs of the history `run` belongs to, oldest first, read through the store's public API.
    static func lastRuns(storePath: String, of run: RunRecord) throws -> [RunHistoryEntry] {
        try RunStore(path: storePath).runs(pipeline: run.pipeline).suffix(limit).map { record in
            RunHistoryEntry(
                startedAt: record.startedAt, rowsIn: record.rowsIn, rowsOut: record.rowsActive,
                rowsRejected: record.rowsRejected, rowsMerged: record.rowsMerged)
        }
    }
}

extension RunReport {
    /// `history`, only when the store gave one, so reports of runs without a store keep their keys.
    var historyJSON: [(String, ReportValue)] { Self.historyJSON(history) }

    /// `history` as a report lists `runs` (nothing for none); `store import` writes it into a merged report.
    static func historyJSON(_ history: [RunHistoryEntry]) -> [(String, ReportValue)] {
        guard !history.isEmpty else { return [] }
        let iso = ISO8601DateFormatter()
        let runs: [ReportValue] = history.map { run in
            .object([
                ("started_at", .string(iso.string(from: run.startedAt))), ("rows_in", .integer(run.rowsIn)),
                ("rows_out", .integer(run.rowsOut)), ("rows_rejected", .integer(run.rowsRejected)),
                ("rows_merged", .integer(run.rowsMerged)),
            ])
        }
        return [("history", .array(runs))]
    }
}
