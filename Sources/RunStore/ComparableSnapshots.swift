import Foundation
import GRDB
import GRDBSQLite

/// A run's lead snapshots reduced to what the next run compares them with: entity id, input line,
/// email, title, company and email status, read with ``RunStore/comparableSnapshots(runID:)``.
///
/// A weekly run loads a million of last week's snapshots. As ``LeadSnapshot`` values in a
/// dictionary they took about 1 KB each and most of the load time went into making fourteen
/// strings per row; here the four texts of every snapshot are bytes in one buffer, and a text
/// becomes a `String` only when asked for (a lead that changed, a lead that vanished).
///
/// Lookups follow `[String: LeadSnapshot]` exactly: entity ids are `String` keys (so two ids that
/// Swift considers equal are one entry, the one read last), and ``text(_:at:equals:)`` gives what
/// `String ==` gives.
public struct ComparableSnapshots: Sendable {
    /// The texts kept for each snapshot.
    public enum Field: Int, CaseIterable, Sendable {
        case email, title, company, emailStatus
    }

    private var positionByEntity: [String: Int] = [:]
    private var lines: [Int] = []
    /// Every kept text, one after the other, in snapshot then field order.
    private var bytes: [UInt8] = []
    /// Where each text ends in `bytes`: text `f` of snapshot `p` ends at `ends[p * fieldCount + f]`
    /// and starts where the one before it ends.
    private var ends: [Int] = []
    private static let fieldCount = Field.allCases.count

    /// No snapshots (before a pipeline history's first run).
    public init() {}

    /// How many distinct entity ids there are.
    public var count: Int { positionByEntity.count }

    /// Where the snapshot of `entityID` is, to read its fields, or `nil` when the run had no such lead.
    public func position(of entityID: String) -> Int? { positionByEntity[entityID] }

    /// The input line the lead was on in that run.
    public func line(at position: Int) -> Int { lines[position] }

    /// A text of the snapshot at `position`.
    public func text(_ field: Field, at position: Int) -> String {
        withBytes(field, at: position) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a text of the snapshot at `position` is empty.
    public func isEmpty(_ field: Field, at position: Int) -> Bool { withBytes(field, at: position) { $0.isEmpty } }

    /// Whether a text of the snapshot at `position` equals `value` as `String ==` decides, without
    /// making a `String` when the bytes are the same or both are ASCII (canonical equivalence only
    /// matters beyond ASCII).
    public func text(_ field: Field, at position: Int, equals value: String) -> Bool {
        var value = value
        return value.withUTF8 { other in
            withBytes(field, at: position) { stored in
                if stored.elementsEqual(other) { return true }
                if Self.isASCII(stored), Self.isASCII(other) { return false }
                return String(decoding: stored, as: UTF8.self) == String(decoding: other, as: UTF8.self)
            }
        }
    }

    /// Calls `body` with every entity id and its snapshot's position, in no particular order.
    public func forEachEntity(_ body: (_ entityID: String, _ position: Int) throws -> Void) rethrows {
        for (entityID, position) in positionByEntity { try body(entityID, position) }
    }

    private func withBytes<T>(_ field: Field, at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let index = position * Self.fieldCount + field.rawValue
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<ends[index]])) }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    // MARK: Reading

    /// The columns read, in `Field` order after `entity_id` and `line`.
    static let query = SnapshotLayout.query(selecting: ["entity_id", "line", "email", "title", "company", "email_status"])

    /// Reads a run's snapshots with SQLite's own calls: going through GRDB rows cost more than the read.
    init(runID: Int64, db: Database) throws {
        // The run row knows how many snapshots to expect: sized once, the id table is never rehashed.
        let expected = try Int.fetchOne(db, sql: "SELECT snapshot_count FROM run WHERE id = ?", arguments: [runID]) ?? 0
        positionByEntity.reserveCapacity(expected)
        lines.reserveCapacity(expected)
        ends.reserveCapacity(expected * Self.fieldCount)
        let statement = try db.makeStatement(sql: Self.query)
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        sqlite3_bind_int64(sqlite, 1, runID)
        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            // The same String GRDB makes for a TEXT column (String(cString:)), so ids compare as before.
            let entityID = String(cString: sqlite3_column_text(sqlite, 0)!)
            positionByEntity[entityID] = lines.count
            lines.append(Int(sqlite3_column_int64(sqlite, 1)))
            for column in Int32(2)..<Int32(2 + Self.fieldCount) {
                if let text = sqlite3_column_text(sqlite, column) {
                    // Up to the first NUL, as String(cString:) reads it.
                    let length = strnlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self), Int(sqlite3_column_bytes(sqlite, column)))
                    bytes.append(contentsOf: UnsafeBufferPointer(start: text, count: length))
                }
                ends.append(bytes.count)
            }
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
