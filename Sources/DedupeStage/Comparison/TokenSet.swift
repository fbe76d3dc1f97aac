import LeadFacts

/// Token-set similarity: the Jaccard overlap of the words, so "Acme Widgets Inc" and "Widgets Acme" agree.
package enum TokenSet {
    /// |A ∩ B| / |A ∪ B| over space-separated words; 1 when both are empty.
    package static func jaccard(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let ta = Set(FoldedText.tokens(a).map(Array.init)), tb = Set(FoldedText.tokens(b).map(Array.init))
        if ta.isEmpty && tb.isEmpty { return 1 }
        let common = ta.intersection(tb).count
        return Double(common) / Double(ta.count + tb.count - common)
    }
}

extension TokenSet {
    /// ``jaccard(_:_:)`` over byte buffers without allocating (up to 32 words a side; longer text falls back).
    package static func jaccard(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 64) { ranges in
            func split(_ s: UnsafeBufferPointer<UInt8>, into offset: Int) -> Int? {
                var count = 0, start = -1
                for i in 0...s.count {
                    let isSpace = i == s.count || s[i] == 0x20
                    if isSpace {
                        if start >= 0 {
                            if count == 32 { return nil }
                            ranges[offset + count] = start..<i
                            count += 1
                            start = -1
                        }
                    } else if start < 0 { start = i }
                }
                return count
            }
            guard let na = split(a, into: 0), let nb = split(b, into: 32) else { return jaccard(Array(a), Array(b)) }
            if na == 0 && nb == 0 { return 1 }
            // Distinct words on each side, then the shared ones.
            func distinct(_ s: UnsafeBufferPointer<UInt8>, _ offset: Int, _ n: Int) -> Int {
                var d = 0
                outer: for i in 0..<n {
                    for j in 0..<i where s[ranges[offset + j]].elementsEqual(s[ranges[offset + i]]) { continue outer }
                    d += 1
                }
                return d
            }
            let da = distinct(a, 0, na), db = distinct(b, 32, nb)
            var common = 0
            outer: for i in 0..<na {
                for j in 0..<i where a[ranges[j]].elementsEqual(a[ranges[i]]) { continue outer }
                for k in 0..<nb where b[ranges[32 + k]].elementsEqual(a[ranges[i]]) { common += 1; continue outer }
            }
            return Double(common) / Double(da + db - common)
        }
    }
}
