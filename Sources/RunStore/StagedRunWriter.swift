import Foundation
import LeadRecords

/// Stages a run's snapshots and enrichment values a list at a time, in input order, to be committed as one
/// ``StagedRun``: what ``RunStore/stageRun(pipeline:summaryJSON:records:extractor:jobs:)`` stages from the whole
/// list at once, byte for byte, without the list ever being held.
///
/// decay streams its chunks through ``add(_:)`` in input order and calls ``finish(pipeline:summaryJSON:)`` after the
/// last one. What stays in memory grows with the run's distinct enrichment combinations and sets, not with its rows:
/// the rows go to the staging files (unlinked temporary files beside the store, as for every staged run), so a
/// run that fails or is killed before the runner's commit leaves the store as it was.
///
/// Used from one thread at a time (the caller orders the calls).
public final class StagedRunWriter: @unchecked Sendable {
    private let store: RunStore
    private let extractor: SnapshotExtractor
    private let snapshotFile: StagingFile
    private let enrichmentFile: StagingFile
    private var enrichments = EnrichmentBlocks()
    private var seconds = 0.0
    private var isFinished = false

    /// Opens the staging files beside the store.
    public init(store: RunStore, extractor: SnapshotExtractor) throws {
        let clock = ContinuousClock.now
        self.store = store
        self.extractor = extractor
        let folder = store.stagingFolder
        // Key after run_id: the entity id, the first text staged of each row.
        snapshotFile = try StagingFile(directory: folder, keyTexts: 1)
        enrichmentFile = try StagingFile(directory: folder, keyTexts: 1)
        enrichments.values.fieldNames = extractor.enrichedFieldNames
        seconds = (ContinuousClock.now - clock).seconds
    }

    /// Stages the snapshots and enrichment values of `records`, which come after the records added before.
    public func add(_ records: [Record]) throws { try add(prepare(records)) }

    /// Encodes what ``add(_:)-(StagedChunk)`` stages of `records`, as they will be when it is added; any
    /// thread, several at once.
    public func prepare(_ records: [Record]) -> StagedChunk { StagedChunk(records: records, extractor: extractor) }

    /// Stages a chunk's snapshots and enrichment values, which come after those added before.
    public func add(_ chunk: StagedChunk) throws {
        precondition(!isFinished, "records added to a staged run after it was finished")
        let clock = ContinuousClock.now
        try snapshotFile.appendRows(chunk.snapshotRows, ends: chunk.snapshotRowEnds)
        try enrichments.stage(chunk, in: enrichmentFile)
        seconds += (ContinuousClock.now - clock).seconds
    }

    /// The staged run, for the runner to commit (``RunStore/commit(_:staging:outputs:)``) or drop.
    public func finish(pipeline: String, summaryJSON: String) throws -> StagedRun {
        precondition(!isFinished, "a staged run is finished once")
        isFinished = true
        let clock = ContinuousClock.now
        try snapshotFile.finishRows()
        let sets = try enrichments.finish(in: enrichmentFile)
        seconds += (ContinuousClock.now - clock).seconds
        return StagedRun(store: store, pipeline: pipeline, summaryJSON: summaryJSON, snapshotFile: snapshotFile,
                         enrichmentFile: enrichmentFile, enrichmentSets: sets, stagedSnapshots: snapshotFile.rows,
                         stagingSeconds: seconds)
    }

    /// Gives the staging files' disk space back now (the run failed before it was finished).
    public func discard() {
        snapshotFile.empty()
        enrichmentFile.empty()
    }
}
