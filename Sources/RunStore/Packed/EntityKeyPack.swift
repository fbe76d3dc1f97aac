import Foundation
import GRDB
import GRDBSQLite

/// One remembered record key: dedupe gave the record this entity id, last at `updatedAt` (Unix seconds).
struct EntityKeyEntry: Equatable {
    var recordKey: String
    var entityID: String
    var updatedAt: Int64
}

/// How `entity_key_pack.keys` holds up to ``chunkSize`` of dedupe's remembered record keys, sorted
/// (migration `v-packed-runs`).
///
/// A row per record key cost about 36 bytes; packed, a key takes about twelve: each key is written as
/// the length it shares with the key before it and the rest (front coding: `L0000001`, `L0000002` share
/// seven bytes), an entity id of dedupe's own form (`E` and 12 lower-case hex digits) as its 6 bytes and
/// any other as text, and the time as an index into the chunk's few distinct times.
///
/// Layout: format (1); time count, then each time (zigzag); key count; per key the shared length, the
/// rest as a length-prefixed string, the entity id (byte 1 and 6 bytes, or byte 0 and a length-prefixed
/// string), and the time index.
enum EntityKeyPack {
    static let format: UInt64 = 1
    static let chunkSize = 4096

    static func encode(_ entries: some Collection<EntityKeyEntry>) -> [UInt8] {
        var builder = EntityKeyPackBuilder(capacity: entries.count)
        for entry in entries { builder.append(key: Array(entry.recordKey.utf8), id: .init(entry.entityID), updatedAt: entry.updatedAt) }
        return builder.finish()
    }

