import DecayStage
import Foundation
import LeadRecords
import RunStore
import Synchronization

/// decay's ``LeadHistory`` on the run store: the history's last run with its comparable snapshots, and this
/// run's snapshots staged beside the store for the runner (``RunStagingArea``), or recorded at once when the
/// stage runs without a runner.
final class StoreLeadHistory: LeadHistory {
    private let store: RunStore
    private let staging: RunStagingArea?
    /// Reads of a history's last run started by ``readAhead(lastRunOf:)``, each taken once by ``lastRun(of:)``.
    private let readsAhead = Mutex<[String: BackgroundRead<PreviousLeadRun?>]>([:])
    /// Whether this process runs decay (a Spark segment of other stages, or explain-match, sets decay up but never
    /// runs it: a read ahead would cost 1.4 s and 150 MB at a million leads for nothing).
    private let readAheadWanted: Bool

    init(store: RunStore, staging: RunStagingArea?, readAheadWanted: Bool = true) {
        self.store = store
        self.staging = staging
        self.readAheadWanted = readAheadWanted
    }

    var recordsRunItself: Bool { staging == nil }

    func lastRun(of history: String) throws -> PreviousLeadRun? {
        if let ahead = readsAhead.withLock({ $0.removeValue(forKey: history) }) { return try ahead.value() }
        return try Self.lastRun(of: history, in: store)
    }

    /// Reads the last run on another thread now: decay is set up before the run's first row is read, and the
    /// read (1.4 s at a million leads) then overlaps the stages before decay instead of holding up the rows
    /// at decay's start. A run that fails before decay leaves the read unused; closing the store waits for it.
    func readAhead(lastRunOf history: String) {
        guard readAheadWanted else { return }
        readsAhead.withLock { reads in
            guard reads[history] == nil else { return }
            reads[history] = BackgroundRead { [store] in try Self.lastRun(of: history, in: store) }
        }
    }

    private static func lastRun(of history: String, in store: RunStore) throws -> PreviousLeadRun? {
        guard let run = try store.latestRun(pipeline: history), let id = run.id else { return nil }
        return PreviousLeadRun(id: id, referenceTime: run.referenceTime, summaryJSON: run.summaryJSON,
                               snapshots: try store.comparableSnapshots(runID: id))
    }

    func beginKeeping(extractor: SnapshotExtractor) throws -> any LeadRunKeeping {
        Keeping(store: store, staging: staging, writer: try StagedRunWriter(store: store, extractor: extractor))
    }

    /// This run's rows staged chunk by chunk beside the store, then left for the runner or recorded.
    final class Keeping: LeadRunKeeping, @unchecked Sendable {
        // `prepare` only reads the writer's extractor (any thread); `add` and `finish` run on one thread at a time:
        // decay hands it its chunks in input order, then finishes it.
        private let store: RunStore
        private let staging: RunStagingArea?
        private let writer: StagedRunWriter

        init(store: RunStore, staging: RunStagingArea?, writer: StagedRunWriter) {
            self.store = store
            self.staging = staging
            self.writer = writer
        }

        func prepare(_ records: [Record]) -> any Sendable { writer.prepare(records) }

        func add(prepared: any Sendable) throws {
            guard let chunk = prepared as? StagedChunk else { preconditionFailure("a chunk this keeping prepared") }
            try writer.add(chunk)
        }

        func finish(_ run: LeadRunFacts) throws -> any KeptLeadRun {
            let staged = try writer.finish(pipeline: run.history, summaryJSON: run.summaryJSON)
            if let staging {
                staging.add(staged)
                return StagedLeads(staged: staged)
            }
            // No runner: recorded now, the run row and the staged rows in one transaction (as `recordRun` does).
            let record = RunRecord(pipeline: run.history, inputChecksum: run.inputChecksum, referenceTime: run.referenceTime,
                                   startedAt: run.startedAt, finishedAt: Date(), rowsIn: run.rowsIn, rowsActive: run.rowsActive,
                                   rowsRejected: run.rowsRejected, rowsMerged: run.rowsMerged, summaryJSON: run.summaryJSON)
            return RecordedLeads(recordedRunID: try store.commit(staged, as: record).id)
        }
    }

    /// Staged rows: the run id and commit time are known once the runner has committed them.
    struct StagedLeads: KeptLeadRun {
        let staged: StagedRun
        var recordedRunID: Int64? { staged.recordedRunID }
        var commitSeconds: Double { staged.commitSeconds }
    }

    struct RecordedLeads: KeptLeadRun {
        let recordedRunID: Int64?
        var commitSeconds: Double { 0 }
    }
}
