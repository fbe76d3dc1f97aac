import LeadRecords

/// Restores the casing of person names typed in all capitals or all lower case:
/// `JOHN O'BRIEN` → `John O'Brien`, `mcdonald` → `McDonald`, `ludwig van beethoven` → `Ludwig van Beethoven`.
///
/// Names already in mixed case (`DeShawn`, `McKenzie`, `van der Berg`) are left as typed: the person
/// chose that spelling, and no rule knows better.
enum PersonNameCasing {
    /// Particles that stay lower case inside a name (but not at its start).
    static let particles: Set<String> = ["van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ter", "ten", "bin", "al"]

    static func apply(_ name: String) -> String {
        guard !name.isEmpty else { return name }
        let outcome = name.utf8.withContiguousStorageIfAvailable(asciiApply) ?? .unicode
        let hasUpper: Bool, hasLower: Bool
        switch outcome {
        case .unchanged: return name
        case .recased(let recased): return recased
        case .unicode:
            // `Character` case, not the scalars' Uppercase/Lowercase properties: they differ even
            // below U+0300 (ª, º and more), and names typed before this routine was fast relied on it.
            hasUpper = name.contains { $0.isUppercase }
            hasLower = name.contains { $0.isLowercase }
        }
        guard hasUpper != hasLower else { return name }
        var words: [String] = []
        for (index, word) in name.lowercased().split(separator: " ").enumerated() {
            if index > 0 && particles.contains(String(word)) {
                words.append(String(word))
            } else {
                words.append(capitalizeWord(String(word)))
            }
        }
        return words.joined(separator: " ")
    }

    /// Capitalizes each part of a hyphenated or apostrophized word and the Mc/Mac prefixes.
    static func capitalizeWord(_ word: String) -> String {
        var result = ""
        var capitalizeNext = true
        for ch in word {
            result += capitalizeNext ? ch.uppercased() : String(ch)
            capitalizeNext = ch == "-" || ch == "'" || ch == "’" || ch == "."
        }
        if result.hasPrefix("Mc"), result.count > 3 {
            let i = result.index(result.startIndex, offsetBy: 2)
            result = "Mc" + result[i].uppercased() + result[result.index(after: i)...]
        }
        return result
    }

    /// What ``asciiApply(_:)`` made of a name.
    enum ByteOutcome {
        /// Mixed case (or no letters): left as typed.
        case unchanged
        case recased(String)
        /// Not ASCII, or holding control characters: the `Character` routine.
        case unicode
    }

    /// ``apply(_:)`` on the bytes of a printable-ASCII name, with one string built when it re-cases;
    /// words split on spaces, particles kept lower case after the first word, each part after
    /// `-`, `'` or `.` capitalized, and `Mc` followed by a capital.
    static func asciiApply(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteOutcome {
        var upper = false, lower = false
        for b in bytes {
            if b < 0x20 || b >= 0x80 { return .unicode }
            if b >= 0x41 && b <= 0x5A { upper = true } else if b >= 0x61 && b <= 0x7A { lower = true }
        }
        guard upper != lower else { return .unchanged }
        return .recased(String(unsafeUninitializedCapacity: bytes.count) { recase(bytes, into: $0.baseAddress!) })
    }

    /// Appends ``apply(_:)`` of ``TextCleanup/clean(_:)`` of the text `raw` when both work on its bytes
    /// (ASCII, printable once cleaned); `false`, with nothing appended, when they take the `String` routines.
    static func appendCleanedASCII(_ raw: UnsafeBufferPointer<UInt8>, to values: ColumnValues) -> Bool {
        TextCleanup.withCleanedASCII(raw) { bytes -> Bool in
            var upper = false, lower = false
            for b in bytes {
                if b < 0x20 || b >= 0x80 { return false }
                if b >= 0x41 && b <= 0x5A { upper = true } else if b >= 0x61 && b <= 0x7A { lower = true }
            }
            if upper != lower {
                values.append(upTo: bytes.count) { recase(bytes, into: $0) }
            } else {
                values.append(bytes)
            }
            return true
        } ?? false
    }

    /// Writes the re-cased words of a printable-ASCII name to `out` (room for `bytes.count`); returns the count.
    private static func recase(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let count = bytes.count
        var n = 0
        var index = 0
        var i = 0
        while i < count {
            while i < count && bytes[i] == 0x20 { i += 1 }
            guard i < count else { break }
            let start = i
            while i < count && bytes[i] != 0x20 { i += 1 }
            if index > 0 {
                out[n] = 0x20
                n += 1
            }
            let wordStart = n
            for k in start..<i {
                let b = bytes[k]
                out[n] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                n += 1
            }
            if index == 0 || !isParticle(UnsafeBufferPointer(start: out + wordStart, count: n - wordStart)) {
                var capitalizeNext = true
                for k in wordStart..<n {
                    let b = out[k]
                    if capitalizeNext && b >= 0x61 && b <= 0x7A { out[k] = b & ~0x20 }
                    capitalizeNext = b == UInt8(ascii: "-") || b == UInt8(ascii: "'") || b == UInt8(ascii: ".")
                }
                if n - wordStart > 3 && out[wordStart] == UInt8(ascii: "M") && out[wordStart + 1] == UInt8(ascii: "c") {
                    let b = out[wordStart + 2]
                    if b >= 0x61 && b <= 0x7A { out[wordStart + 2] = b & ~0x20 }
                }
            }
            index += 1
        }
        return n
    }

    private static func isParticle(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count <= 5 else { return false }
        return particles.contains(String(decoding: word, as: UTF8.self))
    }
}
