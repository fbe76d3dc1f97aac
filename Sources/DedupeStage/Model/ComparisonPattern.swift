/// The agreement levels of one pair on every compared field, packed four bits per field (at most 16 fields).
///
/// Level 15 is ``PreparedField/nullLevel``: one side is missing.
public struct ComparisonPattern: Hashable, Sendable {
    public var bits: UInt64

    public init(bits: UInt64 = 0) { self.bits = bits }

    /// The most fields a pattern holds.
    package static let maxFields = 16

    /// The level of field `i`.
    @inline(__always) public func level(_ i: Int) -> UInt8 { UInt8((bits >> UInt64(4 * i)) & 0xF) }

    /// Sets the level of field `i`.
    @inline(__always) public mutating func set(_ i: Int, _ level: UInt8) {
        let shift = UInt64(4 * i)
        bits = (bits & ~(0xF << shift)) | (UInt64(level) << shift)
    }
}
