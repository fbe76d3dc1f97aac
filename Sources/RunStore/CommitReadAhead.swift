import GRDB
import Synchronization

/// What a run's commit loads before it walks the staged rows: every lead text, every enrichment provenance,
/// fact and set, and the versions of the history's last run, read in one read transaction on the store's
/// writer connection, with the marks that tell the commit whether the store changed since.
///
/// At a million leads this load was a second of the commit, on the run's path after its outputs were published;
/// read ahead, it overlaps the stages before decay.
struct CommitTables: Sendable {
    var texts: StoredLeadTexts
    var enrichment: StoredEnrichmentIDs
    var previous: PreviousVersions
    /// The history's last run when the tables were read.
    let previousRunID: Int64?
    /// `PRAGMA data_version` as the read saw it. On one connection it changes when, and only when, another
    /// connection commits; the same connection's own writes are counted by ``ownWrites``.
    let dataVersion: Int64
    /// ``CommitReadAhead/ownWrites`` when the read started.
    let ownWrites: Int

    /// Reads the tables inside a read transaction of `db`, the store's writer connection.
    init(pipeline: String, db: Database, ownWrites: Int) throws {
        dataVersion = try Self.dataVersion(db)
        previousRunID = try Self.lastRunID(pipeline: pipeline, db: db)
        texts = try StoredLeadTexts(db: db)
        enrichment = try StoredEnrichmentIDs(db: db)
        previous = try PreviousVersions(runID: previousRunID, db: db)
        self.ownWrites = ownWrites
    }

    static func dataVersion(_ db: Database) throws -> Int64 { try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }

    static func lastRunID(pipeline: String, db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM run WHERE pipeline = ?", arguments: [pipeline])
    }
}

/// The commit's tables (``CommitTables``) read ahead for one pipeline history on another thread while the run goes
/// on, and the count of this store's own writes to the tables they hold, which another connection's
/// `data_version` does not see.
final class CommitReadAhead: Sendable {
    private let state = Mutex<(ownWrites: Int, pending: (pipeline: String, read: BackgroundRead<CommitTables>)?)>((0, nil))

    /// Notes a write to the run tables through this store (a commit, a prune, an erasure); called inside the
    /// writer's transaction, so it is ordered with the read ahead, which runs on the same connection.
    func noteOwnWrite() { state.withLock { $0.ownWrites += 1 } }

    var ownWrites: Int { state.withLock { $0.ownWrites } }

    /// Starts reading the tables for `pipeline`'s next commit, replacing an earlier read ahead.
    func start(pipeline: String, pool: StoreDatabase) {
        let read = BackgroundRead { [self] in
            try pool.writeWithoutTransaction { db in
                var tables: CommitTables?
                try db.inTransaction(.deferred) {
                    tables = try CommitTables(pipeline: pipeline, db: db, ownWrites: ownWrites)
                    return .commit
                }
                return tables!
            }
        }
        state.withLock { $0.pending = (pipeline, read) }
    }

    /// The tables read ahead for `pipeline`, once (`nil` when none were, or their read failed). Called outside the
    /// writer connection: the read runs there.
    func take(pipeline: String) -> CommitTables? {
        let pending = state.withLock { state -> BackgroundRead<CommitTables>? in
            defer { state.pending = nil }
            return state.pending?.pipeline == pipeline ? state.pending?.read : nil
        }
        return try? pending?.value()
    }

    /// `tables` when the store is as they read it, inside the commit's write transaction: no other connection
    /// committed since (`data_version`), this store wrote nothing to the run tables, and the history's last run is
    /// the same.
    func unchanged(_ tables: CommitTables?, previousRunID: Int64?, db: Database) throws -> CommitTables? {
        guard let tables, tables.ownWrites == ownWrites, tables.previousRunID == previousRunID,
              tables.dataVersion == (try CommitTables.dataVersion(db)) else { return nil }
        return tables
    }
}

extension RunStore {
    /// Starts reading what the next commit of `pipeline`'s staged run loads before it writes (texts, enrichment
    /// ids, last run's versions), on another thread; the commit uses it only if the store has not changed since.
    /// Nothing for a read-only store.
    public func readAheadCommit(pipeline: String) {
        guard !isReadOnly else { return }
        commitReadAhead.start(pipeline: pipeline, pool: pool)
    }
}
