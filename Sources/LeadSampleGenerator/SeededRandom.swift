/// A fast, seeded pseudo-random generator (SplitMix64): the same seed gives the same sample on every machine.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    public init(seed: UInt64) { base = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    public mutating func next() -> UInt64 { base.next() }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// An index in `0..<count`, skewed towards small indices (Zipf-like), so common names repeat as in real lists.
    package mutating func skewedIndex(_ count: Int, skew: Double = 1.6) -> Int {
        let u = Double(next() >> 11) / Double(1 << 53)
        return min(count - 1, Int(Double(count) * pow(u, skew)))
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

import Foundation
import LeadFacts
