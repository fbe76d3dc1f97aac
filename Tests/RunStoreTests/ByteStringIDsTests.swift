@testable import RunStore
import Testing

/// The byte-string table the commit finds texts, values and sets in: every key inserted is found by its
/// bytes alone, however many there are, and bytes inserted twice answer with the id given last.
@Suite("Byte-string ids")
struct ByteStringIDsTests {
    func id(_ table: ByteStringIDs, _ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { table.id(of: $0) }
    }

    func insert(_ table: inout ByteStringIDs, _ text: String, id: Int64) {
        Array(text.utf8).withUnsafeBytes { table.insert($0, id: id) }
    }

    @Test func everyKeyIsFoundByItsBytesAfterTheTableGrew() {
        var table = ByteStringIDs()
        // Keys of every length around the 8-byte words the hash reads, prefixes of each other, and an empty one.
        let keys = [""] + (0..<5000).map { "k\($0)" } + (1...40).map { String(repeating: "é", count: $0) }
        for (i, key) in keys.enumerated() { insert(&table, key, id: Int64(i) + 1) }
        #expect(table.count == keys.count)
        for (i, key) in keys.enumerated() { #expect(id(table, key) == Int64(i) + 1) }
        #expect(id(table, "k5000") == nil)
        #expect(id(table, "k") == nil)
        #expect(id(table, String(repeating: "é", count: 41)) == nil)
    }

    /// The hash reads a short key's bytes as overlapping words and a long key's tail as its last 16 bytes: keys
    /// of one length that differ in any single byte are still told apart, at every length up to past 64.
    @Test func keysOfOneLengthDifferingInAnyOneByteAreToldApart() {
        var table = ByteStringIDs()
        var keys: [[UInt8]] = []
        for length in 1...70 {
            let base = [UInt8](repeating: 0x61, count: length)
            keys.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] = 0x62
                keys.append(changed)
            }
        }
        for (i, key) in keys.enumerated() { key.withUnsafeBytes { table.insert($0, id: Int64(i)) } }
        #expect(table.count == keys.count)
        for (i, key) in keys.enumerated() { #expect(key.withUnsafeBytes { table.id(of: $0) } == Int64(i)) }
        #expect([UInt8](repeating: 0x63, count: 9).withUnsafeBytes { table.id(of: $0) } == nil)
    }

    @Test func bytesInsertedTwiceAnswerWithTheLastIDBeforeAndAfterTheTableGrew() {
        var table = ByteStringIDs()
        insert(&table, "Acme", id: 1)
        insert(&table, "Acme", id: 2)
        #expect(id(table, "Acme") == 2)
        for i in 0..<1000 { insert(&table, "filler \(i)", id: Int64(100 + i)) }
        #expect(id(table, "Acme") == 2)
        insert(&table, "Acme", id: 3)
        for i in 1000..<3000 { insert(&table, "filler \(i)", id: Int64(100 + i)) }
        #expect(id(table, "Acme") == 3)
        #expect(id(table, "filler 2999") == 3099)
    }
}
