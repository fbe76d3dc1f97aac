import Foundation
import LeadFacts

/// Text reduced to the form comparators work on: lower-case ASCII where possible, accents removed,
/// punctuation dropped and runs of spaces collapsed, held as UTF-8 bytes.
///
/// Comparators run tens of millions of times on a million-row list, so they compare bytes rather
/// than `Character`s; folding happens once per distinct value.
package enum FoldedText {
    /// Folds `text`; `keepDigits` keeps 0–9, `keepSymbols` keeps `@ . + _ -` (for emails and hosts).
    public static func fold(_ text: Substring, keepDigits: Bool = true, keepSymbols: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 { isASCII = false; break }
        let source: String.UTF8View
        let folded: String
        if isASCII {
            folded = String(text)
        } else {
            // Diacritics off so "Zoë" and "Zoe" fold alike; case handled below. Letters that are not a
            // base letter plus a mark (ø, æ, ß, ł) have no decomposition, so they are spelled out first.
            var spelled = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if let replacement = Self.spelledOut[scalar] { spelled.append(contentsOf: replacement.unicodeScalars) } else { spelled.append(scalar) }
            }
            folded = String(spelled).folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        }
        source = folded.utf8
        for var byte in source {
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            let isLetter = (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isSymbol = byte == 0x40 || byte == 0x2E || byte == 0x2B || byte == 0x5F || byte == 0x2D
            if isLetter || (isDigit && keepDigits) || (isSymbol && keepSymbols) {
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            } else if byte == 0x20 || byte == 0x09 || byte == 0x2C || byte == 0x2D || byte == 0x2F || byte == 0x2E || byte == 0x26 {
                // Separators between words: space, tab, comma, hyphen, slash, dot, ampersand.
                pendingSpace = true
            }
            // Other punctuation (apostrophes, quotes, brackets) joins the word: "O'Brien" → "obrien".
        }
        return out
    }

    /// Letters without a decomposition, spelled out (the table every stage folds with).
    static let spelledOut = TextFolding.spelledOut

    /// Folds a whole string.
    public static func fold(_ text: String, keepDigits: Bool = true, keepSymbols: Bool = false) -> [UInt8] {
        fold(Substring(text), keepDigits: keepDigits, keepSymbols: keepSymbols)
    }

    /// The digits of `text`, in order.
    public static func digits(_ text: String) -> [UInt8] {
        text.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The bytes as a string (for keys and explanations).
    public static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Splits folded bytes on spaces.
    public static func tokens(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 0x20, omittingEmptySubsequences: true)
    }
}
