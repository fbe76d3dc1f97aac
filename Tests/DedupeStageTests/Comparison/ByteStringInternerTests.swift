import Testing
@testable import DedupeStage

@Suite struct ByteStringInternerTests {
    @Test func givesDenseIDsInFirstSeenOrderAndTheSameIDForTheSameBytes() {
        var table = ByteStringInterner()
        let words = ["acme", "globex", "acme", "", "initech", "globex", "acm"]
        let ids = words.map { table.intern(Array($0.utf8)).id }
        #expect(ids == [0, 1, 0, 2, 3, 1, 4])
        #expect(table.count == 5)
        #expect(String(decoding: table.key(3), as: UTF8.self) == "initech")
        #expect(table.key(2).isEmpty)
    }

    @Test func storesTheStringsEndToEndWithOneOffsetEach() {
        var table = ByteStringInterner()
        for word in ["ab", "cde", "f"] { table.intern(Array(word.utf8)) }
        let storage = table.storage()
        #expect(String(decoding: storage.bytes, as: UTF8.self) == "abcdef")
        #expect(storage.starts == [0, 2, 5, 6])
    }

    @Test func saysWhetherAStringIsNew() {
        var table = ByteStringInterner()
        #expect(table.intern(Array("x".utf8)).isNew)
        #expect(!table.intern(Array("x".utf8)).isNew)
        #expect(table.id(of: Array("x".utf8)) == 0)
        #expect(table.id(of: Array("y".utf8)) == nil)
    }

    @Test func findsEveryStringAfterGrowingFarPastItsFirstSize() {
        var table = ByteStringInterner(expectedCount: 4)
        // Keys longer and shorter than the hash's eight-byte step, many sharing prefixes.
        let keys = (0..<20_000).map { Array("person\($0)@example-\($0 % 97).com".utf8) } + (0..<300).map { Array(String($0).utf8) }
        for (i, key) in keys.enumerated() { #expect(table.intern(key) == (Int32(i), true)) }
        var found = 0
        for (i, key) in keys.enumerated() where table.id(of: key) == Int32(i) && table.key(i).elementsEqual(key) { found += 1 }
        #expect(found == keys.count)
        #expect(table.intern(keys[12_345]) == (12_345, false))
    }

    @Test func preparedFieldsShareAnIDBetweenRowsWhoseKeysFoldAlike() {
        let values = ["Acme Inc.", "", "ACME", "Globex", "acme corp", "Globex"]
        let field = PreparedField(kind: .company, rowCount: values.count) { values[$0] }
        #expect(field.ids == [0, -1, 0, 1, 0, 1])
        #expect(field.counts == [3, 2])
        #expect(field.nonNullCount == 5)
        #expect(field.valueCount == 2)
    }

    @Test func emailFieldsInternLocalPartsAndDomainsOncePerDistinctAddress() {
        let values = ["bob@acme.com", "alice@acme.com", "bob@gmail.com", "Bob@ACME.com"]
        let field = PreparedField(kind: .email, values: values)
        #expect(field.ids == [0, 1, 2, 0])
        #expect(field.localIDs == [0, 1, 0])
        #expect(field.domainIDs == [0, 0, 1])
        #expect(field.personal == [false, false, true])
    }
}
