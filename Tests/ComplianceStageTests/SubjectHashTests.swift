import Testing

@testable import ComplianceStage

@Suite("Tombstone hashes")
struct SubjectHashTests {
    /// RFC 4231's test cases 1 and 2: libcrypto's HMAC-SHA256 as the standard defines it.
    @Test func hmacSHA256MatchesRFC4231() {
        #expect(SubjectHash.hex(SubjectHash.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(SubjectHash.hex(identityKey: "what do ya want for nothing?", key: Array("Jefe".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func anotherStoreKeyGivesAnotherTombstone() {
        #expect(SubjectHash.hex(identityKey: "jodoe@gmail.com", key: [1, 2, 3]) != SubjectHash.hex(identityKey: "jodoe@gmail.com", key: [1, 2, 4]))
    }
}
