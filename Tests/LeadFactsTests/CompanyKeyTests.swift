import LeadFacts
import Testing

@Suite("Company keys")
struct CompanyKeyTests {
    @Test(arguments: [
        ("ACME Corp.", "acme"), ("Acme Corporation", "acme"), ("Acmé, Inc", "acme"), ("The Acme Company", "acme"),
        ("The Procter & Gamble Company", "procter and gamble"), ("O'Reilly Media GmbH", "oreilly media"),
        ("Müller GmbH & Co. KG", "muller"), ("Globex S.A.", "globex"), ("Initech Pty Ltd", "initech"), ("3M Co", "3m"),
        ("Acme Group", "acme"), ("Acme Holdings Ltd", "acme"), ("Acme KG", "acme"), ("Acme SE", "acme"), ("Acme Ltda", "acme"),
        ("Acme S.A. de C.V.", "acme"), ("Acme Sp. z o.o.", "acme"), ("Smith & Co", "smith"), ("Øresund A/S", "oresund"),
        ("Inc", "inc"), ("The", "the"), ("", ""), ("---", ""), ("Ben & Jerry's", "ben and jerrys"), ("AT+T", "at and t"),
    ])
    func dropsLegalFormsCaseAccentsAndPunctuation(name: String, key: String) {
        #expect(CompanyKey.standard.key(name) == key)
    }

    @Test(arguments: ["The Company", "Holding GmbH", "Group", "Inc.", "", "The"])
    func aNameOfOnlyLegalFormsHasNoDistinctiveKey(name: String) {
        #expect(CompanyKey.standard.distinctiveKey(name) == nil)
    }

    @Test func aPipelinesOwnLegalFormsAreDroppedToo() {
        let key = CompanyKey(extraLegalForms: ["Holding AG", "Société Anonyme"])
        #expect(key.key("Acme Holding AG") == "acme")
        #expect(key.key("Globex Société Anonyme") == "globex")
        #expect(CompanyKey.standard.key("Globex Société Anonyme") == "globex societe anonyme")
    }

    /// The byte path for ASCII names gives what the Unicode path gives; a trailing `’` (dropped by the key)
    /// sends a name down the Unicode path.
    @Test(arguments: ["ACME Corp.", "Acme Corporation", "O'Reilly Media, Inc", "A.B.C. Holdings", "Smith & Wesson",
                      "AT+T", "  the  Group  ", "3M Company", "Initech LLC", "Incorporated", "", "---", "Foo-Bar_Baz 42",
                      "Ben & Jerry's", "X&Y", "Very Long Companyname Incorporatedness Ltd", "co co co", "Globex\tInc"])
    func theASCIIPathMatchesTheUnicodePath(name: String) {
        #expect(CompanyKey.standard.key(name) == CompanyKey.standard.key(name + "’"))
    }

    /// The same over generated names: words, legal forms, `the`, `&`, dots and odd separators in any order,
    /// with the shipped forms and with a pipeline's own.
    @Test func theASCIIPathMatchesTheUnicodePathOnGeneratedNames() {
        let pieces = ["the", "The", "Acme", "GLOBEX", "co", "Co.", "Inc", "inc.", "GmbH", "&", "+", "Co.", "KG", "Pty", "Ltd",
                      "S.A.", "de", "C.V.", "Holding", "AG", "Group", "O'Reilly", "3M", "-", ",", "  ", "x", "Sp.", "z", "o.o."]
        var random = SplitMix64(seed: 7)
        for key in [CompanyKey.standard, CompanyKey(extraLegalForms: ["Holding AG", "x"])] {
            for _ in 0..<2000 {
                let count = Int(random.next() % 7)
                let name = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                    .joined(separator: random.next() % 3 == 0 ? "" : " ")
                #expect(key.key(name) == key.key(name + "’"), "\(name)")
            }
        }
        let long = String(repeating: "Acme & ", count: 60) + "Inc"
        #expect(CompanyKey.standard.key(long) == CompanyKey.standard.key(long + "’"))
    }

    @Test func jaroWinklerIsOneForEqualKeysAndHighForSmallTypos() {
        func similarity(_ a: String, _ b: String) -> Double { JaroWinkler.similarity(Array(a.utf8), Array(b.utf8)) }
        #expect(similarity("globex", "globex") == 1)
        #expect(similarity("globex", "globexx") > 0.95)
        #expect(similarity("initech", "initrode") < 0.9)
        // Jaro–Winkler reference value for MARTHA/MARHTA is 0.961.
        #expect(abs(similarity("martha", "marhta") - 0.961) < 0.001)
    }
}
