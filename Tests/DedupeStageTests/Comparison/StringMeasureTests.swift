import Testing
@testable import DedupeStage
import LeadFacts

@Suite struct StringMeasureTests {
    // Reference values from Winkler (1990) and the usual textbook examples.
    @Test(arguments: [
        ("martha", "marhta", 0.9611), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.8133),
        ("jones", "johnson", 0.8323), ("abc", "abc", 1.0), ("abc", "xyz", 0.0),
    ])
    func jaroWinklerMatchesPublishedValues(_ a: String, _ b: String, _ expected: Double) {
        let similarity = JaroWinkler.similarity(Array(a.utf8), Array(b.utf8))
        #expect(abs(similarity - expected) < 0.001)
    }

    @Test func jaroWinklerHandlesStringsLongerThanSixtyFourBytes() {
        let a = Array(String(repeating: "abcdefghij", count: 8).utf8)
        var b = a
        b.swapAt(70, 71)
        #expect(JaroWinkler.similarity(a, b) > 0.99)
        #expect(JaroWinkler.similarity(a, b) < 1)
    }

    @Test(arguments: [
        ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("ca", "ac", 1), ("abc", "abc", 0), ("", "abc", 3), ("19560409", "19560490", 1),
    ])
    func editDistanceCountsSubstitutionsInsertionsDeletionsAndSwaps(_ a: String, _ b: String, _ expected: Int) {
        #expect(EditDistance.distance(Array(a.utf8), Array(b.utf8)) == expected)
    }

    @Test(arguments: [
        ("smith", "smyth"), ("smith", "smit"), ("smith", "smiths"), ("smith", "msith"), ("smith", "smith"),
        ("smith", "jones"), ("ab", "ba"), ("abcd", "acbd"), ("abcd", "abdc"), ("abc", "ab"), ("a", ""), ("abcd", "badc"),
    ])
    func withinOneEditAgreesWithTheFullDistance(_ a: String, _ b: String) {
        let x = Array(a.utf8), y = Array(b.utf8)
        let fast = x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in EditDistance.withinOne(p, q) } }
        #expect(fast == (EditDistance.distance(x, y) <= 1))
    }

    @Test(arguments: [
        ("acme widgets inc", "widgets acme", 2.0 / 3.0), ("a b", "a b", 1.0), ("a a b", "b", 0.5), ("x", "y", 0.0),
    ])
    func tokenSetOverlapIgnoresWordOrderAndRepeats(_ a: String, _ b: String, _ expected: Double) {
        let x = Array(a.utf8), y = Array(b.utf8)
        #expect(abs(TokenSet.jaccard(x, y) - expected) < 1e-9)
        let tokens = ValueTokens(bytes: x + y, keyStarts: [0, Int32(x.count), Int32(x.count + y.count)], valueCount: 2)
        #expect(abs(tokens.jaccard(0, 1) - expected) < 1e-9)
    }

    /// Keys as the comparators make them, with repeated words, runs of spaces and more than 32 words: the
    /// overlap from word ids equals the definition's exactly.
    @Test func wordIDsGiveTheDefinitionsOverlapExactly() {
        var random = SplitMix64(seed: 11)
        let words = ["acme", "widgets", "inc", "gmbh", "", "a", "acme widgets", "zoë", "internationale", "x y"]
        var keys: [[UInt8]] = []
        for _ in 0..<300 {
            let count = Int(random.next() % 40)
            keys.append(Array((0..<count).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: random.next() % 4 == 0 ? "  " : " ").utf8))
        }
        var bytes: [UInt8] = [], starts: [Int32] = [0]
        for key in keys {
            bytes += key
            starts.append(Int32(bytes.count))
        }
        let tokens = ValueTokens(bytes: bytes, keyStarts: starts, valueCount: keys.count)
        for _ in 0..<3_000 {
            let a = Int(random.next() % UInt64(keys.count)), b = Int(random.next() % UInt64(keys.count))
            #expect(tokens.jaccard(a, b) == TokenSet.jaccard(keys[a], keys[b]), "\(keys[a]) / \(keys[b])")
        }
    }

    // The National Archives' Soundex examples.
    @Test(arguments: [
        ("robert", "R163"), ("rupert", "R163"), ("rubin", "R150"), ("ashcraft", "A261"), ("tymczak", "T522"),
        ("pfister", "P236"), ("smith", "S530"), ("smyth", "S530"), ("", ""),
    ])
    func soundexFollowsTheCensusRules(_ name: String, _ code: String) {
        #expect(Soundex.code(Array(name.utf8)) == code)
    }

    @Test(arguments: [
        ("Zoë  O'Brien", "zoe obrien"), ("  ACME,  Inc. ", "acme inc"), ("Jürgen-Müller", "jurgen muller"), ("Søren", "soren"),
    ])
    func foldingDropsCaseAccentsAndPunctuation(_ raw: String, _ folded: String) {
        #expect(FoldedText.string(FoldedText.fold(raw)) == folded)
    }
}
