import Foundation

/// Whitespace and Unicode clean-up shared by every normalized field.
enum TextCleanup {
    /// Trims, collapses runs of white space (including tabs, newlines and no-break spaces) to one
    /// space, and applies Unicode NFC. ASCII values without stray spaces come back untouched and cheaply.
    static func clean(_ value: String) -> String {
        var isASCII = true
        var needsWork = false
        var previousSpace = true
        for b in value.utf8 {
            if b >= 0x80 {
                isASCII = false
                break
            }
            let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
            if space && (previousSpace || b != 0x20) { needsWork = true }
            previousSpace = space
        }
        if isASCII {
            if !needsWork && !previousSpace { return value }
            if value.isEmpty { return value }
        }
        var text = isASCII ? value : value.precomposedStringWithCanonicalMapping
        if !isASCII || needsWork || previousSpace {
            text = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        return text
    }

    /// Lower-case without diacritics, for keys compared across spellings (`Müller` → `muller`).
    static func foldedKey(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value.lowercased() }
        return value.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
