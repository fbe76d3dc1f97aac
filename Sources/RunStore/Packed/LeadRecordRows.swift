import GRDB
import GRDBSQLite

/// Byte strings one after the other in one buffer, read back by index: a million texts without a
/// million allocations.
struct ByteStrings {
    private(set) var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    mutating func reserve(strings: Int, bytes byteCount: Int) {
        ends.reserveCapacity(strings)
        bytes.reserveCapacity(byteCount)
    }

    mutating func append(_ text: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
    }

    func withBytes<T>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = index == 0 ? 0 : ends[index - 1]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[index]])) }
    }

    func string(at index: Int) -> String { withBytes(at: index) { String(decoding: $0, as: UTF8.self) } }
}

/// `lead_record` rows (a version's entity id, the part of its email before the `@`, and its text ids)
/// loaded for a list of version ids, by one pass over the table in id order rather than a lookup per id.
struct LeadRecordRows {
    /// The text id columns, in ``SharedSnapshotInsert/textIDColumns`` order.
    static let textColumnCount = SharedSnapshotInsert.textIDColumns.count
    private var entities = ByteStrings()
    private var emailLocals = ByteStrings()
    /// ``textColumnCount`` per loaded row; 0 stands for NULL (SQLite row ids start at 1).
    private var textIDs: [Int64] = []
    /// For each asked position, the loaded row, or -1 when no version has the id.
    private var rowOfPosition: [Int32] = []

    /// Loads the versions `ids` name; ``row(at:)`` then answers by position in `ids`.
    init(ids: [Int64], db: Database) throws {
        rowOfPosition = Array(repeating: -1, count: ids.count)
        guard !ids.isEmpty else { return }
        let wanted = ids.indices.sorted { ids[$0] < ids[$1] }
        entities.reserve(strings: ids.count, bytes: ids.count * 14)
        emailLocals.reserve(strings: ids.count, bytes: ids.count * 12)
        textIDs.reserveCapacity(ids.count * Self.textColumnCount)
        let statement = try db.makeStatement(sql: """
            SELECT id, entity_id, email_local, \(SharedSnapshotInsert.textIDColumns.joined(separator: ", "))
            FROM lead_record WHERE id BETWEEN ? AND ? ORDER BY id
            """)
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        sqlite3_bind_int64(sqlite, 1, ids[wanted.first!])
        sqlite3_bind_int64(sqlite, 2, ids[wanted.last!])
        var next = 0
        while try SQLiteRows.step(sqlite, db), next < wanted.count {
            let id = sqlite3_column_int64(sqlite, 0)
            while next < wanted.count, ids[wanted[next]] < id { next += 1 }
            guard next < wanted.count, ids[wanted[next]] == id else { continue }
            let row = Int32(entities.count)
            while next < wanted.count, ids[wanted[next]] == id {
                rowOfPosition[wanted[next]] = row
                next += 1
            }
            entities.append(SQLiteRows.bytes(sqlite, 1))
            emailLocals.append(SQLiteRows.bytes(sqlite, 2))
            // SQLite reads NULL as 0, the value kept for NULL here: no separate call for each column's type.
            for column in 0..<Int32(Self.textColumnCount) { textIDs.append(sqlite3_column_int64(sqlite, 3 + column)) }
        }
    }

    /// The loaded row for position `position` of the ids asked, or `nil` when no version had that id.
    func row(at position: Int) -> Int? {
        let row = rowOfPosition[position]
        return row < 0 ? nil : Int(row)
    }

    func withEntity<T>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try entities.withBytes(at: row, body)
    }

    func withEmailLocal<T>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try emailLocals.withBytes(at: row, body)
    }

    /// Text id `column` (in ``SharedSnapshotInsert/textIDColumns`` order) of a row, `nil` for NULL.
    func textID(_ row: Int, _ column: Int) -> Int64? {
        let id = textIDs[row * Self.textColumnCount + column]
        return id == 0 ? nil : id
    }
}

/// Every `lead_text` by id, loaded once for a read that turns text ids back into texts.
struct LeadTextTable {
    private var texts = ByteStrings()
    /// Each text id's index in `texts` (-1: no text), when the ids are dense enough for an array: a read looks up
    /// four texts per lead, and a dictionary hashed each id.
    private var indexOfID: [Int32] = []
    /// The same for sparse ids (a store whose texts were mostly pruned).
    private var indexByID: [Int64: Int] = [:]

    init(db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM lead_text") ?? 0
        let largestID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM lead_text") ?? 0
        let dense = largestID >= 0 && largestID < Int64(4 * count + 1024) && largestID < Int64(Int32.max)
        if dense {
            indexOfID = Array(repeating: -1, count: Int(largestID) + 1)
        } else {
            indexByID.reserveCapacity(count)
        }
        let statement = try db.makeStatement(sql: "SELECT id, text FROM lead_text")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while try SQLiteRows.step(sqlite, db) {
            let id = sqlite3_column_int64(sqlite, 0)
            if dense, id >= 0, id < Int64(indexOfID.count) {
                indexOfID[Int(id)] = Int32(texts.count)
            } else {
                indexByID[id] = texts.count
            }
            texts.append(SQLiteRows.bytes(sqlite, 1))
        }
    }

    /// The text's bytes; empty for NULL or an id no text has (as the view's `COALESCE(text, '')`).
    func withText<T>(_ id: Int64?, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        guard let id, let index = index(of: id) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try texts.withBytes(at: index, body)
    }

    private func index(of id: Int64) -> Int? {
        if id >= 0, id < Int64(indexOfID.count) {
            let index = indexOfID[Int(id)]
            if index >= 0 { return Int(index) }
        }
        return indexByID.isEmpty ? nil : indexByID[id]
    }

    /// The text up to its first NUL, as GRDB reads a TEXT column (`String(cString:)`).
    func string(_ id: Int64?) -> String { withText(id) { String(cStringBytes: $0) } }
}

extension String {
    /// UTF-8 bytes up to the first NUL, as `String(cString:)` reads SQLite's text: the packed reads give
    /// what the row reads gave.
    init(cStringBytes bytes: some Collection<UInt8>) {
        self.init(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
