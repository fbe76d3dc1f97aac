import Foundation
import GRDB
import GRDBSQLite

/// Stores a run's enrichment values once (migration `v-shared-enrichment`): a value with its field,
/// source and as-of date is one `enrichment_fact`, whichever leads and runs have it; the set of facts a
/// lead has is one `enrichment_set`, shared by every lead with the same values; the lead's packed
/// entry points at its set. The values come staged as distinct values and sets (``StagedEnrichmentSets``),
/// so each is looked up here once, not once per lead.
///
/// Firmographic values are a company's facts: every contact of the company has the same set, week
/// after week. Stored per lead and run they were three quarters of a weekly store.
///
/// A value (held in a `var` of the commit's insert), for the reason ``LeadTextIDs`` is one.
struct SharedEnrichmentInsert {
    // The GRDB statements own the SQLite statements the raw calls use: kept for as long as those are.
    private let statements: [Statement]
    private let provenanceInsert: RawRowInsert
    private let factInsert: RawRowInsert
    private let setInsert: RawRowInsert
    private let db: Database
    private var provenanceIDs = ByteStringIDs()
    private var factIDs = ByteStringIDs()
    private var setIDs = ByteStringIDs()
    /// Scratch bytes for a lookup key, reused.
    private var key: [UInt8] = []
    private var set: [UInt8] = []
    /// The run's staged values and sets, and the store ids found for them so far (0: not looked up yet;
    /// SQLite row ids start at 1).
    private var staged: StagedEnrichmentSets { stagedValues.sets }
    private let stagedValues: StagedValues
    private var storeFactIDs: [Int64]
    private var storeSetIDs: [Int64]

    init(db: Database, staged: StagedEnrichmentSets) throws {
        self.db = db
        stagedValues = StagedValues(staged)
        storeFactIDs = Array(repeating: 0, count: staged.factCount)
        storeSetIDs = Array(repeating: 0, count: staged.setCount)
        statements = [
            try db.makeStatement(sql: "INSERT INTO enrichment_provenance (field, source, as_of) VALUES (?, ?, ?)"),
            try db.makeStatement(sql: "INSERT INTO enrichment_fact (provenance_id, value) VALUES (?, ?)"),
            try db.makeStatement(sql: "INSERT INTO enrichment_set (fact_ids) VALUES (?)"),
        ]
        provenanceInsert = RawRowInsert(statements[0].sqliteStatement)
        factInsert = RawRowInsert(statements[1].sqliteStatement)
        setInsert = RawRowInsert(statements[2].sqliteStatement)
        try loadStoredIDs()
    }

    /// The store's set for a lead whose values were staged as these staged sets (one per run of consecutive
    /// values, in staging order; of a field given twice the last value wins), stored if no lead had it
    /// before; `nil` when there are none.
    mutating func setID(ofStaged stagedSets: [Int]) throws -> Int64? {
        guard let first = stagedSets.first else { return nil }
        // A lead on several rows with the same values (a duplicate dedupe annotated) staged the same set for each:
        // their facts in field order, the last of each field kept, are that set's.
        if stagedSets.allSatisfy({ $0 == first }) {
            if storeSetIDs[first] == 0 { storeSetIDs[first] = try setID(ofFacts: try staged.facts(ofSet: first)) }
            return storeSetIDs[first]
        }
        var facts: [Int] = []
        for index in stagedSets { facts += try staged.facts(ofSet: index) }
        return try setID(ofFacts: staged.fieldOrdered(facts))
    }

    /// The store's set of staged facts in field order.
    private mutating func setID(ofFacts facts: [Int]) throws -> Int64 {
        set.removeAll(keepingCapacity: true)
        for fact in facts { EnrichmentSetBlob.append(try storeFactID(fact), to: &set) }
        return try set.withUnsafeBytes { blob in
            if let id = setIDs.id(of: blob) { return id }
            setInsert.bind(1, blob: blob)
            try setInsert.step(db)
            let id = sqlite3_last_insert_rowid(db.sqliteConnection)
            setIDs.insert(blob, id: id)
            return id
        }
    }

