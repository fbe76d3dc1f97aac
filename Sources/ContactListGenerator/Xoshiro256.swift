/// xoshiro256** (Blackman & Vigna, 2018), seeded through SplitMix64 as its authors recommend.
///
/// The contact-list generator's own random source, so its streams share nothing with `lead-sample`'s.
package struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    package mutating func bernoulli(_ p: Double) -> Bool { unit() < p }

    /// A uniform integer in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// One element, uniformly.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Draws indices with fixed weights in O(log n): a cumulative table and a binary search.
package struct WeightedTable: Sendable {
    private let cumulative: [Double]

    public init(weights: [Double]) {
        var running = 0.0
        cumulative = weights.map { running += $0; return running }
    }

    /// Weights `1 / (rank + 1)^exponent`: the Zipf law real name and size frequencies roughly follow.
    public init(zipfCount count: Int, exponent: Double) {
        self.init(weights: (0..<count).map { 1 / pow(Double($0 + 1), exponent) })
    }

    public func draw(_ random: inout Xoshiro256) -> Int {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

import Foundation
