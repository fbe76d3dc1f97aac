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
        var times: [Int64] = []
        var timeIndex: [Int64: Int] = [:]
        for entry in entries where timeIndex[entry.updatedAt] == nil {
            timeIndex[entry.updatedAt] = times.count
            times.append(entry.updatedAt)
        }
        var writer = PackedWriter(capacity: 16 + entries.count * 16)
        writer.append(unsigned: format)
        writer.append(unsigned: UInt64(times.count))
        for time in times { writer.append(signed: time) }
        writer.append(unsigned: UInt64(entries.count))
        var previous: [UInt8] = []
        for entry in entries {
            let key = Array(entry.recordKey.utf8)
            var shared = 0
            while shared < min(key.count, previous.count), key[shared] == previous[shared] { shared += 1 }
            writer.append(unsigned: UInt64(shared))
            writer.append(bytesOf: key[shared...])
            previous = key
            if let compact = compactEntityID(entry.entityID) {
                writer.append(byte: 1)
                for shift in stride(from: 40, through: 0, by: -8) { writer.append(byte: UInt8(truncatingIfNeeded: compact >> UInt64(shift))) }
            } else {
                writer.append(byte: 0)
                writer.append(bytesOf: Array(entry.entityID.utf8))
            }
            writer.append(unsigned: UInt64(timeIndex[entry.updatedAt]!))
        }
        return writer.bytes
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
        var reader = PackedReader(blob)
        let version = try reader.unsigned()
        guard version == format else { throw PackedBlobError.unknownFormat(version) }
        var times: [Int64] = []
        for _ in 0..<(try reader.count()) { times.append(try reader.signed()) }
        let count = try reader.count()
        var key: [UInt8] = []
        for _ in 0..<count {
            let shared = try reader.count()
            guard shared <= key.count else { throw PackedBlobError.truncated }
            key.removeSubrange(shared...)
            key.append(contentsOf: try reader.byteString())
            let entityID: String
            if try reader.byte() == 1 {
                var value: UInt64 = 0
                for byte in try reader.bytes(count: 6) { value = value << 8 | UInt64(byte) }
                entityID = Self.entityID(compact: value)
            } else {
                entityID = String(decoding: try reader.byteString(), as: UTF8.self)
            }
            let time = try reader.count()
            guard time < times.count else { throw PackedBlobError.truncated }
            try body(EntityKeyEntry(recordKey: String(decoding: key, as: UTF8.self), entityID: entityID, updatedAt: times[time]))
        }
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
