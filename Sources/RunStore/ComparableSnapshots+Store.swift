import Foundation
import GRDB
import GRDBSQLite
import LeadRecords

extension ComparableSnapshots {
    /// The columns read from a run in the earlier layout (`lead_snapshot`), in `Field` order after `entity_id` and `line`.
    static let legacyQuery = """
        SELECT entity_id, line, email, title, company, email_status FROM lead_snapshot WHERE run_id = ? ORDER BY entity_id
        """

    /// Reads a run's snapshots: packed leads (``PackedRunRead``), or the rows of a run in the earlier layout
    /// with SQLite's own calls (going through GRDB rows cost more than the read).
    init(runID: Int64, db: Database) throws {
        if try RunLeadPacks.hasLeads(runID: runID, db: db) {
            self = try PackedRunRead.comparableSnapshots(runID: runID, db: db)
            return
        }
        self.init()
        let expected = try Int.fetchOne(db, sql: "SELECT snapshot_count FROM run WHERE id = ?", arguments: [runID]) ?? 0
        reserve(expected)
        let statement = try db.makeStatement(sql: Self.legacyQuery)
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        sqlite3_bind_int64(sqlite, 1, runID)
        while try SQLiteRows.step(sqlite, db) {
            // The same String GRDB makes for a TEXT column (String(cString:)), so ids compare as before.
            appendSnapshot(entityID: String(cString: sqlite3_column_text(sqlite, 0)!), line: Int(sqlite3_column_int64(sqlite, 1)))
            for column in Int32(2)..<Int32(2 + Field.allCases.count) { appendText(SQLiteRows.bytes(sqlite, column)) }
        }
    }
}

extension RunStore {
    /// A run's lead snapshots reduced to the fields the next run compares (see ``ComparableSnapshots``):
    /// what the decay stage loads, in a fraction of the time and memory of ``snapshotsByEntity(runID:)``.
    public func comparableSnapshots(runID: Int64) throws -> ComparableSnapshots {
        try pool.read { db in try ComparableSnapshots(runID: runID, db: db) }
    }
}
