import Foundation
import GRDB
import Synchronization

/// A run's snapshots and enrichment values, written ahead into the store connection's temporary
/// tables, waiting for the run to succeed.
///
/// The pipeline runner records a run only after its outputs are in place. Decay knows the
/// snapshots long before that, while it still holds the whole list, so it stages them with
/// ``RunStore/stageRun(pipeline:summaryJSON:snapshots:enrichments:)``; the runner then calls
/// ``RunStore/commit(_:as:)``, which inserts the run row and moves the staged rows under it in one
/// transaction, or ``RunStore/discard(_:)`` when the run failed. Temporary tables live outside the
/// store file (SQLite's `temp` schema of one connection), so a process killed at any point before
/// the commit leaves the file exactly as it was.
public final class StagedRun: Sendable {
    /// The run-history name the stage records under (decay's `history`).
    public let pipeline: String
    /// The stage's figures for the run row's `summary_json`.
    public let summaryJSON: String
    /// How many snapshot rows were staged (before repeated entity ids are dropped at commit).
    public let stagedSnapshots: Int
    /// Seconds spent staging.
    public let stagingSeconds: Double
    let snapshotTable: String
    let enrichmentTable: String
    let store: RunStore
    private let outcome = Mutex<(runID: Int64?, commitSeconds: Double)>((nil, 0))

    init(store: RunStore, pipeline: String, summaryJSON: String, snapshotTable: String, enrichmentTable: String,
         stagedSnapshots: Int, stagingSeconds: Double) {
        self.store = store
        self.pipeline = pipeline
        self.summaryJSON = summaryJSON
        self.snapshotTable = snapshotTable
        self.enrichmentTable = enrichmentTable
        self.stagedSnapshots = stagedSnapshots
        self.stagingSeconds = stagingSeconds
    }

    /// The id of the run row the staged rows went to, once committed.
    public var recordedRunID: Int64? { outcome.withLock { $0.runID } }
    /// Seconds the commit took (0 before it).
    public var commitSeconds: Double { outcome.withLock { $0.commitSeconds } }

    func noteCommitted(runID: Int64, seconds: Double) { outcome.withLock { $0 = (runID, seconds) } }
}

extension RunStore {
    private static let stagingCounter = Atomic<Int>(0)

    /// Writes a run's snapshots and enrichment values to temporary tables of this store's write
    /// connection, to be committed with ``commit(_:as:)`` once the run has succeeded.
    ///
    /// Nothing reaches the store file: until the commit, other connections and later processes see
    /// the store as it was.
    public func stageRun(pipeline: String, summaryJSON: String, snapshots: some Sequence<LeadSnapshot>,
                         enrichments: some Sequence<EnrichmentValue> = [EnrichmentValue]()) throws -> StagedRun {
        let clock = ContinuousClock.now
        let n = Self.stagingCounter.add(1, ordering: .relaxed).newValue
        let snapshotTable = "temp.staged_snapshot_\(n)", enrichmentTable = "temp.staged_enrichment_\(n)"
        // The temp schema is the write connection's own; `writeWithoutTransaction` keeps the main
        // file out of it (no write lock taken, no WAL frames written while staging).
        let staged = try pool.writeWithoutTransaction { db -> Int in
            // The staged rows are written once and read once: a cache as large as the store's keeps them off the disk.
            try db.execute(sql: "PRAGMA temp.cache_size = -65536")
            try db.execute(sql: """
                CREATE TABLE \(snapshotTable) AS SELECT * FROM main.lead_snapshot WHERE 0;
                CREATE TABLE \(enrichmentTable) AS SELECT * FROM main.enrichment_value WHERE 0;
                """)
            var count = 0
            try db.inTransaction {
                count = try RunRows.insertSnapshots(snapshots, into: snapshotTable, runID: 0, db: db)
                try RunRows.insertEnrichments(enrichments, into: enrichmentTable, runID: 0, db: db)
                return .commit
            }
            return count
        }
        let elapsed = ContinuousClock.now - clock
        return StagedRun(store: self, pipeline: pipeline, summaryJSON: summaryJSON, snapshotTable: snapshotTable,
                         enrichmentTable: enrichmentTable, stagedSnapshots: staged, stagingSeconds: elapsed.seconds)
    }

    /// Records `run` with the rows `staged` holds, in one transaction, and drops the staging tables.
    ///
    /// The run row's `pipeline` and `summary_json` come from the staged run; a repeated entity id
    /// keeps its first snapshot, as in ``recordRun(_:snapshots:enrichments:)``.
    /// - Returns: the run as saved, with its id and snapshot count.
    @discardableResult
    public func commit(_ staged: StagedRun, as run: RunRecord) throws -> RunRecord {
        precondition(staged.store === self, "a staged run is committed through the store that staged it")
        let clock = ContinuousClock.now
        let saved = try pool.write { db in
            var saved = run
            saved.id = nil
            saved.pipeline = staged.pipeline
            saved.summaryJSON = staged.summaryJSON
            saved.snapshotCount = 0
            try saved.insert(db)
            guard let runID = saved.id else { throw RunStoreError.noRunID }
            // Staging order: the first snapshot of an entity id wins, the last enrichment value (as in recordRun).
            // (Sorting by entity id first, to append to the key's tree, cost more than it saved.)
            try db.execute(sql: """
                INSERT OR IGNORE INTO main.lead_snapshot
                SELECT ?, entity_id, line, email, first_name, last_name, title, company, domain, email_status,
                       web_status, web_redirect_domain, decay_status, decay_score, disposition
                FROM \(staged.snapshotTable) ORDER BY rowid
                """, arguments: [runID])
            saved.snapshotCount = db.changesCount
            try db.execute(sql: """
                INSERT OR REPLACE INTO main.enrichment_value
                SELECT ?, entity_id, field, value, source, as_of FROM \(staged.enrichmentTable)
                ORDER BY rowid
                """, arguments: [runID])
            try db.execute(sql: "UPDATE run SET snapshot_count = ? WHERE id = ?", arguments: [saved.snapshotCount, runID])
            return saved
        }
        try discard(staged)
        staged.noteCommitted(runID: saved.id!, seconds: (ContinuousClock.now - clock).seconds)
        return saved
    }

    /// Drops a staged run's rows (the run failed): the store stays as it was.
    public func discard(_ staged: StagedRun) throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TABLE IF EXISTS \(staged.snapshotTable); DROP TABLE IF EXISTS \(staged.enrichmentTable)")
        }
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
