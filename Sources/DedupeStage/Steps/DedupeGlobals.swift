/// What a slice of a list needs to know about the whole list so its comparisons, weights and blocks are the
/// whole list's: how often each value occurs, how many rows have a value, and which blocks are too large.
///
/// A distributed run counts these over every row (from ``DedupeStep/keys``' lines) and hands them, with the
/// fitted model, to every task that scores or clusters part of the list.
public struct DedupeGlobals: Sendable, Codable, Equatable {
    /// Rows the whole list's dedupe compared.
    public var rows: Int
    /// Per compared field (in settings order): rows with a value.
    public var nonNull: [Int]
    /// Per compared field: how many rows hold each comparison key (hex of its folded bytes) that two rows
    /// or more hold; a key not listed is held by one row.
    public var counts: [[String: Int32]]
    /// Per blocking rule: the keys (hex) of the blocks larger than the rule's `max_block_size` over the
    /// whole list, which no pair comes from.
    public var oversized: [[String]]

    public init(rows: Int, nonNull: [Int], counts: [[String: Int32]], oversized: [[String]]) {
        self.rows = rows
        self.nonNull = nonNull
        self.counts = counts
        self.oversized = oversized
    }

    /// The count of `key` in field `field` over the whole list (1 when unlisted: the row holding it).
    func count(field: Int, key: ArraySlice<UInt8>) -> Int32 {
        counts[field][Hex.string(key)] ?? 1
    }
}

/// Lower-case hexadecimal text for bytes and 64-bit words, as the step lines carry them.
package enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two digits per byte.
    package static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Sixteen digits, zero-padded.
    package static func word(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// The word written by ``word(_:)``.
    package static func parseWord(_ text: String) -> UInt64? { UInt64(text, radix: 16) }
}
