import Foundation
import LeadIO
import LeadRecords
import PipelineExecution
import PipelineFileLoading
import PipelineSpec
import RunStore

/// Records a pipeline run in the run store once its outputs are in place: one `run` row per run,
/// with the snapshots a stage staged (decay) attached to it.
///
/// A run that failed (`fail_if` crossed, accounting broken) is not recorded and its staged rows are
/// dropped, so next week compares with the last run whose output was published (see docs/store.md).
struct RunRecorder {
    let storePath: String
    /// The history a run without staged rows is recorded under: the pipeline file's name without
    /// extension, the same default decay's `history` has.
    let history: String
    /// `store.keep_runs`: runs of the history kept after a successful run records (or finds) its own.
    var keepRuns = PipelineFile.defaultKeepRuns
    /// `store.keep_days`: a run beyond `keepRuns` stays while it is at most this many days older than the run that prunes.
    var keepDays: Int?

    init(storePath: String, pipelinePath: String) {
        self.storePath = storePath
        history = URL(fileURLWithPath: pipelinePath).deletingPathExtension().lastPathComponent
    }

    /// What recording a succeeded run did.
    struct Recorded {
        /// The run as the store holds it.
        var run: RunRecord
        /// The store's latest run of this history saw the same input bytes at the same reference time:
        /// this run is a retry of it (a scheduler running a failed job again), so it was not recorded twice.
        var wasAlreadyRecorded: Bool
        /// How many older runs of the history were pruned to keep `keepRuns`.
        var runsPruned: Int
    }

    /// Records the succeeded run with the first staged run's rows, then prunes the history's runs
    /// beyond `keepRuns` (and older than `keepDays` days before the run's reference time); a second staging stage's rows are dropped, since a run has one row per lead.
    /// - Parameter inputChecksum: the checksum of the input's bytes, taken while the run read them.
    /// - Parameter services: the run's services; route's assignments waiting there are kept with the run.
    @discardableResult
    func recordSucceeded(staging: RunStagingArea?, totals: RunTotals, inputChecksum: String, referenceTime: Date,
                         startedAt: Date, services: StageServices = StageServices(),
                         outputs: [(role: String, path: String)] = []) throws -> Recorded {
        let pendingAssignments = try services.open(PendingRouteAssignments.self)
        let staged = staging?.runs ?? []
        let historyName = staged.first?.pipeline ?? history
        let store = try RunStore(path: storePath)
        if let latest = try store.latestRun(pipeline: historyName),
           latest.inputChecksum == inputChecksum, abs(latest.referenceTime.timeIntervalSince(referenceTime)) < 0.001 {
            for run in staged { try run.discard() }
            pendingAssignments?.discard()
            return Recorded(run: latest, wasAlreadyRecorded: true,
                            runsPruned: try store.pruneRuns(pipeline: historyName, keepingLast: keepRuns, keepingDays: keepDays,
                                                            now: referenceTime))
        }
        let run = RunRecord(pipeline: history, inputChecksum: inputChecksum,
                            referenceTime: referenceTime, startedAt: startedAt, finishedAt: Date(),
                            rowsIn: totals.rowsIn, rowsActive: totals.rowsOut, rowsRejected: totals.rowsRejected,
                            rowsMerged: totals.rowsMerged)
        for extra in staged.dropFirst() { try extra.discard() }
        let saved = try staged.first.map { try $0.commit(as: run) } ?? store.recordRun(run, snapshots: [LeadSnapshot]())
        if let id = saved.id { try pendingAssignments?.commit(storePath: storePath, runID: id) }
        // Which files the run wrote, so `leadhygiene forget` can name those that still hold an erased person.
        if let id = saved.id, !outputs.isEmpty { try store.recordOutputFiles(runID: id, files: outputs) }
        // Pruned only once this run is in: the store never holds fewer than the runs it was told to keep.
        let pruned = try store.pruneRuns(pipeline: saved.pipeline, keepingLast: keepRuns, keepingDays: keepDays, now: referenceTime)
        return Recorded(run: saved, wasAlreadyRecorded: false, runsPruned: pruned)
    }

    /// Drops what the stages staged for a run that failed (or that is not recorded: `explain-match`, `--dry-run`).
    static func discard(_ staging: RunStagingArea?) {
        for staged in staging?.runs ?? [] { try? staged.discard() }
    }
}
