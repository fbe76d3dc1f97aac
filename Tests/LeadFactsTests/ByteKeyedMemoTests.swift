import Dispatch
import LeadFacts
import Synchronization
import Testing

@Suite("Byte-keyed memos")
struct ByteKeyedMemoTests {
    /// Keys shaped like the cells the memos see: short hosts, URLs over 32 bytes, accented and precomposed text.
    static func keys(_ count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        let pieces = ["acme", "globex.com", "https://www.initech.io/about/team?ref=linkedin", "Müller", "Mu\u{308}ller", "",
                      "straße", "a", "x.co.uk", "  padded  ", "0123456789012345678901234567890123456789"]
        return (0..<count).map { _ in
            let a = pieces[Int(random.next() % UInt64(pieces.count))], b = pieces[Int(random.next() % UInt64(pieces.count))]
            return a + String(random.next() % 50) + b
        }
    }

    @Test func answersAsADictionaryWouldAndWorksEachTextOutOnce() {
        var memo = ByteKeyedMemo<Int>(slots: 8)
        var dictionary: [String: Int] = [:]
        var made = 0
        for key in Self.keys(20_000, seed: 3) {
            let expected = dictionary[key] ?? key.unicodeScalars.count
            dictionary[key] = expected
            let got = memo.value(key) {
                made += 1
                return key.unicodeScalars.count
            }
            #expect(got == expected)
        }
        #expect(memo.count == dictionary.count)
        // Canonically equal texts ("ü" precomposed or not) are one key, as in a Dictionary.
        #expect(made == dictionary.count)
    }

    @Test func stopsRememberingAtItsLimitButStillAnswers() {
        var memo = ByteKeyedMemo<String>(limit: 10)
        for i in 0..<100 { #expect(memo.value("host\(i).example") { "v\(i)" } == "v\(i)") }
        #expect(memo.count == 10)
        var madeAgain = false
        #expect(memo.value("host99.example") { madeAgain = true; return "v99" } == "v99")
        #expect(madeAgain)
    }

    @Test func sharedByThreadsItGivesEveryThreadTheSameAnswers() {
        let memo = SharedByteMemo<Int>(limit: 1_000)
        let keys = Self.keys(5_000, seed: 9)
        let answers = Mutex<[[Int]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let mine = keys.map { key in memo.value(key) { key.utf8.count * 7 } }
            answers.withLock { $0.append(mine) }
        }
        let all = answers.withLock { $0 }
        #expect(all.count == 4)
        for mine in all { #expect(mine == keys.map { $0.utf8.count * 7 }) }
    }
}
