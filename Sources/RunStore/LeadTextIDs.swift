import Foundation
import GRDB
import GRDBSQLite

/// The ids of the texts lead versions share (`lead_text`, migration `v-lead-text`): names, titles,
/// companies, domains, statuses, dispositions and the part of an email after its `@`.
///
/// A million leads have a few hundred thousand distinct such texts: a company's name and domain are
/// stored once however many of its contacts there are, and a version holds their ids. A commit loads
/// every text into memory once (no SQLite index over them) and stores the texts it has not seen.
///
/// A value held in a `var` of the commit's insert, not a class: a lookup on a class's stored table retained and
/// released each of its five arrays, and checked exclusive access, which cost more than the lookup itself.
struct LeadTextIDs {
    private var ids = ByteStringIDs()
    private let insert: RawRowInsert
    // Owns the SQLite statement `insert` uses.
    private let statement: Statement
    private let db: Database
    /// For each text id, its entry in `ids` (-1: no text has the id), so that a stored version's text can be
    /// compared with a staged one without hashing the staged bytes.
    private var entryOfID: [Int32] = []
    /// `false` when the texts cannot be compared by id: two `lead_text` rows with the same bytes (then which id a
    /// text gets is the lookup's choice), or ids too large for `entryOfID`.
    private(set) var comparesByID = true

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
            let text = UnsafeRawBufferPointer(start: sqlite3_column_blob(sqlite, 1), count: Int(sqlite3_column_bytes(sqlite, 1)))
            let id = sqlite3_column_int64(sqlite, 0)
            if comparesByID, ids.id(of: text) != nil { comparesByID = false }
            remember(id: id, entry: ids.count)
            ids.insert(text, id: id)
        }
    }

    /// Notes which entry of `ids` holds text `id`.
    private mutating func remember(id: Int64, entry: Int) {
        guard comparesByID else { return }
        guard id >= 0, id < Self.largestComparableID else { comparesByID = false; return }
        if id >= entryOfID.count { entryOfID.append(contentsOf: repeatElement(-1, count: max(Int(id) + 1, entryOfID.count * 2) - entryOfID.count)) }
        entryOfID[Int(id)] = Int32(entry)
    }

    /// Ids past this are not indexed (a store with sparse ids compares by hashing, as before).
    private static let largestComparableID: Int64 = 1 << 28

    /// Whether text `id` (NULL: `nil`) is what ``idUnlessEmpty(_:)`` gives `text`, without storing or hashing it.
    /// Only when ``comparesByID``.
    func storedID(_ id: Int64?, isIDUnlessEmptyOf text: UnsafeRawBufferPointer) -> Bool {
        guard let id else { return text.isEmpty }
        return !text.isEmpty && storedID(id, isIDOf: text)
    }

    /// Whether text `id` is what ``id(of:)`` gives `text`. Only when ``comparesByID``.
    func storedID(_ id: Int64, isIDOf text: UnsafeRawBufferPointer) -> Bool {
        guard id >= 0, id < entryOfID.count else { return false }
        let entry = entryOfID[Int(id)]
        return entry >= 0 && ids.entry(Int(entry), equals: text)
    }

    /// The id of `text`, stored now if no version had it.
    mutating func id(of text: UnsafeRawBufferPointer) throws -> Int64 {
        if let id = ids.id(of: text) { return id }
        insert.bind(1, utf8: text)
        try insert.step(db)
        let id = sqlite3_last_insert_rowid(db.sqliteConnection)
        remember(id: id, entry: ids.count)
        ids.insert(text, id: id)
        return id
    }

    /// The id of a non-empty text; an empty text is stored as NULL (no id).
    mutating func idUnlessEmpty(_ text: UnsafeRawBufferPointer) throws -> Int64? {
        text.isEmpty ? nil : try id(of: text)
    }
}
