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
