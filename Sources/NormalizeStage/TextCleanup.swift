import Foundation

/// Whitespace and Unicode clean-up shared by every normalized field.
enum TextCleanup {
    /// Trims, collapses runs of white space (including tabs, newlines and no-break spaces) to one
    /// space, and applies Unicode NFC. ASCII values without stray spaces come back untouched and cheaply.
    static func clean(_ value: String) -> String {
        // One pass over the bytes decides whether anything needs doing; most values need nothing.
        let verdict = value.utf8.withContiguousStorageIfAvailable { bytes -> (isASCII: Bool, needsWork: Bool) in
            var previousSpace = true
            var needsWork = false
            for b in bytes {
                if b >= 0x80 { return (false, true) }
                let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
                if space && (previousSpace || b != 0x20) { needsWork = true }
                previousSpace = space
            }
            return (true, needsWork || (previousSpace && !bytes.isEmpty))
        } ?? (isASCII: false, needsWork: true)
        if verdict.isASCII && !verdict.needsWork { return value }
        let text = verdict.isASCII ? value : value.precomposedStringWithCanonicalMapping
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lower-case without diacritics, for keys compared across spellings (`Müller` → `muller`).
    static func foldedKey(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value.lowercased() }
        return value.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
