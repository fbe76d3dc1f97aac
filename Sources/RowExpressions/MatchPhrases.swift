import LeadFacts

/// `matches_any [vp, head of, chief]`: whole words and phrases of a cell, case- and accent-folded
/// (``TextFolding``), so "Head of Sales", "HEAD-OF sales" and "Directrice Générale" match
/// `head of` and `directrice generale`, while `vp` does not match "MVP".
public struct MatchPhrases: Sendable {
    /// Each phrase's folded words joined by one space, with a space before and after (` head of `),
    /// so a byte comparison at a word start of the cell's words (written the same way) only finds whole
    /// words. All phrases back to back in one array (``ends`` marks where each stops): the per-row loop
    /// then holds no array of its own to retain.
    private let bytes: [UInt8]
    private let ends: [Int]
    /// The phrases by the first byte of their first word: those starting with byte `b` are
    /// `byFirstByte[bucketStarts[b] ..< bucketStarts[b + 1]]`, so each word of a cell is compared only
    /// with the phrases that can start there.
    private let bucketStarts: [Int32]
    private let byFirstByte: [Int32]

    public init(_ texts: [String]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for text in texts {
            bytes += [0x20] + Array(TextFolding.words(text).joined(separator: " ").utf8) + [0x20]
            ends.append(bytes.count)
        }
        var buckets = [[Int32]](repeating: [], count: 256)
        var start = 0
        for (p, end) in ends.enumerated() {
            buckets[Int(bytes[start + 1])].append(Int32(p))
            start = end
        }
        var bucketStarts: [Int32] = [0]
        for bucket in buckets { bucketStarts.append(bucketStarts.last! + Int32(bucket.count)) }
        self.bytes = bytes
        self.ends = ends
        self.bucketStarts = bucketStarts
        byFirstByte = buckets.flatMap { $0 }
    }

    /// Whether `cell` contains one of the phrases as whole words.
    public func matches(_ cell: String) -> Bool {
        // ASCII is folded while the words are written out; other text is folded first, then written the same way.
        if let found = cell.withBytes({ search($0, foldedNonASCII: false) }) { return found }
        return TextFolding.fold(cell).withBytes { search($0, foldedNonASCII: true) ?? false }
    }

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
                    bucketStarts.withUnsafeBufferPointer { bucketStarts in
                        byFirstByte.withUnsafeBufferPointer { byFirstByte in
                            // Every word start: a space followed by the word's first byte.
                            var i = 0
                            while i + 1 < n {
                                if words[i] == 0x20 {
                                    let b = Int(words[i + 1])
                                    for k in Int(bucketStarts[b])..<Int(bucketStarts[b + 1]) {
                                        let p = Int(byFirstByte[k])
                                        let start = p == 0 ? 0 : ends[p - 1]
                                        if Self.holds(words, n, at: i, phrases, start, ends[p]) { return true }
                                    }
                                }
                                i += 1
                            }
                            return false
                        }
                    }
                }
            }
        }
    }

    /// Whether `haystack[at..<count]` starts with `phrases[start..<end]`, given that the first two bytes
    /// (the space and the first byte of the phrase) already agree.
    @inline(__always)
    private static func holds(_ haystack: UnsafeMutableBufferPointer<UInt8>, _ count: Int, at i: Int,
                              _ phrases: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let m = end - start
        guard i + m <= count else { return false }
        var j = 2
        while j < m, haystack[i + j] == phrases[start + j] { j += 1 }
        return j == m
    }
}
