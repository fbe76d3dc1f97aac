/// Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions), bounded.
///
/// Typing errors in dates, ids and street names are mostly one substitution, insertion, deletion
/// or swap of neighbours, which is what this counts.
public enum EditDistance {
    /// The distance, or `limit + 1` as soon as it is known to exceed `limit`.
    public static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int = .max) -> Int {
        let la = a.count, lb = b.count
        if abs(la - lb) > limit { return limit + 1 }
        if la == 0 { return lb }
        if lb == 0 { return la }
        var prevPrev = [Int](repeating: 0, count: lb + 1)
        var prev = Array(0...lb)
        var current = [Int](repeating: 0, count: lb + 1)
        for i in 1...la {
            current[0] = i
            var rowMin = i
            for j in 1...lb {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prevPrev[j - 2] + 1) }
                current[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            swap(&prevPrev, &prev)
            swap(&prev, &current)
        }
        return prev[lb]
    }
}

extension EditDistance {
    /// Whether the OSA distance is at most 1 (one substitution, insertion, deletion or swap of neighbours), in one pass without allocating.
    public static func withinOne(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let la = a.count, lb = b.count
        if abs(la - lb) > 1 { return false }
        var i = 0
        while i < la && i < lb && a[i] == b[i] { i += 1 }
        if i == la && i == lb { return true }
        if la == lb {
            // Substitution at i, or transposition of i and i+1.
            if a[(i + 1)...] .elementsEqual(b[(i + 1)...]) { return true }
            return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...].elementsEqual(b[(i + 2)...])
        }
        // One insertion or deletion at i.
        return la > lb ? a[(i + 1)...].elementsEqual(b[i...]) : a[i...].elementsEqual(b[(i + 1)...])
    }
}
