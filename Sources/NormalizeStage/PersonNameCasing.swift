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
        var copy = name
        // One pass over the bytes: (has upper, has lower), or nil when the name is not ASCII.
        let ascii: (Bool, Bool)? = copy.withUTF8 { bytes in
            var upper = false, lower = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if b >= 0x41 && b <= 0x5A { upper = true } else if b >= 0x61 && b <= 0x7A { lower = true }
            }
            return (upper, lower)
        }
        let hasUpper: Bool, hasLower: Bool
        if let ascii {
            (hasUpper, hasLower) = ascii
        } else {
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
}