    /// dedupe's entity id form, `E` and 12 lower-case hex digits, as the 48 bits the digits spell.
    static func compactEntityID(_ id: String) -> UInt64? {
        let bytes = id.utf8
        guard bytes.count == 13, bytes.first == UInt8(ascii: "E") else { return nil }
        var value: UInt64 = 0
        for byte in bytes.dropFirst() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    static func entityID(compact value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return "E" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Calls `body` with each entry of a blob, in order.
    static func decode(_ blob: UnsafeRawBufferPointer, _ body: (EntityKeyEntry) throws -> Void) throws {
        var block = EntityKeyBlock()
        try block.decode(blob)
        for index in 0..<block.count { try body(block.entry(index)) }
    }
}

/// One pack's entries as bytes, for code that compares and re-encodes keys without making strings of them
/// (the commit's merge of a run's ids into the stored ones).
struct EntityKeyBlock {
    enum ID: Equatable {
        /// dedupe's form, `E` and 12 hex digits, as the 48 bits they spell.
        case compact(UInt64)
        case text([UInt8])

        init(_ id: String) { self = EntityKeyPack.compactEntityID(id).map(ID.compact) ?? .text(Array(id.utf8)) }
    }

    /// The keys' bytes, one after the other; key `i` ends at `keyEnds[i]`.
    private(set) var keyBytes: [UInt8] = []
    private(set) var keyEnds: [Int] = []
    private(set) var ids: [ID] = []
    private(set) var times: [Int64] = []
    /// Whether key `i` is all ASCII (its bytes then sort as its string does).
    private(set) var isASCII: [Bool] = []

    var count: Int { keyEnds.count }

    func key(_ index: Int) -> ArraySlice<UInt8> { keyBytes[(index == 0 ? 0 : keyEnds[index - 1])..<keyEnds[index]] }

    func entry(_ index: Int) -> EntityKeyEntry {
        let id: String
        switch ids[index] {
        case .compact(let value): id = EntityKeyPack.entityID(compact: value)
        case .text(let bytes): id = String(decoding: bytes, as: UTF8.self)
        }
        return EntityKeyEntry(recordKey: String(decoding: key(index), as: UTF8.self), entityID: id, updatedAt: times[index])
    }

    /// Replaces the block's entries with a blob's (the layout ``EntityKeyPack`` describes).
    mutating func decode(_ blob: UnsafeRawBufferPointer) throws {
        keyBytes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        isASCII.removeAll(keepingCapacity: true)
        var reader = PackedReader(blob)
        let version = try reader.unsigned()
        guard version == EntityKeyPack.format else { throw PackedBlobError.unknownFormat(version) }
        var distinctTimes: [Int64] = []
        for _ in 0..<(try reader.count()) { distinctTimes.append(try reader.signed()) }
        let count = try reader.count()
        var previousStart = 0
        for _ in 0..<count {
            let shared = try reader.count()
            guard shared <= keyBytes.count - previousStart else { throw PackedBlobError.truncated }
            let start = keyBytes.count
            // Byte by byte: appending a slice of `keyBytes` to itself kept its buffer shared, so every key
            // copied the whole block's bytes (a block's decode grew with the square of its keys).
            for offset in previousStart..<(previousStart + shared) { keyBytes.append(keyBytes[offset]) }
            keyBytes.append(contentsOf: try reader.byteString())
            previousStart = start
            keyEnds.append(keyBytes.count)
            isASCII.append(keyBytes[start...].allSatisfy { $0 < 0x80 })
            if try reader.byte() == 1 {
                var value: UInt64 = 0
                for byte in try reader.bytes(count: 6) { value = value << 8 | UInt64(byte) }
                ids.append(.compact(value))
            } else {
                ids.append(.text(Array(try reader.byteString())))
            }
            let time = try reader.count()
            guard time < distinctTimes.count else { throw PackedBlobError.truncated }
            times.append(distinctTimes[time])
        }
    }
}

/// Writes one ``EntityKeyPack`` blob an entry at a time, keys in the order they are to be read.
struct EntityKeyPackBuilder {
    private var body: PackedWriter
    private var times: [Int64] = []
    private var timeIndex: [Int64: Int] = [:]
    private var previous: [UInt8] = []
    private(set) var count = 0

    init(capacity: Int) { body = PackedWriter(capacity: capacity * 16) }

    mutating func append(key: some Collection<UInt8>, id: EntityKeyBlock.ID, updatedAt: Int64) {
        var shared = 0
        var rest = key.startIndex
        while shared < previous.count, rest != key.endIndex, key[rest] == previous[shared] {
            shared += 1
            rest = key.index(after: rest)
        }
        body.append(unsigned: UInt64(shared))
        body.append(bytesOf: key[rest...])
        previous.removeSubrange(shared...)
        previous.append(contentsOf: key[rest...])
        switch id {
        case .compact(let value):
            body.append(byte: 1)
            for shift in stride(from: 40, through: 0, by: -8) { body.append(byte: UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        case .text(let bytes):
            body.append(byte: 0)
            body.append(bytesOf: bytes)
        }
        let time: Int
        if let known = timeIndex[updatedAt] {
            time = known
        } else {
            time = times.count
            timeIndex[updatedAt] = time
            times.append(updatedAt)
        }
        body.append(unsigned: UInt64(time))
        count += 1
    }

    /// The blob, and the builder empty for the next one.
    mutating func finish() -> [UInt8] {
        var header = PackedWriter(capacity: 16 + body.bytes.count)
        header.append(unsigned: EntityKeyPack.format)
        header.append(unsigned: UInt64(times.count))
        for time in times { header.append(signed: time) }
        header.append(unsigned: UInt64(count))
        var blob = header.bytes
        blob.append(contentsOf: body.bytes)
        body.removeAll()
        times.removeAll(keepingCapacity: true)
        timeIndex.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        count = 0
        return blob
    }
}

/// The table `entity_key_pack`: every record key dedupe remembers, sorted, in blobs (``EntityKeyPack``).
/// A run that remembers keys rewrites the table: a few megabytes, in the same transaction.
enum EntityKeyPacks {
    static func forEachEntry(_ db: Database, _ body: (EntityKeyEntry) throws -> Void) throws {
        let statement = try db.makeStatement(sql: "SELECT keys FROM entity_key_pack ORDER BY id")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while try SQLiteRows.step(sqlite, db) { try EntityKeyPack.decode(SQLiteRows.bytes(sqlite, 0), body) }
    }

    static func entries(_ db: Database) throws -> [EntityKeyEntry] {
        var entries: [EntityKeyEntry] = []
        try forEachEntry(db) { entries.append($0) }
        return entries
    }

    /// Replaces every entry with `entries` (sorted here by record key, so that neighbours share their beginnings).
    static func replace(with entries: [EntityKeyEntry], db: Database) throws {
        let sorted = entries.sorted { $0.recordKey < $1.recordKey }
        try db.execute(sql: "DELETE FROM entity_key_pack")
        let insert = try db.makeStatement(sql: "INSERT INTO entity_key_pack (key_count, keys) VALUES (?, ?)")
        var start = 0
        while start < sorted.count {
            let chunk = sorted[start..<min(start + EntityKeyPack.chunkSize, sorted.count)]
            try insert.execute(arguments: [chunk.count, Data(EntityKeyPack.encode(chunk))])
            start += EntityKeyPack.chunkSize
        }
    }
}
