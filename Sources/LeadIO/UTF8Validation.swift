/// Checks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) without building
/// a `String`, which is what `String(validating:)` costs per row; ASCII runs are skipped eight bytes at a time.
enum UTF8Validation {
    /// Whether `start..<end` of `bytes` is all ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = start
        while i + 8 <= end {
            if ByteWord.hasNonASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return false }
            i += 8
        }
        while i < end {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// Whether `start..<end` of `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = start
        @inline(__always) func continuation(_ k: Int) -> Bool { k < end && base[k] & 0xC0 == 0x80 }
        while i < end {
            if i + 8 <= end && !ByteWord.hasNonASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
                continue
            }
            let b = base[i]
            if b < 0x80 {
                i += 1
            } else if b >= 0xC2 && b <= 0xDF {
                guard continuation(i + 1) else { return false }
                i += 2
            } else if b >= 0xE0 && b <= 0xEF {
                guard i + 1 < end else { return false }
                let b1 = base[i + 1]
                // E0 needs A0–BF (no overlong form); ED needs 80–9F (no surrogates).
                let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80, high: UInt8 = b == 0xED ? 0x9F : 0xBF
                guard b1 >= low && b1 <= high, continuation(i + 2) else { return false }
                i += 3
            } else if b >= 0xF0 && b <= 0xF4 {
                guard i + 1 < end else { return false }
                let b1 = base[i + 1]
                // F0 needs 90–BF (no overlong form); F4 needs 80–8F (nothing above U+10FFFF).
                let low: UInt8 = b == 0xF0 ? 0x90 : 0x80, high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
                guard b1 >= low && b1 <= high, continuation(i + 2), continuation(i + 3) else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    /// How many well-formed multi-byte sequences `start..<end` holds, and how many bytes that cannot start
    /// or continue one: text that is UTF-8 but for a stray row in another encoding has many of the first
    /// and few of the second, while Windows-1252 text almost never forms a valid multi-byte sequence.
    static func sequenceTally(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (valid: Int, invalid: Int) {
        var valid = 0, invalid = 0
        var i = start
        while i < end {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            // The longest well-formed sequence here, checked by the same rules as `isValid`.
            var matched = 0
            for length in 2...4 where i + length <= end {
                if isValid(bytes, i, i + length) {
                    matched = length
                    break
                }
            }
            if matched > 0 {
                valid += 1
                i += matched
            } else {
                invalid += 1
                i += 1
            }
        }
        return (valid, invalid)
    }

    /// Where the last complete UTF-8 sequence of `bytes` ends: a block read from a file may stop in the
    /// middle of a character, which is not a sign of another encoding.
    static func completeSequencesEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = bytes.count
        // A lead byte at most three bytes from the end starts a sequence that may be cut.
        while start > 0 && bytes.count - start < 3 {
            let b = bytes[start - 1]
            if b & 0xC0 == 0x80 { start -= 1; continue }
            if b >= 0xC0 {
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                return bytes.count - (start - 1) < length ? start - 1 : bytes.count
            }
            return bytes.count
        }
        return bytes.count
    }
}
