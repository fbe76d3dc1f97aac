import Foundation
import LeadIO
import LeadRecords
import PipelineExecution
import PipelineFileLoading
import PipelineSpec
import RunStore

/// Records a pipeline run in the run store once its outputs are in place: one `run` row per run, with
/// what the stages staged (decay's snapshots, route's assignments) and the run's output files, in one transaction.
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

    /// Records the succeeded run with everything its stages staged (``RunStagingArea``: the first staged run's
    /// snapshots and enrichment values, route's assignments) and the files it wrote, in one transaction, then
    /// prunes the history's runs beyond `keepRuns` (and older than `keepDays` days before the run's reference
    /// time); a second staging stage's rows are dropped, since a run has one row per lead.
    /// - Parameter inputChecksum: the checksum of the input's bytes, taken while the run read them.
    @discardableResult
    func recordSucceeded(staging: RunStagingArea?, totals: RunTotals, inputChecksum: String, referenceTime: Date,
                         startedAt: Date, outputs: [(role: String, path: String)] = []) throws -> Recorded {
        let staging = staging ?? RunStagingArea()
        let historyName = staging.runs.first?.pipeline ?? history
        let store = try RunStore(path: storePath)
        if let latest = try store.latestRun(pipeline: historyName),
           latest.inputChecksum == inputChecksum, abs(latest.referenceTime.timeIntervalSince(referenceTime)) < 0.001 {
            staging.discard()
            return Recorded(run: latest, wasAlreadyRecorded: true,
                            runsPruned: try store.pruneRuns(pipeline: historyName, keepingLast: keepRuns, keepingDays: keepDays,
                                                            now: referenceTime))
        }
        let run = RunRecord(pipeline: history, inputChecksum: inputChecksum,
                            referenceTime: referenceTime, startedAt: startedAt, finishedAt: Date(),
                            rowsIn: totals.rowsIn, rowsActive: totals.rowsOut, rowsRejected: totals.rowsRejected,
                            rowsMerged: totals.rowsMerged)
        // Which files the run wrote go with it, so `leadhygiene forget` can name those that still hold an erased person.
        let saved = try store.commit(run, staging: staging, outputs: outputs)
        // Pruned only once this run is in: the store never holds fewer than the runs it was told to keep.
        let pruned = try store.pruneRuns(pipeline: saved.pipeline, keepingLast: keepRuns, keepingDays: keepDays, now: referenceTime)
        return Recorded(run: saved, wasAlreadyRecorded: false, runsPruned: pruned)
    }

    /// Drops what the stages staged for a run that failed (or that is not recorded: `explain-match`, `--dry-run`).
    static func discard(_ staging: RunStagingArea?) {
        staging?.discard()
    }
}
