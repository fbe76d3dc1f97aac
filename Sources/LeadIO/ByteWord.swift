/// Tests on eight bytes at once, loaded as one little-endian `UInt64` (SWAR): the readers and the
/// writer scan every field, and nearly no field holds a byte that matters.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The word with every byte set to `byte`.
    @inline(__always) static func repeating(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

    /// A word whose high bit is set in each byte of `word` that equals the matching byte of `pattern`
    /// (exact for that, unlike the shorter form), so its lowest set bit marks the first match.
    @inline(__always) static func matches(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- ones) & ~x & highs
    }

    /// Nonzero when some byte of `word` is below 0x20 (a control character). Bytes after the first such
    /// byte may be flagged wrongly, so only whether it is zero means anything.
    @inline(__always) static func below0x20(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highs
    }

    /// Whether some byte of `word` is 0x80 or above.
    @inline(__always) static func hasNonASCII(_ word: UInt64) -> Bool { word & highs != 0 }

    /// Whether some of the `count` bytes at `base` matters: `wordMatters` tests eight at once (the final
    /// eight again, overlapping, for the tail), `byteMatters` one at a time when there are fewer than eight.
    @inline(__always)
    static func containsAny(_ base: UnsafePointer<UInt8>, _ count: Int, wordMatters: (UInt64) -> Bool,
                            byteMatters: (UInt8) -> Bool) -> Bool {
        guard count >= 8 else {
            for i in 0..<count where byteMatters(base[i]) { return true }
            return false
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= count {
            if wordMatters(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return i < count && wordMatters(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
}
