import Testing
@testable import DedupeStage

@Suite struct ComparatorLevelTests {
    /// The level name a comparator gives two raw values.
    func level(_ kind: ComparatorKind, _ a: String, _ b: String) -> String {
        let field = PreparedField(kind: kind, values: [a, b])
        let level = field.level(rows: 0, 1)
        return level == PreparedField.nullLevel ? "missing" : kind.levelNames[Int(level)]
    }

    @Test(arguments: [
        (ComparatorKind.exact, "NSW", "nsw", "exact"), (.exact, "nsw", "vic", "different"), (.exact, "", "vic", "missing"),
        (.name, "Robert", "ROBERT", "exact"), (.name, "Bob", "Robert", "nickname"), (.name, "R.", "Robert", "initial"),
        (.name, "Jonathon", "Jonathan", "typo"), (.name, "Smith", "Jones", "different"), (.name, "Kate", "Katherine", "nickname"),
        (.string, "pridham street", "pridham street", "exact"), (.string, "rose vale", "rosev ale", "typo"), (.string, "rose vale", "rose valley", "similar"),
        (.string, "studley street", "studley steet", "typo"), (.string, "alpha", "omega", "different"),
        (.company, "Acme Inc.", "ACME", "exact"), (.company, "The Acme Co.", "Acme Corporation", "exact"),
        (.company, "Acme Widgets GmbH", "Acme Widgts", "typo"), (.company, "Initech", "Globex", "different"),
        (.email, "Bob.Smith+x@outlook.com", "bob.smith@OUTLOOK.com", "exact"),
        (.email, "Bob.Smith+x@acme.com", "bob.smith@ACME.com", "exact"),
        (.email, "bob@acme.com", "alice@acme.com", "same_domain_other_mailbox"),
        (.email, "bob@gmail.com", "bob.smith@acme.com", "personal_vs_work"),
        (.email, "bob@gmail.com", "alice@gmail.com", "different"), (.email, "info@acme.com", "bob@acme.com", "missing"),
        (.phone, "+1 (415) 555-0100", "415.555.0100", "exact"), (.phone, "415 555 0100", "415 555 0101", "typo"),
        (.phone, "415 555 0100", "212 555 9999", "different"), (.phone, "12", "415 555 0100", "missing"),
        (.domain, "https://www.shop.acme.co.uk/about", "acme.co.uk", "exact"), (.domain, "bob@acme.com", "www.acme.com", "exact"),
        (.domain, "acme.com", "globex.com", "different"),
        (.date, "1956-04-09", "19560409", "exact"), (.date, "19560409", "19560490", "typo"), (.date, "19560409", "19561231", "same_year"),
        (.date, "19560409", "19870101", "different"),
        (.numeric, "100", "100.0", "exact"), (.numeric, "100", "100.5", "within_1_percent"), (.numeric, "100", "108", "within_10_percent"),
        (.numeric, "100", "200", "different"),
        (.address, "12 Wallaby Place", "12 wallaby pl", "exact"), (.address, "Hoseason Street", "hoseason st", "exact"),
        (.address, "pridham street", "pridam street", "typo"),
    ])
    func comparatorSortsPairsIntoLevels(_ kind: ComparatorKind, _ a: String, _ b: String, _ expected: String) {
        #expect(level(kind, a, b) == expected)
    }

    @Test func equalValuesShareAnIdAndCountTowardTermFrequency() {
        let field = PreparedField(kind: .name, values: ["Smith", "SMITH", "smith", "Jones", ""])
        #expect(field.ids[0] == field.ids[1] && field.ids[1] == field.ids[2])
        #expect(field.counts[Int(field.ids[0])] == 3)
        #expect(field.ids[4] == -1)
        #expect(field.nonNullCount == 4)
    }
}
