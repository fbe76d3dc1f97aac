import GRDB
import GRDBSQLite
import LeadRecords

/// The table `run_lead_pack`: a run's leads in blobs of up to ``RunLeadPack/chunkSize``, in entity-id order
/// and in `id` order within the run (migration `v-packed-runs`).
enum RunLeadPacks {
    /// Appends a run's leads in order, writing a blob each time a chunk is full.
    struct Writer {
        private let insert: RawRowInsert
        // Owns the SQLite statement `insert` uses.
        private let statement: Statement
        private let runID: Int64
        private let db: Database
        private var pending: [RunLeadEntry] = []
        private(set) var written = 0

        init(runID: Int64, db: Database) throws {
            self.runID = runID
            self.db = db
            statement = try db.makeStatement(sql: "INSERT INTO run_lead_pack (run_id, lead_count, leads) VALUES (?, ?, ?)")
            insert = RawRowInsert(statement.sqliteStatement)
            pending.reserveCapacity(RunLeadPack.chunkSize)
        }

        mutating func append(_ lead: RunLeadEntry) throws {
            pending.append(lead)
            if pending.count == RunLeadPack.chunkSize { try flush() }
        }

        /// Writes what is left; call once at the end.
        mutating func finish() throws { try flush() }

        private mutating func flush() throws {
            guard !pending.isEmpty else { return }
            let blob = RunLeadPack.encode(pending)
            insert.bind(1, runID)
            insert.bind(2, Int64(pending.count))
            try blob.withUnsafeBytes { bytes in
                insert.bind(3, blob: bytes)
                try insert.step(db)
            }
            written += pending.count
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// A run's leads in the order they were packed (entity-id order).
    static func leads(runID: Int64, db: Database) throws -> [RunLeadEntry] {
        var leads: [RunLeadEntry] = []
        try forEachBlob(db, sql: "SELECT id, run_id, leads FROM run_lead_pack WHERE run_id = ? ORDER BY id", runID: runID) { _, _, blob in
            try RunLeadPack.decode(blob) { leads.append($0) }
        }
        return leads
    }

    /// Whether the run keeps its leads here (rather than in the legacy `lead_snapshot`).
    static func hasLeads(runID: Int64, db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run_lead_pack WHERE run_id = ?)", arguments: [runID]) ?? false
    }

    /// Every blob of every run (`runID == nil`) or of one run, with its row id and run.
    static func forEachBlob(_ db: Database, runID: Int64? = nil,
                            _ body: (_ packID: Int64, _ runID: Int64, _ blob: UnsafeRawBufferPointer) throws -> Void) throws {
        if let runID {
            try forEachBlob(db, sql: "SELECT id, run_id, leads FROM run_lead_pack WHERE run_id = ? ORDER BY id", runID: runID, body)
        } else {
            try forEachBlob(db, sql: "SELECT id, run_id, leads FROM run_lead_pack ORDER BY id", runID: nil, body)
        }
    }

    private static func forEachBlob(_ db: Database, sql: String, runID: Int64?,
                                    _ body: (Int64, Int64, UnsafeRawBufferPointer) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        if let runID { sqlite3_bind_int64(sqlite, 1, runID) }
        while try SQLiteRows.step(sqlite, db) {
            let blob = UnsafeRawBufferPointer(start: sqlite3_column_blob(sqlite, 2), count: Int(sqlite3_column_bytes(sqlite, 2)))
            try body(sqlite3_column_int64(sqlite, 0), sqlite3_column_int64(sqlite, 1), blob)
        }
    }

    /// The versions and enrichment sets the packed leads of every run point at.
    static func references(_ db: Database) throws -> (versions: Set<Int64>, sets: Set<Int64>) {
        var versions = Set<Int64>(), sets = Set<Int64>()
        try forEachBlob(db) { _, _, blob in
            try RunLeadPack.decode(blob) { lead in
                versions.insert(lead.versionID)
                if let set = lead.enrichmentSetID { sets.insert(set) }
            }
        }
        return (versions, sets)
    }

    /// How many leads a run has packed.
    static func count(runID: Int64, db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(sum(lead_count), 0) FROM run_lead_pack WHERE run_id = ?", arguments: [runID]) ?? 0
    }
}

/// Stepping a raw SQLite statement, with SQLite's error as a GRDB error.
enum SQLiteRows {
    /// `true` when a row is ready, `false` when done.
    static func step(_ statement: SQLiteStatement, _ db: Database) throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }

    /// A column's bytes as stored (a TEXT column read as a blob is not converted).
    static func bytes(_ statement: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
    }
}
