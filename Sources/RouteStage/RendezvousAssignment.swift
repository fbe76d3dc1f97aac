import Foundation
import LeadFacts

/// Weighted rendezvous (highest-random-weight) hashing: each lead ranks a pool's members by a score
/// only the lead's key and the member's name decide, and goes to the first one in that order with room.
///
/// Thaler and Ravishankar's HRW with Schindelhauer and Schomaker's weighting: member `m` scores
/// `-weight(m) / ln(u)`, where `u` in (0, 1) is a hash of (key, member). Because a lead's order
/// depends on nothing else, re-running gives the same owner, adding a member takes only the leads
/// that now rank it first, and removing one moves only that member's leads, each to its next choice.
/// The hash is FNV-1a 64 finished with SplitMix64's mixer, written here so it never changes between
/// releases or processes (Swift's `Hasher` is seeded per process).
public enum RendezvousAssignment {
    /// FNV-1a over the key, a 0 byte, and the member's name, then mixed.
    @inlinable public static func hash(key: String, member: String) -> UInt64 {
        var state = KeyState()
        state.add(key)
        return state.hash(member: member)
    }

    /// The member's score for the key: higher ranks first.
    @inlinable public static func score(key: String, member: String, weight: Double) -> Double {
        var state = KeyState()
        state.add(key)
        return state.score(member: member, weight: weight)
    }

    /// The hash part that depends only on the key, fed its bytes piece by piece (`entity:`, then the id), so
    /// ranking a pool's members hashes the key once and each member's name after it, with no key string made.
    public struct KeyState: Sendable, Equatable {
        @usableFromInline var value: UInt64 = 0xcbf2_9ce4_8422_2325

        @inlinable public init() {}

        @inlinable public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            var h = value
            for byte in bytes {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01B3
            }
            value = h
        }

        @inlinable public mutating func add(_ text: String) {
            var text = text
            text.withUTF8 { add($0) }
        }

        /// The lowercase ASCII letter of each upper-case one: `String.lowercased()` of ASCII bytes.
        @inlinable public mutating func addLowercasingASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
            var h = value
            for byte in bytes {
                h ^= UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                h = h &* 0x0000_0100_0000_01B3
            }
            value = h
        }

        /// The hash of the key so far with `member`.
        @inlinable public func hash(member: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var h = value &* 0x0000_0100_0000_01B3 // the 0 separator: ("ab", "c") and ("a", "bc") differ
            for byte in member {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01B3
            }
            // SplitMix64's finalizer spreads FNV's weak low bits over the whole word.
            return SplitMix64.mix(h)
        }

        @inlinable public func hash(member: String) -> UInt64 {
            var member = member
            return member.withUTF8 { hash(member: $0) }
        }

        /// The member's score for the key: higher ranks first.
        @inlinable public func score(member: UnsafeBufferPointer<UInt8>, weight: Double) -> Double {
            // The top 53 bits as a fraction strictly inside (0, 1), so the logarithm is finite and negative.
            let unit = (Double(hash(member: member) >> 11) + 0.5) / 9_007_199_254_740_992
            return -weight / log(unit)
        }

        @inlinable public func score(member: String, weight: Double) -> Double {
            var member = member
            return member.withUTF8 { score(member: $0, weight: weight) }
        }
    }
}
