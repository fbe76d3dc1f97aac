import Testing
@testable import DedupeStage

@Suite struct BlockingRuleTests {
    @Test func parsesTermsWithTransforms() throws {
        let rule = try BlockingRule("last_name.soundex + company_key + dob.prefix4")
        #expect(rule.terms.map(\.source) == ["last_name", "company_key", "dob"])
        #expect(rule.terms.map(\.transform) == [.soundex, .key, .prefix(4)])
        #expect(!rule.isUnordered)
        #expect(try BlockingRule("given_name & surname").isUnordered)
    }

    @Test(arguments: ["surname.metaphone", "a + + b", "a & b + c", ""])
    func rejectsUnknownTransformsAndEmptyTerms(_ text: String) {
        #expect(throws: BlockingRuleError.self) { try BlockingRule(text) }
    }

    static let people: [String: [String]] = [
        "first": ["Robert", "Bob", "Alice", "Smith", "Carol", "Dan"],
        "last": ["Smith", "Smith", "Jones", "Robert", "Smith", "Smyth"],
        "email": ["bob@acme.com", "BOB@acme.com", "alice@acme.com", "", "carol@acme.com", "dan@acme.com"],
    ]

    func matcher(_ rules: [String], maxBlockSize: Int = 1000) throws -> RecordMatcher {
        var settings = DedupeSettings(fields: [
            FieldSpec(name: "first", columns: ["first"], comparator: .name, swapWith: "last"),
            FieldSpec(name: "last", columns: ["last"], comparator: .name),
            FieldSpec(name: "email", columns: ["email"], comparator: .email),
        ], blocking: try rules.map { try BlockingRule($0) })
        settings.maxBlockSize = maxBlockSize
        return try RecordMatcher(settings: settings, rowCount: 6, columns: Self.people)
    }

    func pairs(_ c: RecordMatcher.CandidatePairs) -> Set<[Int32]> { Set(zip(c.a, c.b).map { [min($0, $1), max($0, $1)] }) }

    @Test func countsPairsPerRuleAndNeverComparesAPairTwice() throws {
        let candidates = try matcher(["email_key", "last", "last.soundex"]).candidatePairs()
        // email: {0,1}; last: Smith {0,1,4} → (0,4),(1,4) new; soundex S530 {0,1,4,5} → (0,5),(1,5),(4,5) new.
        #expect(candidates.perRule == [1, 2, 3])
        #expect(pairs(candidates) == [[0, 1], [0, 4], [1, 4], [0, 5], [1, 5], [4, 5]])
        #expect(candidates.count == 6)
    }

    @Test func nicknameTransformBlocksBobWithRobert() throws {
        let candidates = try matcher(["first.nickname + last"]).candidatePairs()
        #expect(pairs(candidates) == [[0, 1]])
    }

    @Test func unorderedRuleBlocksSwappedNames() throws {
        // Row 3 is "Smith Robert": first and last swapped against row 0.
        let candidates = try matcher(["first & last"]).candidatePairs()
        #expect(pairs(candidates) == [[0, 3]])
    }

    @Test func oversizedBlocksAreSkippedAndCounted() throws {
        let candidates = try matcher(["last.soundex", "email_key"], maxBlockSize: 3).candidatePairs()
        #expect(candidates.oversizedBlocks == [1, 0])
        #expect(candidates.perRule == [0, 1])  // the Smith/Smyth block of 4 is skipped; email still pairs 0 and 1
    }

    @Test func aRuleNamingAnUnknownFieldIsRefused() {
        #expect(throws: BlockingRuleError.self) { try matcher(["nickname_of_cat"]) }
    }
}
