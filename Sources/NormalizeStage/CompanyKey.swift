import DomainNames

/// A key that matches spellings of the same company: lower case, no diacritics or punctuation,
/// legal-form suffixes removed: `Acme, Inc.` / `ACME Incorporated` / `Acme` → `acme`.
struct CompanyKey: Sendable {
    /// Legal forms, written as their words after punctuation is dropped (`S.A.` → `s a` → `sa`).
    static let defaultSuffixes: [String] = [
        "inc", "incorporated", "llc", "l l c", "ltd", "limited", "corp", "corporation", "co", "company", "plc",
        "gmbh", "gmbh co kg", "gmbh co", "ag", "kg", "ohg", "ug", "se", "sa", "s a", "sas", "sarl", "sprl", "srl", "spa", "s p a",
        "sl", "s l", "bv", "b v", "nv", "n v", "oy", "oyj", "ab", "as", "a s", "asa", "aps", "pty", "pty ltd",
        "pte", "pte ltd", "kk", "k k", "lp", "llp", "pc", "pllc", "sa de cv", "s a de c v", "ltda", "sro", "s r o",
        "spzoo", "sp z o o", "zrt", "kft", "doo", "d o o",
    ]

    /// Suffixes by their last word, each as its words, longest first (`pty ltd` is tried before `ltd`):
    /// one hash lookup per company whose last word is no legal form, which is most of them.
    private let suffixesByLastWord: [Substring: [[Substring]]]
    /// The same suffixes for ``asciiKey(_:suffixes:)``: each written with single spaces, and per last word
    /// the bit set of their word counts (bit `k`: a `k`-word suffix ends in this word).
    let suffixTables: SuffixTables

    /// Owns the byte tables; ``reader`` is what the per-row code reads.
    final class SuffixTables: Sendable {
        let whole: ByteStringTable
        let lastWords: ByteStringTable

        init(_ suffixes: [[Substring]]) {
            whole = ByteStringTable(suffixes.map { (Array($0.joined(separator: " ").utf8), 1) })
            lastWords = ByteStringTable(suffixes.map { (Array($0.last!.utf8), Int32(truncatingIfNeeded: 1 << min($0.count, 30))) },
                                        combine: |)
        }

        var reader: Reader { Reader(whole: whole.reader, lastWords: lastWords.reader) }

        struct Reader {
            let whole: ByteStringTable.Reader
            let lastWords: ByteStringTable.Reader
        }
    }

    init(extraSuffixes: [String] = []) {
        let all = Self.defaultSuffixes + extraSuffixes.map { Self.words(TextCleanup.foldedKey($0)).joined(separator: " ") }
        var byLastWord: [Substring: [[Substring]]] = [:]
        for suffix in Set(all) {
            let words = suffix.split(separator: " ")
            guard let last = words.last else { continue }
            byLastWord[last, default: []].append(words)
        }
        suffixesByLastWord = byLastWord.mapValues { $0.sorted { $0.count > $1.count } }
        suffixTables = SuffixTables(byLastWord.values.flatMap { $0 })
    }

    /// ``key(_:)`` of an all-ASCII company on its bytes, with one string built for the result;
    /// `nil` when the bytes are not all ASCII.
    static func asciiKey(_ bytes: UnsafeBufferPointer<UInt8>, suffixes: SuffixTables.Reader) -> String? {
        let count = bytes.count
        for b in bytes where b >= 0x80 { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, count)) { lower -> String in
            withUnsafeTemporaryAllocation(of: (start: Int, end: Int).self, capacity: count / 2 + 1) { words -> String in
                // Words of letters and digits, lower-cased; everything else separates them.
                var wordCount = 0
                var i = 0
                while i < count {
                    while i < count && !isWordByte(bytes[i]) { i += 1 }
                    guard i < count else { break }
                    let start = i
                    while i < count && isWordByte(bytes[i]) {
                        let b = bytes[i]
                        lower[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                        i += 1
                    }
                    words[wordCount] = (start, i)
                    wordCount += 1
                }
                let base = UnsafePointer(lower.baseAddress!)
                var first = 0
                var last = wordCount
                if wordCount > 1, words[0].end - words[0].start == 3, base[words[0].start] == UInt8(ascii: "t"),
                   base[words[0].start + 1] == UInt8(ascii: "h"), base[words[0].start + 2] == UInt8(ascii: "e") {
                    first = 1
                }
                // Longest suffix first, as in `key(_:)`; at most one suffix of each length can match.
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, count)) { joined -> String in
                    while last - first > 1, let counts = suffixes.lastWords.value(base, words[last - 1].start, words[last - 1].end) {
                        var removed = 0
                        var k = min(last - first - 1, 30)
                        while k >= 1 {
                            if counts & Int32(truncatingIfNeeded: 1 << k) != 0 {
                                let n = join(words, from: last - k, to: last, base, into: joined.baseAddress!)
                                if suffixes.whole.value(UnsafePointer(joined.baseAddress!), 0, n) != nil {
                                    removed = k
                                    break
                                }
                            }
                            k -= 1
                        }
                        guard removed > 0 else { break }
                        last -= removed
                    }
                    let n = join(words, from: first, to: last, base, into: joined.baseAddress!)
                    return String(decoding: UnsafeBufferPointer(start: joined.baseAddress, count: n), as: UTF8.self)
                }
            }
        }
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A)
    }

    /// Writes words `from..<to` joined by single spaces; returns the byte count.
    private static func join(_ words: UnsafeMutableBufferPointer<(start: Int, end: Int)>, from: Int, to: Int,
                             _ base: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for w in from..<to {
            if w > from {
                out[n] = 0x20
                n += 1
            }
            let word = words[w]
            (out + n).update(from: base + word.start, count: word.end - word.start)
            n += word.end - word.start
        }
        return n
    }

    func key(_ company: String) -> String {
        var words = Self.words(TextCleanup.foldedKey(company))
        if words.first == "the" && words.count > 1 { words.removeFirst() }
        while words.count > 1, let candidates = suffixesByLastWord[words[words.count - 1]],
              let suffix = candidates.first(where: { $0.count < words.count && words.suffix($0.count).elementsEqual($0) }) {
            words.removeLast(suffix.count)
        }
        return words.joined(separator: " ")
    }

    /// Words of letters and digits; `&` and punctuation separate words and are dropped.
    static func words(_ text: String) -> [Substring] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split(whereSeparator: { b in !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A)) })
                .map { Substring($0) }
        }
        return text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }
}
