import DecayStage
import Foundation
import LeadRecords
import RunStore

/// decay's ``LeadHistory`` on the run store: the history's last run with its comparable snapshots, and this
/// run's snapshots staged beside the store for the runner (``RunStagingArea``), or recorded at once when the
/// stage runs without a runner.
final class StoreLeadHistory: LeadHistory {
    private let store: RunStore
    private let staging: RunStagingArea?

    init(store: RunStore, staging: RunStagingArea?) {
        self.store = store
        self.staging = staging
    }

    var recordsRunItself: Bool { staging == nil }

    func lastRun(of history: String) throws -> PreviousLeadRun? {
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
