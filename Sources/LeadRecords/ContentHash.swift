import Foundation

/// A fast, non-cryptographic 64-bit FNV-1a hash, used to tell whether an input or a page changed.
///
/// It is not a security boundary: it only needs to differ when content differs, run to run.
public struct ContentHash: Sendable {
    // FNV-1a 64-bit parameters (offset basis and prime), from the FNV reference.
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The running value.
    public private(set) var value: UInt64 = ContentHash.offsetBasis

    public init() {}

    /// Mixes in the bytes of a string followed by a separator byte, so `["ab","c"]` and `["a","bc"]` differ.
    public mutating func combine(_ text: String) {
        var v = value
        for byte in text.utf8 { v = (v ^ UInt64(byte)) &* Self.prime }
        v = (v ^ 0x1f) &* Self.prime
        value = v
    }

    /// Mixes in raw bytes.
    public mutating func combine(bytes: some Sequence<UInt8>) {
        var v = value
        for byte in bytes { v = (v ^ UInt64(byte)) &* Self.prime }
        value = v
    }

    /// Mixes in raw bytes from memory: the concrete loop the reader uses on every block it reads.
    public mutating func combine(buffer: UnsafeBufferPointer<UInt8>) {
        var v = value
        for byte in buffer { v = (v ^ UInt64(byte)) &* Self.prime }
        value = v
    }

    /// The value as 16 lower-case hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of some bytes as 16 hex digits.
    public static func fnv1a64Hex(_ data: Data) -> String {
        var hash = ContentHash()
        hash.combine(bytes: data)
        return hash.hex
    }
}