    /// The store's fact of a staged value, stored if no lead had it before.
    private mutating func storeFactID(_ fact: Int) throws -> Int64 {
        if storeFactIDs[fact] == 0 {
            // Read through the reference: `staged.withFact` while storing into `self` copied the staged sets
            // (retaining and releasing each of their arrays) for every fact.
            let values = stagedValues
            storeFactIDs[fact] = try values.sets.withFact(fact) { field, value, source, asOf in
                try factID(value, provenance: try provenanceID(field: field, source: source, asOf: asOf))
            }
        }
        return storeFactIDs[fact]
    }

    private mutating func factID(_ value: UnsafeRawBufferPointer, provenance: Int64) throws -> Int64 {
        key.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: provenance.littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: value)
        return try key.withUnsafeBytes { factKey in
            if let id = factIDs.id(of: factKey) { return id }
            factInsert.bind(1, provenance)
            factInsert.bind(2, utf8: value)
            try factInsert.step(db)
            let id = sqlite3_last_insert_rowid(db.sqliteConnection)
            factIDs.insert(factKey, id: id)
            return id
        }
    }

    private mutating func provenanceID(field: UnsafeRawBufferPointer, source: UnsafeRawBufferPointer,
                              asOf: UnsafeRawBufferPointer) throws -> Int64 {
        key.removeAll(keepingCapacity: true)
        Self.appendKey(field, source, asOf, to: &key)
        return try key.withUnsafeBytes { provenanceKey in
            if let id = provenanceIDs.id(of: provenanceKey) { return id }
            provenanceInsert.bind(1, utf8: field)
            provenanceInsert.bind(2, utf8: source)
            provenanceInsert.bind(3, utf8: asOf)
            try provenanceInsert.step(db)
            let id = sqlite3_last_insert_rowid(db.sqliteConnection)
            provenanceIDs.insert(provenanceKey, id: id)
            return id
        }
    }

    /// Texts one after the other, each after its length, so that no two different triples make the same key.
    private static func appendKey(_ texts: UnsafeRawBufferPointer..., to key: inout [UInt8]) {
        for text in texts {
            withUnsafeBytes(of: UInt32(text.count).littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: text)
        }
    }

    /// Knows the provenances, facts and sets earlier runs stored, so that this run shares them.
    private mutating func loadStoredIDs() throws {
        try forEachRow("SELECT id, field, source, as_of FROM enrichment_provenance") { statement in
            key.removeAll(keepingCapacity: true)
            Self.appendKey(Self.bytes(statement, 1), Self.bytes(statement, 2), Self.bytes(statement, 3), to: &key)
            key.withUnsafeBytes { provenanceIDs.insert($0, id: sqlite3_column_int64(statement, 0)) }
        }
        try forEachRow("SELECT id, provenance_id, value FROM enrichment_fact") { statement in
            key.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: sqlite3_column_int64(statement, 1).littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: Self.bytes(statement, 2))
            key.withUnsafeBytes { factIDs.insert($0, id: sqlite3_column_int64(statement, 0)) }
        }
        try forEachRow("SELECT id, fact_ids FROM enrichment_set") { statement in
            setIDs.insert(Self.bytes(statement, 1), id: sqlite3_column_int64(statement, 0))
        }
    }

    private func forEachRow(_ sql: String, _ body: (SQLiteStatement) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(sqlite)
        }
    }

    /// A column's bytes as stored (a TEXT column read as a blob is not converted).
    private static func bytes(_ statement: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
    }
}

/// A run's staged values and sets behind a reference, read while the insert that holds it changes.
private final class StagedValues {
    let sets: StagedEnrichmentSets

    init(_ sets: StagedEnrichmentSets) { self.sets = sets }
}
