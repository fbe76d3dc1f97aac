import LeadFacts

/// `matches_any [vp, head of, chief]`: whole words and phrases of a cell, case- and accent-folded
/// (``TextFolding``), so "Head of Sales", "HEAD-OF sales" and "Directrice Générale" match
/// `head of` and `directrice generale`, while `vp` does not match "MVP".
public struct MatchPhrases: Sendable {
    /// Each phrase's folded words joined by one space, with a space before and after (` head of `),
    /// so a plain byte search on the cell's words (written the same way) only finds whole words.
    private let phrases: [[UInt8]]

    public init(_ texts: [String]) {
        phrases = texts.map { [0x20] + Array(Self.words(of: $0).joined(separator: " ").utf8) + [0x20] }
    }

    /// The folded words of `text`: runs of letters and digits.
    public static func words(of text: String) -> [String] {
        TextFolding.fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Whether `cell` contains one of the phrases as whole words.
    public func matches(_ cell: String) -> Bool {
        var cell = cell
        let ascii = cell.utf8.allSatisfy { $0 < 0x80 }
        if !ascii { cell = TextFolding.fold(cell) }
        return cell.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 2) { words in
                // The cell's words, lower-cased, one space between and around them; non-ASCII bytes
                // (already folded) count as letters.
                var n = 0
                words[n] = 0x20
                n += 1
                for b in bytes {
                    let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) || lower >= 0x80 {
                        words[n] = lower
                        n += 1
                    } else if words[n - 1] != 0x20 {
                        words[n] = 0x20
                        n += 1
                    }
                }
                if words[n - 1] != 0x20 {
                    words[n] = 0x20
                    n += 1
                }
                for phrase in phrases where Self.contains(words, n, phrase) { return true }
                return false
            }
        }
    }

    private static func contains(_ haystack: UnsafeMutableBufferPointer<UInt8>, _ count: Int, _ needle: [UInt8]) -> Bool {
        let m = needle.count
        guard m <= count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[1]
            var i = 0
            while i + m <= count {
                if haystack[i + 1] == first, haystack[i] == 0x20 {
                    var j = 2
                    while j < m, haystack[i + j] == needle[j] { j += 1 }
                    if j == m { return true }
                }
                i += 1
            }
            return false
        }
    }
}
