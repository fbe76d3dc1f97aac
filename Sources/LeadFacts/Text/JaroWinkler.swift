/// Jaro–Winkler similarity (Winkler 1990), the usual measure for short personal names.
///
/// Works on bytes; strings up to 64 bytes use bit masks for the matched flags so the hot path allocates nothing.
public enum JaroWinkler {
    /// Similarity in 0...1; 1 means identical. `prefixScale` is Winkler's p (0.1), over at most 4 leading bytes.
    ///
    /// Inlinable, so each caller gets a copy specialised to its buffers: called across modules unspecialised,
    /// every byte read went through the collection's witness table (dedupe compares millions of random pairs).
    @inlinable public static func similarity<A: RandomAccessCollection, B: RandomAccessCollection>(
        _ a: A, _ b: B, prefixScale: Double = 0.1
    ) -> Double where A.Element == UInt8, B.Element == UInt8, A.Index == Int, B.Index == Int {
        let jaro = jaro(a, b)
        guard jaro > 0.7 else { return jaro }  // Winkler's boost threshold
        var prefix = 0
        var i = a.startIndex, j = b.startIndex
        while prefix < 4, i < a.endIndex, j < b.endIndex, a[i] == b[j] { prefix += 1; i += 1; j += 1 }
        return jaro + Double(prefix) * prefixScale * (1 - jaro)
    }

    /// The plain Jaro similarity.
    @inlinable public static func jaro<A: RandomAccessCollection, B: RandomAccessCollection>(
        _ a: A, _ b: B
    ) -> Double where A.Element == UInt8, B.Element == UInt8, A.Index == Int, B.Index == Int {
        let la = a.count, lb = b.count
        if la == 0 || lb == 0 { return la == lb ? 1 : 0 }
        if la > 64 || lb > 64 { return jaroLong(Array(a), Array(b)) }
        let window = max(0, max(la, lb) / 2 - 1)
        var flagsA: UInt64 = 0, flagsB: UInt64 = 0
        var matches = 0
        let a0 = a.startIndex, b0 = b.startIndex
        for i in 0..<la {
            let lo = max(0, i - window), hi = min(lb - 1, i + window)
            if lo > hi { continue }
            let ca = a[a0 + i]
            for j in lo...hi where flagsB & (1 << UInt64(j)) == 0 && b[b0 + j] == ca {
                flagsA |= 1 << UInt64(i)
                flagsB |= 1 << UInt64(j)
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<la where flagsA & (1 << UInt64(i)) != 0 {
            while flagsB & (1 << UInt64(j)) == 0 { j += 1 }
            if a[a0 + i] != b[b0 + j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(la) + m / Double(lb) + (m - Double(transpositions / 2)) / m) / 3
    }

    @usableFromInline static func jaroLong(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let la = a.count, lb = b.count
        let window = max(0, max(la, lb) / 2 - 1)
        var fa = [Bool](repeating: false, count: la), fb = [Bool](repeating: false, count: lb)
        var matches = 0
        for i in 0..<la {
            let lo = max(0, i - window), hi = min(lb - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !fb[j] && b[j] == a[i] { fa[i] = true; fb[j] = true; matches += 1; break }
        }
        if matches == 0 { return 0 }
        var t = 0, j = 0
        for i in 0..<la where fa[i] {
            while !fb[j] { j += 1 }
            if a[i] != b[j] { t += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(la) + m / Double(lb) + (m - Double(t / 2)) / m) / 3
    }
}
