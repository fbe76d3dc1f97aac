import LeadFacts
import Synchronization

/// `matches_any [vp, head of, chief]`: whole words and phrases of a cell, case- and accent-folded
/// (``TextFolding``), so "Head of Sales", "HEAD-OF sales" and "Directrice Générale" match
/// `head of` and `directrice generale`, while `vp` does not match "MVP".
public struct MatchPhrases: Sendable {
    /// Owns the searcher's buffers and frees them with the last copy.
    private let storage: Storage
    /// The search over the buffers, a plain value a condition keeps beside its owner to read per row
    /// without retaining anything.
    let searcher: Searcher

    private final class Storage: @unchecked Sendable { // written once in init, then only read
        let buffers: [UnsafeMutableRawPointer]

        init(_ buffers: [UnsafeMutableRawPointer]) { self.buffers = buffers }

        deinit { for buffer in buffers { buffer.deallocate() } }

        static func copy<T>(_ array: [T], into owned: inout [UnsafeMutableRawPointer]) -> UnsafeBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
            _ = buffer.initialize(from: array)
            owned.append(UnsafeMutableRawPointer(buffer.baseAddress!))
            return UnsafeBufferPointer(rebasing: buffer[0..<array.count])
        }
    }

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
        var owned: [UnsafeMutableRawPointer] = []
        searcher = Searcher(bytes: Storage.copy(bytes, into: &owned), ends: Storage.copy(ends, into: &owned),
                            bucketStarts: Storage.copy(bucketStarts, into: &owned),
                            byFirstByte: Storage.copy(buckets.flatMap { $0 }, into: &owned),
                            id: Self.nextID.add(1, ordering: .relaxed).oldValue)
        storage = Storage(owned)
    }

    /// Whether `cell` contains one of the phrases as whole words.
    public func matches(_ cell: String) -> Bool { searcher.matches(cell) }

    /// The id the next phrase set takes: what a ``MatchMemo`` tells sets apart by.
    private static let nextID = Atomic<UInt64>(1)
}

extension MatchPhrases {
    /// The phrases' buffers, valid while the ``MatchPhrases`` that made them lives.
    struct Searcher: @unchecked Sendable { // the buffers are written once, in init, then only read
        /// Each phrase's folded words joined by one space, with a space before and after (` head of `),
        /// so a byte comparison at a word start of the cell's words (written the same way) only finds
        /// whole words; all phrases back to back (``ends`` marks where each stops).
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>
        /// The phrases by the first byte of their first word: those starting with byte `b` are
        /// `byFirstByte[bucketStarts[b] ..< bucketStarts[b + 1]]`, so each word of a cell is compared only
        /// with the phrases that can start there.
        let bucketStarts: UnsafeBufferPointer<Int32>
        let byFirstByte: UnsafeBufferPointer<Int32>
        /// This set's id, unique in the process: the answers a ``MatchMemo`` keeps for it are its own.
        let id: UInt64

        func matches(_ cell: String) -> Bool {
            cell.withBytes { cell in
                if Self.isASCII(cell) { return matches(asciiCell: cell) }
                var words: [UInt8] = []
                Self.appendWords(of: cell, to: &words)
                return words.withUnsafeBufferPointer { matches(words: $0) }
            }
        }

        /// Appends the cell's words as ``matches(words:)`` reads them: lower-cased, one space between and
        /// around them. ASCII is folded while the words are written out; other text is folded first
        /// (``TextFolding``), then written the same way.
        static func appendWords(of cell: String, to words: inout [UInt8]) {
            cell.withBytes { appendWords(of: $0, to: &words) }
        }

        /// ``appendWords(of:to:)`` for a cell's UTF-8 bytes; a string is made only for text that is not ASCII.
        static func appendWords(of cell: UnsafeBufferPointer<UInt8>, to words: inout [UInt8]) {
            if write(cell, foldedNonASCII: false, to: &words) { return }
            _ = FoldedCells.fold(String(decoding: cell, as: UTF8.self)).withBytes { write($0, foldedNonASCII: true, to: &words) }
        }

        /// Writes `text`'s words after `words`; `false` (and nothing written) when a byte is not ASCII and
        /// the text has not been folded yet.
        private static func write(_ text: UnsafeBufferPointer<UInt8>, foldedNonASCII: Bool, to output: inout [UInt8]) -> Bool {
            if !foldedNonASCII && !isASCII(text) { return false }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + 2) { words -> Bool in
                var n = 1
                words[0] = 0x20
                Self.wordBytes.withUnsafeBufferPointer { table in
                    // A letter or digit lower-cased, a byte of other text as it is, or one space between words.
                    for b in text {
                        let byte = table[Int(b)]
                        if byte != 0 {
                            words[n] = byte
                            n &+= 1
                        } else if words[n &- 1] != 0x20 {
                            words[n] = 0x20
                            n &+= 1
                        }
                    }
                }
                if words[n &- 1] != 0x20 {
                    words[n] = 0x20
                    n &+= 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: words[0..<n]))
                return true
            }
        }

        /// Whether every byte of `text` is ASCII, read eight bytes at a time.
        @inline(__always) static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = text.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var high: UInt64 = 0
            var i = 0
            while i &+ 8 <= text.count {
                high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            while i < text.count {
                high |= UInt64(text[i])
                i &+= 1
            }
            return high & 0x8080_8080_8080_8080 == 0
        }

        /// Whether the words (as ``appendWords(of:to:)`` writes them) hold one of the phrases.
        func matches(words: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = words.count
            // Every word start: a space followed by the word's first byte.
            var i = 0
            while i &+ 1 < n {
                if words[i] == 0x20 {
                    let b = Int(words[i &+ 1])
                    for k in Int(bucketStarts[b])..<Int(bucketStarts[b &+ 1]) {
                        let p = Int(byFirstByte[k])
                        let start = p == 0 ? 0 : ends[p &- 1]
                        if Self.holds(words, n, at: i, bytes, start, ends[p]) { return true }
                    }
                }
                i &+= 1
            }
            return false
        }

        /// Each byte as a cell's words keep it: ASCII letters lower-cased, digits and bytes of other text
        /// as they are, 0 for the rest (what separates words).
        static let wordBytes: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
            let byte = UInt8(b)
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            return (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) || lower >= 0x80 ? lower : 0
        }

        /// Whether `haystack[at..<count]` starts with `phrases[start..<end]`, given that the first two bytes
        /// (the space and the first byte of the phrase) already agree.
        @inline(__always)
        private static func holds(_ haystack: UnsafeBufferPointer<UInt8>, _ count: Int, at i: Int,
                                  _ phrases: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            let m = end - start
            guard i + m <= count else { return false }
            var j = 2
            while j < m, haystack[i + j] == phrases[start + j] { j += 1 }
            return j == m
        }
    }
}
