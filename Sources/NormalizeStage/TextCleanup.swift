import Foundation

/// Whitespace and Unicode clean-up shared by every normalized field.
enum TextCleanup {
    /// Trims, collapses runs of white space (including tabs, newlines and no-break spaces) to one
    /// space, and applies Unicode NFC. ASCII values without stray spaces come back untouched and cheaply.
    static func clean(_ value: String) -> String {
        // `utf8.withContiguousStorageIfAvailable` borrows native storage: no copy of `value`, no retain.
        var outcome: String??
        if let borrowed = value.utf8.withContiguousStorageIfAvailable(Self.cleaned(_:)) {
            outcome = borrowed
        } else {
            var copy = value
            outcome = copy.withUTF8(Self.cleaned(_:))
        }
        switch outcome {
        case .some(.none): return value
        case .some(.some(let text)): return text
        case .none: return unicodeClean(value)
        }
    }

    /// `.some(nil)`: the bytes are clean already; `.some(text)`: cleaned on bytes; `nil`: needs ``unicodeClean(_:)``.
    private static func cleaned(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        switch classify(bytes) {
        case .clean: return .some(nil)
        case .unicode: return .none
        case .collapse(let latin):
            return .some(String(unsafeUninitializedCapacity: bytes.count) { collapse(bytes, into: $0.baseAddress!, latin: latin) })
        }
    }

    /// Calls `body` with the UTF-8 of `clean(value)`, and whether those are `value`'s own bytes unchanged
    /// (so a caller whose own work changes nothing can reuse `value` instead of building a string).
    static func withCleanedBytes<R>(_ value: String, _ body: (UnsafeBufferPointer<UInt8>, _ unchanged: Bool) -> R) -> R {
        if let result = value.utf8.withContiguousStorageIfAvailable({ withCleanedBytes(of: value, $0, body) }) { return result }
        var copy = value
        return copy.withUTF8 { withCleanedBytes(of: value, $0, body) }
    }

    private static func withCleanedBytes<R>(of value: String, _ bytes: UnsafeBufferPointer<UInt8>,
                                            _ body: (UnsafeBufferPointer<UInt8>, _ unchanged: Bool) -> R) -> R {
        switch classify(bytes) {
        case .clean:
            return body(bytes, true)
        case .collapse(let latin):
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { scratch in
                let count = collapse(bytes, into: scratch.baseAddress!, latin: latin)
                let same = count == bytes.count && (count == 0 || memcmp(scratch.baseAddress!, bytes.baseAddress!, count) == 0)
                return body(UnsafeBufferPointer(start: scratch.baseAddress, count: count), same)
            }
        case .unicode:
            var cleaned = unicodeClean(value)
            return cleaned.withUTF8 { body($0, false) }
        }
    }

    /// What ``clean(_:)`` has to do with a value's bytes.
    enum Work: Equatable {
        /// Nothing: ASCII without leading, trailing, repeated or non-space white space.
        case clean
        /// Split on white space and join with single spaces, on bytes. `latin` when the value holds
        /// non-ASCII characters, all below U+0300: those are already NFC (none decomposes differently
        /// or combines), and U+0085 and U+00A0 are their only white space beyond ASCII's.
        case collapse(latin: Bool)
        /// Anything else: NFC and Unicode white space through Foundation.
        case unicode
    }

    static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> Work {
        var previousSpace = true
        var needsWork = false
        var i = 0
        let count = bytes.count
        // Eight bytes at a time while they hold nothing below 0x20 and nothing from 0x80 (exact tests for
        // words of bytes below 0x80) and no space that follows a space (`previousSpace` before the word, or
        // the byte before it in the word): such a run needs no work, and ends `previousSpace` on its last byte.
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while i < count {
            if let raw, i + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if word & 0x8080_8080_8080_8080 == 0 && (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 == 0 {
                    // 0x80 in each byte that is a space: exact, as no byte of `x` reaches 0x80 and no sum carries.
                    let x = word ^ 0x2020_2020_2020_2020
                    let spaces = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
                    if spaces & (spaces << 8) == 0 && !(previousSpace && spaces & 0x80 != 0) {
                        previousSpace = spaces >> 63 != 0
                        i += 8
                        continue
                    }
                }
            }
            let b = bytes[i]
            if b >= 0x80 { break }
            // The same quick test as ever: only space, tab, LF and CR count here.
            let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
            if space && (previousSpace || b != 0x20) { needsWork = true }
            previousSpace = space
            i += 1
        }
        if i == count {
            return needsWork || (previousSpace && !bytes.isEmpty) ? .collapse(latin: false) : .clean
        }
        // UTF-8 lead bytes 0xC2–0xCB start the scalars U+0080–U+02FF; 0x80–0xBF continue a scalar.
        while i < bytes.count {
            if bytes[i] >= 0xCC { return .unicode }
            i += 1
        }
        return .collapse(latin: true)
    }

    /// Writes the words of `bytes` (split on white space) joined by single spaces; returns the count.
    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, latin: Bool) -> Int {
        var n = 0
        var pendingSpace = false
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            var spaceLength = 0
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                spaceLength = 1
            } else if latin && b == 0xC2 && i + 1 < count && (bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0) {
                spaceLength = 2
            }
            if spaceLength > 0 {
                pendingSpace = n > 0
                i += spaceLength
                continue
            }
            if pendingSpace {
                out[n] = 0x20
                n += 1
                pendingSpace = false
            }
            out[n] = b
            n += 1
            i += 1
        }
        return n
    }

    /// ``clean(_:)`` for text beyond ``Work/collapse(latin:)``: Foundation's NFC and Unicode white space.
    static func unicodeClean(_ value: String) -> String {
        let isASCII = value.utf8.allSatisfy { $0 < 0x80 }
        let text = isASCII ? value : value.precomposedStringWithCanonicalMapping
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lower-case without diacritics, for keys compared across spellings (`Müller` → `muller`).
    static func foldedKey(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value.lowercased() }
        return value.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
