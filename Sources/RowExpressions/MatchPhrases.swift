import LeadFacts

/// `matches_any [vp, head of, chief]`: whole words and phrases of a cell, case- and accent-folded
/// (``TextFolding``), so "Head of Sales", "HEAD-OF sales" and "Directrice Générale" match
/// `head of` and `directrice generale`, while `vp` does not match "MVP".
public struct MatchPhrases: Sendable {
    /// Each phrase's folded words joined by one space, with a space before and after (` head of `),
    /// so a plain byte search on the cell's words (written the same way) only finds whole words. All
    /// phrases back to back in one array (``ends`` marks where each stops): the per-row loop then holds
    /// no array of its own to retain.
    private let bytes: [UInt8]
    private let ends: [Int]

    public init(_ texts: [String]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for text in texts {
            bytes += [0x20] + Array(TextFolding.words(text).joined(separator: " ").utf8) + [0x20]
            ends.append(bytes.count)
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// Whether `cell` contains one of the phrases as whole words.
    public func matches(_ cell: String) -> Bool {
        var cell = cell
        // ASCII is folded while the words are written out; other text is folded first, then written the same way.
        if let found = cell.withUTF8({ matchesASCII($0) }) { return found }
        cell = TextFolding.fold(cell)
        return cell.withUTF8 { search($0, foldedNonASCII: true) ?? false }
    }

    private func matchesASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool? { search(text, foldedNonASCII: false) }

    /// The cell's words, lower-cased, one space between and around them, searched for each phrase;
    /// `nil` when a byte is not ASCII and the text has not been folded yet.
    private func search(_ text: UnsafeBufferPointer<UInt8>, foldedNonASCII: Bool) -> Bool? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 2) { words -> Bool? in
            var n = 0
            words[n] = 0x20
            n += 1
            for b in text {
                if b >= 0x80 && !foldedNonASCII { return nil }
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
            return bytes.withUnsafeBufferPointer { phrases in
                ends.withUnsafeBufferPointer { ends in
                    var start = 0
                    for end in ends {
                        if Self.contains(words, n, phrases, start, end) { return true }
                        start = end
                    }
                    return false
                }
            }
        }
    }

    /// Whether `haystack[0..<count]` holds `phrases[start..<end]`.
    private static func contains(_ haystack: UnsafeMutableBufferPointer<UInt8>, _ count: Int,
                                 _ phrases: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let m = end - start
        guard m <= count else { return false }
        let first = phrases[start + 1]
        var i = 0
        while i + m <= count {
            if haystack[i + 1] == first, haystack[i] == 0x20 {
                var j = 2
                while j < m, haystack[i + j] == phrases[start + j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }
}
