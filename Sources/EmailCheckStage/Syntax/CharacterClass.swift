/// Byte classes of the RFC 5321 grammar, as lookup tables so the checker's inner loop is one load per byte.
enum CharacterClass {
    private static let atextBit: UInt8 = 1
    private static let ldhBit: UInt8 = 2

    /// Bit 0: RFC 5321 atext (ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~"); bit 1: letter, digit or hyphen.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = atextBit | ldhBit }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = atextBit | ldhBit }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = atextBit | ldhBit }
        for byte in "!#$%&'*+-/=?^_`{|}~".utf8 { table[Int(byte)] |= atextBit }
        table[Int(UInt8(ascii: "-"))] |= ldhBit
        return table
    }()

    @inline(__always) static func isAtext(_ byte: UInt8) -> Bool { table.withUnsafeBufferPointer { $0[Int(byte)] & atextBit != 0 } }
    @inline(__always) static func isLDH(_ byte: UInt8) -> Bool { table.withUnsafeBufferPointer { $0[Int(byte)] & ldhBit != 0 } }

    /// The raw table, for loops that hold it in a local.
    static var bytes: [UInt8] { table }
    static var atextMask: UInt8 { atextBit }
    static var ldhMask: UInt8 { ldhBit }
}
