import Foundation
import GRDB
import LeadRecords
import Synchronization

/// A run's snapshots and enrichment values, written ahead into unlinked temporary files beside the
/// store, waiting for the run to succeed.
///
/// The pipeline runner records a run only after its outputs are in place. Decay knows the
/// snapshots long before that, while it still holds the whole list, so it stages them with
/// ``RunStore/stageRun(pipeline:summaryJSON:snapshots:enrichments:)``; the runner then calls
/// ``RunStore/commit(_:as:)``, which inserts the run row and moves the staged rows under it in one
/// transaction, or ``RunStore/discard(_:)`` when the run failed. The staged rows never touch the
/// store file before that commit, and their files are unlinked when created, so a process killed at
/// any point before the commit leaves the store exactly as it was and nothing behind.
public final class StagedRun: Sendable {
    /// The run-history name the stage records under (decay's `history`).
    public let pipeline: String
    /// The stage's figures for the run row's `summary_json`.
    public let summaryJSON: String
    /// How many snapshot rows were staged (before repeated entity ids are dropped at commit).
    public let stagedSnapshots: Int
    /// Seconds spent staging.
    public let stagingSeconds: Double
    let snapshotFile: StagingFile
    /// One row per lead (or per run of consecutive values of one entity): its entity id and set in `enrichmentSets`.
    let enrichmentFile: StagingFile
    let enrichmentSets: StagedEnrichmentSets
    let store: RunStore
    private let outcome = Mutex<(runID: Int64?, commitSeconds: Double)>((nil, 0))

    init(store: RunStore, pipeline: String, summaryJSON: String, snapshotFile: StagingFile, enrichmentFile: StagingFile,
         enrichmentSets: StagedEnrichmentSets, stagedSnapshots: Int, stagingSeconds: Double) {
        self.store = store
        self.enrichmentSets = enrichmentSets
        self.pipeline = pipeline
        self.summaryJSON = summaryJSON
        self.snapshotFile = snapshotFile
        self.enrichmentFile = enrichmentFile
        self.stagedSnapshots = stagedSnapshots
        self.stagingSeconds = stagingSeconds
    }

    /// The id of the run row the staged rows went to, once committed.
    public var recordedRunID: Int64? { outcome.withLock { $0.runID } }
    /// Seconds the commit took (0 before it).
    public var commitSeconds: Double { outcome.withLock { $0.commitSeconds } }

    func noteCommitted(runID: Int64, seconds: Double) { outcome.withLock { $0 = (runID, seconds) } }

    /// Gives the staging files' disk space back (the rows were committed or are dropped).
    func discardRows() {
        snapshotFile.empty()
        enrichmentFile.empty()
    }
}

extension RunStore {
    /// Writes a run's snapshots and enrichment values to staging files beside the store, to be
    /// committed with ``commit(_:as:)`` once the run has succeeded.
    ///
    /// Nothing reaches the store file: until the commit, other connections and later processes see
    /// the store as it was.
    public func stageRun(pipeline: String, summaryJSON: String, snapshots: some Sequence<LeadSnapshot>,
                         enrichments: some Sequence<EnrichmentValue> = [EnrichmentValue]()) throws -> StagedRun {
        let clock = ContinuousClock.now
        let folder = stagingFolder
        // Key after run_id: the entity id, the first text staged of each row.
        let snapshotFile = try StagingFile(directory: folder, keyTexts: 1)
        let enrichmentFile = try StagingFile(directory: folder, keyTexts: 1)
        for snapshot in snapshots { try RunRows.stage(snapshot, in: snapshotFile) }
        // Consecutive values of one entity (a lead's) become one row: the entity and its set of values.
        var sets = StagedEnrichmentSets()
        var blockEntity: String?
        var block: [Int] = []
        func stageBlock() throws {
            guard let blockEntity, !block.isEmpty else { return }
            enrichmentFile.append(blockEntity)
            enrichmentFile.append(Int64(sets.set(sets.fieldOrdered(block))))
            try enrichmentFile.endRow()
        }
        for value in enrichments {
            // Byte for byte: two spellings Swift calls equal are two entity ids in SQLite.
            if blockEntity.map({ !$0.utf8.elementsEqual(value.entityID.utf8) }) ?? true {
                try stageBlock()
                blockEntity = value.entityID
                block.removeAll(keepingCapacity: true)
            }
            block.append(sets.fact(value))
        }
        try stageBlock()
        return StagedRun(store: self, pipeline: pipeline, summaryJSON: summaryJSON, snapshotFile: snapshotFile,
                         enrichmentFile: enrichmentFile, enrichmentSets: sets, stagedSnapshots: snapshotFile.rows,
                         stagingSeconds: (ContinuousClock.now - clock).seconds)
    }

