import FirmographicMergeStage
import Testing

@Suite("Company name keys")
struct CompanyNameKeyTests {
    @Test(arguments: [
        ("ACME Corp.", "acme"),
        ("Acme Corporation", "acme"),
        ("Acmé, Inc", "acme"),
        ("The Procter & Gamble Company", "procter and gamble"),
        ("O'Reilly Media GmbH", "oreilly media"),
        ("Inc", ""),
    ])
    func normalizesLegalFormsCaseAccentsAndPunctuation(name: String, key: String) {
        #expect(CompanyNameKey.key(name) == key)
    }

    @Test func similarityIsOneForEqualKeysAndHighForSmallTypos() {
        #expect(CompanyNameKey.similarity("globex", "globex") == 1)
        #expect(CompanyNameKey.similarity("globex", "globexx") > 0.95)
        #expect(CompanyNameKey.similarity("initech", "initrode") < 0.9)
        // Jaro–Winkler reference value for MARTHA/MARHTA is 0.961.
        #expect(abs(CompanyNameKey.similarity("martha", "marhta") - 0.961) < 0.001)
    }
}

@Suite("CompanyNameKey ASCII path")
struct CompanyNameKeyASCIITests {
    /// The byte path must give exactly what the general (Unicode) path gives; the general path is
    /// reached with a non-ASCII character that the key drops (a trailing `’`).
    @Test(arguments: ["ACME Corp.", "Acme Corporation", "O'Reilly Media, Inc", "A.B.C. Holdings", "Smith & Wesson",
                      "AT+T", "  the  Group  ", "3M Company", "Initech LLC", "Incorporated", "", "---", "Foo-Bar_Baz 42",
                      "Ben & Jerry's", "X&Y", "Very Long Companyname Incorporatedness Ltd", "co co co", "Globex\tInc"])
    func matchesTheGeneralPath(name: String) {
        #expect(CompanyNameKey.key(name) == CompanyNameKey.key(name + "’"))
    }
}
