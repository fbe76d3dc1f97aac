/// Each distinct value's words as sorted word ids, so the word-overlap level of two values is a merge of two
/// short integer lists.
///
/// Random pairs are nearly all different companies with words in them: splitting both keys and comparing their
/// words byte by byte on every comparison was about a tenth of dedupe's instructions. Words are split, interned
/// and sorted once per distinct value here; the overlap is the same as ``TokenSet/jaccard(_:_:)`` of the keys.
package struct ValueTokens: Sendable {
    /// Per value, its distinct word ids in ascending order, end to end.
    private let words: [Int32]
    /// Where value `id`'s words start in ``words``; one extra entry marks the end of the last.
    private let starts: [Int32]

    /// No words for any value: for fields whose comparator never asks.
    package init() {
        words = []
        starts = [0]
    }

    /// The words of `valueCount` keys stored end to end in `bytes`, key `id` at `keyStarts[id]..<keyStarts[id + 1]`.
    package init(bytes: [UInt8], keyStarts: [Int32], valueCount: Int) {
        var interner = ByteStringInterner(expectedCount: valueCount)
        var words: [Int32] = [], starts: [Int32] = [0]
        words.reserveCapacity(valueCount * 3)
        starts.reserveCapacity(valueCount + 1)
        var own: [Int32] = []
        bytes.withUnsafeBufferPointer { all in
            for id in 0..<valueCount {
                own.removeAll(keepingCapacity: true)
                let end = Int(keyStarts[id + 1])
                var start = -1
                for i in Int(keyStarts[id])...end {
                    if i == end || all[i] == 0x20 {
                        if start >= 0 { own.append(interner.intern(UnsafeBufferPointer(rebasing: all[start..<i])).id) }
                        start = -1
                    } else if start < 0 {
                        start = i
                    }
                }
                own.sort()
                var last: Int32 = -1
                for word in own where word != last {
                    words.append(word)
                    last = word
                }
                starts.append(Int32(words.count))
            }
        }
        self.words = words
        self.starts = starts
    }

    /// |A ∩ B| / |A ∪ B| of two values' distinct words; 1 when neither has a word.
    @inline(__always)
    package func jaccard(_ a: Int, _ b: Int) -> Double {
        words.withUnsafeBufferPointer { words in
            var i = Int(starts[a]), j = Int(starts[b])
            let endA = Int(starts[a + 1]), endB = Int(starts[b + 1])
            let countA = endA - i, countB = endB - j
            if countA == 0 && countB == 0 { return 1 }
            var common = 0
            while i < endA && j < endB {
                let x = words[i], y = words[j]
                if x == y {
                    common += 1
                    i += 1
                    j += 1
                } else if x < y {
                    i += 1
                } else {
                    j += 1
                }
            }
            return Double(common) / Double(countA + countB - common)
        }
    }
}