    /// Records `run` with the rows `staged` holds, in one transaction, and empties the staging files.
    ///
    /// The run row's `pipeline` and `summary_json` come from the staged run; a repeated entity id
    /// keeps its first snapshot, as in ``recordRun(_:snapshots:enrichments:)``.
    /// - Returns: the run as saved, with its id and snapshot count.
    @discardableResult
    public func commit(_ staged: StagedRun, as run: RunRecord) throws -> RunRecord {
        precondition(staged.store === self, "a staged run is committed through the store that staged it")
        let clock = ContinuousClock.now
        let saved = try pool.write { db in try insert(run, with: staged, db: db) }
        staged.discardRows()
        staged.noteCommitted(runID: saved.id!, seconds: (ContinuousClock.now - clock).seconds)
        return saved
    }

    /// Records a succeeded run with everything its stages left in `staging`, in ONE write transaction: the run
    /// row, the first staged run's snapshots and enrichment values (a second staging stage's rows are dropped,
    /// since a run has one row per lead), route's assignments under the run's id, dedupe's entity ids, and the files the run wrote.
    /// Then empties the staging area. A process killed before or during the transaction leaves the store as
    /// it was: no run row without its leads, assignments or output files.
    ///
    /// With a staged run the run row's `pipeline` and `summary_json` are the staged run's.
    /// - Returns: the run as saved, with its id and snapshot count.
    @discardableResult
    public func commit(_ run: RunRecord, staging: RunStagingArea,
                       outputs: [(role: String, path: String)] = []) throws -> RunRecord {
        let staged = staging.runs.first
        // The staged rows' files belong to the store (connection) that staged them: committed through it.
        if let staged, staged.store !== self { return try staged.store.commit(run, staging: staging, outputs: outputs) }
        let assignments = staging.routeAssignments ?? []
        let entityKeys = staging.entityKeys
        let clock = ContinuousClock.now
        let (saved, entityKeySeconds) = try pool.write { db in
            let saved: RunRecord
            if let staged {
                saved = try insert(run, with: staged, db: db)
            } else {
                var row = run
                row.id = nil
                row.snapshotCount = 0
                try row.insert(db)
                saved = row
            }
            guard let runID = saved.id else { throw RunStoreError.noRunID }
            try Self.insertRouteAssignments(assignments, runID: runID, db: db)
            let merging = ContinuousClock.now
            try EntityKeyPacks.merge(entityKeys, db: db)
            let entityKeySeconds = (ContinuousClock.now - merging).seconds
            try Self.insertOutputFiles(outputs, runID: runID, db: db)
            return (saved, entityKeySeconds)
        }
        staging.discard()
        // The staged run's figure is decay's part of the commit: dedupe's entity ids ride in the same transaction.
        staged?.noteCommitted(runID: saved.id!, seconds: (ContinuousClock.now - clock).seconds - entityKeySeconds)
        return saved
    }

    /// Inserts the run row and moves the staged rows under it (inside the caller's write transaction).
    private func insert(_ run: RunRecord, with staged: StagedRun, db: Database) throws -> RunRecord {
        var saved = run
        saved.id = nil
        saved.pipeline = staged.pipeline
        saved.summaryJSON = staged.summaryJSON
        saved.snapshotCount = 0
        // The history's last run before this one: its leads' versions are what unchanged leads share.
        let previousRunID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM run WHERE pipeline = ?", arguments: [saved.pipeline])
        try saved.insert(db)
        guard let runID = saved.id else { throw RunStoreError.noRunID }
        // This transaction holds the write lock from the insert on, so a reader sees what it sees until it commits:
        // last run's versions load on another connection and thread while this one loads the texts and values.
        let previous = BackgroundRead { [pool] in try pool.read { db in try PreviousVersions(runID: previousRunID, db: db) } }
        // Key order, equal keys in staging order: the first snapshot of an entity id wins, the last enrichment value.
        saved.snapshotCount = try RunRows.insertStaged(snapshots: staged.snapshotFile, enrichments: staged.enrichmentFile,
                                                       sets: staged.enrichmentSets, runID: runID, previous: previous.value,
                                                       db: db)
        try db.execute(sql: "UPDATE run SET snapshot_count = ? WHERE id = ?", arguments: [saved.snapshotCount, runID])
        return saved
    }

    /// Drops a staged run's rows (the run failed): the store stays as it was.
    public func discard(_ staged: StagedRun) throws {
        precondition(staged.store === self, "a staged run is discarded through the store that staged it")
        staged.discardRows()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension StagedRun {
    /// Records `run` with the staged rows through the store that staged them (``RunStore/commit(_:as:)``).
    @discardableResult
    public func commit(as run: RunRecord) throws -> RunRecord { try store.commit(self, as: run) }

    /// Drops the staged rows (``RunStore/discard(_:)``).
    public func discard() throws { try store.discard(self) }
}
