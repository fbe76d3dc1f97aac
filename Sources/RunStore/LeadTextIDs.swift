import Foundation
import GRDB
import GRDBSQLite

/// The ids of the texts lead versions share (`lead_text`, migration `v-lead-text`): names, titles,
/// companies, domains, statuses, dispositions and the part of an email after its `@`.
///
/// A million leads have a few hundred thousand distinct such texts: a company's name and domain are
/// stored once however many of its contacts there are, and a version holds their ids. A commit loads
/// every text into memory once (no SQLite index over them) and stores the texts it has not seen.
final class LeadTextIDs {
    private var ids = ByteStringIDs()
    private let insert: RawRowInsert
    // Owns the SQLite statement `insert` uses.
    private let statement: Statement
    private let db: Database

    init(db: Database) throws {
        self.db = db
        statement = try db.makeStatement(sql: "INSERT INTO lead_text (text) VALUES (?)")
        insert = RawRowInsert(statement.sqliteStatement)
        let all = try db.makeStatement(sql: "SELECT id, text FROM lead_text")
        let sqlite = all.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            ids.insert(UnsafeRawBufferPointer(start: sqlite3_column_blob(sqlite, 1), count: Int(sqlite3_column_bytes(sqlite, 1))),
                       id: sqlite3_column_int64(sqlite, 0))
        }
    }

    /// The id of `text`, stored now if no version had it.
    func id(of text: UnsafeRawBufferPointer) throws -> Int64 {
        if let id = ids.id(of: text) { return id }
        insert.bind(1, utf8: text)
        try insert.step(db)
        let id = sqlite3_last_insert_rowid(db.sqliteConnection)
        ids.insert(text, id: id)
        return id
    }

    /// The id of a non-empty text; an empty text is stored as NULL (no id).
    func idUnlessEmpty(_ text: UnsafeRawBufferPointer) throws -> Int64? {
        text.isEmpty ? nil : try id(of: text)
    }
}
