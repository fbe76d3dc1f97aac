import PipelineSpec
import LeadRecords

/// Counts and time for one stage over a run.
public struct StageStatistics: Sendable {
    public var name: String
    /// Active records that entered the stage.
    public var rowsIn = 0
    /// Active records that left it.
    public var rowsOut = 0
    public var rowsRejected = 0
    public var rowsMerged = 0
    /// Seconds spent in the stage, summed over worker threads for per-record stages.
    public var seconds = 0.0

    public init(name: String) { self.name = name }

    mutating func add(_ other: StageStatistics) {
        rowsIn += other.rowsIn
        rowsOut += other.rowsOut
        rowsRejected += other.rowsRejected
        rowsMerged += other.rowsMerged
        seconds += other.seconds
    }
}

/// Totals of a run, accumulated in input order by the writer.
public struct RunTotals: Sendable {
    public var rowsIn = 0
    public var rowsOut = 0
    public var rowsRejected = 0
    public var rowsMerged = 0
    public var rejectReasons: [String: Int] = [:]
    /// The first rejected rows of each reason, in input order (chunks are consumed in order).
    public var rejectSamples: [String: [RejectSample]] = [:]
    /// Rows of an input detected as UTF-8 that were not, read as Windows-1252 instead of rejected.
    public var rowsReadAsWindows1252 = 0
    public var stages: [StageStatistics]
    /// Per stage, its merged figures (`nil` before any chunk reached it).
    public var summaries: [AnyStageSummary?]
    /// Seconds spent splitting fields, summed over workers.
    public var parseSeconds = 0.0
    /// Seconds spent turning records into output bytes, summed over workers.
    public var renderSeconds = 0.0
    /// Bytes of held rows set aside in temporary files while whole-list stages ran.
    public var bytesSetAside = 0
    /// What the run should tell its user about how it ran (rows held whole when values could not be set aside).
    public var notes: [String] = []

    public init(stageNames: [String]) {
        stages = stageNames.map(StageStatistics.init)
        summaries = Array(repeating: nil, count: stageNames.count)
    }

    /// rows_in = rows_out + rows_rejected + rows_merged: every row is accounted for.
    public var accountingHolds: Bool { rowsIn == rowsOut + rowsRejected + rowsMerged }
}

#if canImport(Glibc)
import Glibc
#endif
