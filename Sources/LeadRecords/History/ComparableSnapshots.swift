import Foundation

/// A run's lead snapshots reduced to what the next run compares them with: entity id, input line,
/// email, title, company and email status, read from the run store (`RunStore.comparableSnapshots(runID:)`), which fills it with
/// ``appendSnapshot(entityID:line:)`` and ``appendText(_:)``.
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

    /// How many positions there are (snapshots read, an entity id read twice included): every position is below it.
    public var positionCount: Int { lines.count }

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
        return value.withUTF8 { text(field, at: position, equals: $0) }
    }

    /// Whether a text of the snapshot at `position` equals the text of these UTF-8 bytes as `String ==` decides.
    public func text(_ field: Field, at position: Int, equals other: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(field, at: position) { stored in
            if stored.elementsEqual(other) { return true }
            if Self.isASCII(stored), Self.isASCII(other) { return false }
            return String(decoding: stored, as: UTF8.self) == String(decoding: other, as: UTF8.self)
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

    // MARK: Filling (the store)

    /// Starts the next snapshot; its texts follow with ``appendText(_:)``, in `Field` order.
    public mutating func appendSnapshot(entityID: String, line: Int) {
        positionByEntity[entityID] = lines.count
        lines.append(line)
    }

    /// A text of the snapshot being appended, up to its first NUL (as `String(cString:)` reads a TEXT column).
    public mutating func appendText(_ text: UnsafeRawBufferPointer) {
        let length = text.firstIndex(of: 0) ?? text.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[..<length]))
        ends.append(bytes.count)
    }

    /// Room for `count` snapshots, so that reading a run never rehashes.
    public mutating func reserve(_ count: Int) {
        positionByEntity.reserveCapacity(count)
        lines.reserveCapacity(count)
        ends.reserveCapacity(count * Self.fieldCount)
    }
}
