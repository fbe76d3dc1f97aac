import DomainNames
import EmailCheckStage
import Testing

/// The cases issue 17 found wrong against published RFC 5321/5322/6531 suites, and their neighbours.
@Suite struct SyntaxGapTests {
    let syntax = EmailSyntaxChecker()
    let checker = EmailChecker.bundled()

    /// Every ASCII byte that RFC 5322 §3.2.3 leaves out of atext, written unquoted in a local part.
    static let nonAtextBytes: [UInt8] = Array(#"",:;<>[\]"#.utf8)

    @Test("refuses every ASCII special that is not atext", arguments: nonAtextBytes)
    func refusesNonAtextSpecial(_ byte: UInt8) {
        let character = String(UnicodeScalar(byte))
        #expect(syntax.problem(in: "me.\(character)@example.com") == .invalidLocalCharacter, "\(character)")
        #expect(syntax.problem(in: "me\(character)x@example.com") == .invalidLocalCharacter, "\(character)")
    }

    @Test func semicolonAfterADotIsNotAtext() {
        #expect(syntax.problem(in: "me.;@example.com") == .invalidLocalCharacter)
        #expect(syntax.problem(in: "\"me.;\"@example.com") == nil) // quoted, it is qtextSMTP
    }

    static let quotedCases: [(String, SyntaxProblem?)] = [
        ("\"a b\"@example.com", nil),
        ("\"a\\\\b\"@example.com", nil),                           // an escaped backslash
        ("\"a\"b\"@example.com", .textAfterQuotedString),         // a bare quote inside ends the string
        ("\"a\tb\"@example.com", .invalidQuotedCharacter),        // RFC 5322 FWS is not SMTP
        ("\"a\\\u{7F}\"@example.com", .invalidQuotedPair),
        ("\"abc@example.com", .unterminatedQuote),
        ("(comment)me@example.com", .comment),                    // RFC 5322 CFWS has no place in SMTP
        ("me(comment)@example.com", .comment),
        ("me@(comment)example.com", .comment),
        ("\"a\" (c)@example.com", .whitespace),
    ]

    @Test("quoted strings and comments follow RFC 5321", arguments: quotedCases)
    func quotedStringsAndComments(_ address: String, _ problem: SyntaxProblem?) {
        #expect(syntax.problem(in: address) == problem)
    }

    static let longLabel = String(repeating: "a", count: 64)
    static let longUnicodeLabel = String(repeating: "ü", count: 60)
    static let almostLongLabel = String(repeating: "a", count: 56) + "ü"
    static let labelCases: [(String, SyntaxProblem?)] = [
        ("me@yy--0.tld", .reservedLabelHyphens),
        ("me@ab--cd.example.com", .reservedLabelHyphens),
        ("me@xn--0.tld", .invalidIDN),                            // xn-- whose remainder is not Punycode of a U-label
        ("me@xn--abc-.tld", .hyphenAtLabelEdge),
        ("me@xn--abc-d.tld", .invalidIDN),                        // not the Punycode of any U-label
        ("me@xn--bcher-kva.de", nil),
        ("me@a-b--c.example.com", nil),                           // "--" elsewhere is fine
        ("me@bad.tld-2", .invalidTopLevelDomain),
        ("me@bad.t2d", .invalidTopLevelDomain),
        ("me@bad.123", .numericTopLevelDomain),
        ("me@bücher.xn--p1ai", nil),                              // an A-label TLD (.рф)
        ("me@x.xn--p1ai", nil),
        ("me@\(longLabel).com", .labelTooLong),
        ("me@\(longUnicodeLabel).com", .labelTooLong),   // 60 characters, far more octets as an A-label
        ("me@\(almostLongLabel).com", .labelTooLong),    // xn-- + 56 + suffix > 63
    ]

    @Test("DNS label rules", arguments: labelCases)
    func labelRules(_ address: String, _ problem: SyntaxProblem?) {
        #expect(syntax.problem(in: address) == problem, "\(address)")
    }

    @Test("special-use and reserved domains are invalid with their own reason", arguments: [
        "me@anything.arpa", "me@valid.invalid", "me@link.local", "me@host.localhost", "me@onion.onion.onion",
        "me@test.test.test", "me@docs.example", "me@example.com", "me@www.example.org", "me@x.alt", "me@HOST.LOCALHOST",
    ])
    func specialUseDomainIsInvalid(_ address: String) {
        let assessment = checker.assess(address)
        #expect(assessment.isSyntaxValid)
        #expect(assessment.status == .invalid)
        #expect(assessment.reason == .emailSpecialUseDomain)
        #expect(assessment.domainToLookUp == nil)
        #expect(assessment.detail.contains("RFC"))
    }

    @Test func neighboursOfReservedNamesAreOrdinaryDomains() {
        for address in ["me@examples.com", "me@testing.io", "me@local.co", "me@arpa.net", "me@myexample.com"] {
            #expect(checker.assess(address).reason != .emailSpecialUseDomain, "\(address)")
        }
    }

    @Test func aStagingZoneCanBeAllowed() {
        var staging = checker
        staging.specialUse = SpecialUseDomains(allowing: ["test"])
        #expect(staging.assess("me@mx.test").status == .valid)
        #expect(staging.assess("me@x.invalid").reason == .emailSpecialUseDomain)
    }

    @Test func displayNameFormIsTakenOutAndSaidSo() {
        let assessment = checker.assess("Jane Doe <jane.doe@Example.COM>")
        #expect(assessment.isSyntaxValid)
        #expect(assessment.normalized == "jane.doe@example.com")
        #expect(assessment.displayName == "Jane Doe")
        #expect(assessment.explanation.contains("display-name form (display name: Jane Doe)"))

        let acme = checker.assess("\"Doe, Jane\" <jane.doe@Acme.COM>")
        #expect(acme.status == .valid)
        #expect(acme.normalized == "jane.doe@acme.com")
        #expect(acme.displayName == "Doe, Jane")

        let bare = checker.assess("<jane@acme.com>")
        #expect(bare.normalized == "jane@acme.com")
        #expect(bare.explanation == "address taken out of angle brackets")

        #expect(checker.assess("jane@acme.com").displayName == nil)
        #expect(checker.assess("Jane Doe <jane.doe@acme.com").syntaxProblem == .whitespace) // never closed: not that form
        #expect(checker.assess("Jane <a<b@acme.com>").isSyntaxValid == false)
    }

    @Test func nameAddressSplitsTheWayNormalizeAndEmailCheckAgreeOn() throws {
        let form = try #require(NameAddress.split("Jane Doe <jane.doe@Example.COM>"))
        #expect(form.address == "jane.doe@Example.COM")
        #expect(form.displayName == "Jane Doe")
        #expect(NameAddress.split("jane@acme.com") == nil)
        #expect(NameAddress.split("<>") == nil)
    }
}
