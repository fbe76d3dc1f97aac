import GRDB
import GRDBSQLite

/// Binds one row's values to a prepared INSERT with SQLite's own calls, then runs it.
///
/// Used for the store's bulk writes (a million lead snapshots a week), where building GRDB's
/// `StatementArguments` for every row cost more than SQLite's insert itself.
struct RawRowInsert {
    let statement: SQLiteStatement

    init(_ statement: SQLiteStatement) { self.statement = statement }

    /// SQLITE_TRANSIENT: SQLite copies the bytes, so the Swift string may go away after binding.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(statement, index, $0, Int32(bytes.count), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
        }
    }

    /// SQLITE_STATIC: SQLite reads the bytes where they are, when the row is stepped; copying each value
    /// (SQLITE_TRANSIENT, a malloc and a copy) cost as much as a third of a lead version's insert.
    private static let inPlace = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    /// Binds UTF-8 bytes as text, read in place: they must stay valid until ``step(_:)`` returns.
    func bind(_ index: Int32, utf8 bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.inPlace)
        } else {
            sqlite3_bind_text(statement, index, "", 0, Self.transient)
        }
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(statement, index, value) }

    /// Binds an integer, or NULL.
    func bind(_ index: Int32, optional value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Binds bytes as a blob, read in place: they must stay valid until ``step(_:)`` returns.
    func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            sqlite3_bind_blob(statement, index, base, Int32(bytes.count), Self.inPlace)
        } else {
            sqlite3_bind_zeroblob(statement, index, 0)
        }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Runs the statement and resets it for the next row, its values unbound (no pointer to bytes bound in
    /// place outlives the step).
    func step(_ db: Database) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
