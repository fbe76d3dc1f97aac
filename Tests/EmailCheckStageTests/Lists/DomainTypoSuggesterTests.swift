import EmailCheckStage
import Testing

@Suite struct DomainTypoSuggesterTests {
    let suggester = DomainTypoSuggester.bundled(knownDomains: EmailChecker.bundled().freeMail.domains)

    static let typos: [(String, String?)] = [
        ("gmial.com", "gmail.com"),
        ("gmai.com", "gmail.com"),
        ("gmail.con", "gmail.com"),
        ("gmial.con", "gmail.com"),        // a TLD typo and a swapped pair at once
        ("hotmial.com", "hotmail.com"),
        ("yahooo.com", "yahoo.com"),
        ("outlook.cmo", "outlook.com"),
        ("acme.con", "acme.com"),          // any domain gets its TLD fixed
        ("acme.ogr", "acme.org"),
        ("gmail.com", nil),
        ("mail.com", nil),                 // a real provider one edit from gmail.com
        ("gmx.com", nil),
        ("ymail.com", nil),
        ("acme.com", nil),
        ("acme.co", nil),                  // .co is a real TLD
        ("acme.om", nil),                  // .om is Oman
    ]

    @Test("suggests the likely intended domain", arguments: typos)
    func suggestion(_ domain: String, _ expected: String?) {
        #expect(suggester.suggestion(for: domain) == expected)
    }
}
