import EmailCheckStage
import Testing

@Suite struct EmailSyntaxCheckerTests {
    let checker = EmailSyntaxChecker()

    static let validAddresses: [String] = [
        "simple@example.com",
        "very.common@example.com",
        "x@example.com",                                    // one-letter local part
        "long.email-address-with-hyphens@and.subdomains.example.com",
        "user.name+tag+sorting@example.com",
        "name/surname@example.com",                         // slashes are atext
        "admin@mailserver1.example.org",
        "!#$%&'*+-/=?^_`{|}~@example.org",                  // every atext symbol
        "\"john..doe\"@example.org",                        // consecutive dots are fine inside quotes
        "\"john doe\"@example.org",                         // a space inside quotes
        "\"very.(),:;<>[]\\\".VERY.\\\"very@\\\\ \\\"very\\\".unusual\"@strange.example.com",
        "\"\"@example.org",                                 // RFC 5321 allows an empty Quoted-string
        "\"a\\\"b\"@example.org",                           // escaped quote
        "user%example.com@example.org",                     // % is atext
        "user-@example.org",                                // a local part may end in a hyphen
        "postmaster@xn--bcher-kva.de",                      // an A-label
        "jöran@bücher.de",                                  // RFC 6531 UTF-8 local part and U-label
        "用户@例子.广告",                                     // CJK local part, domain and TLD
        "θσερ@εχαμπλε.ψομ",
        "δοκιμή@παράδειγμα.δοκιμή",
        "a@b.co",
        "123@example.com",                                  // digits-only local part
        "a@123.example.com",                                // digits-only inner label
        "a@x-y.example.com",
        String(repeating: "a", count: 64) + "@example.com", // 64 octets exactly
        "a@" + String(repeating: "b", count: 63) + ".com",   // 63-octet label exactly
    ]

    @Test("accepts RFC 5321 and RFC 6531 mailboxes", arguments: validAddresses)
    func acceptsValidMailbox(_ address: String) {
        #expect(checker.problem(in: address) == nil)
        #expect((try? checker.parse(address).get()) != nil)
    }

    static let invalidAddresses: [(String, SyntaxProblem)] = [
        ("", .empty),
        ("plainaddress", .missingAt),
        ("@example.com", .emptyLocalPart),
        ("a@", .emptyDomain),
        ("A@b@c@example.com", .invalidDomainCharacter),       // only one @ outside quotes
        ("a\"b(c)d,e:f;g<h>i[j\\k]l@example.com", .invalidLocalCharacter),
        ("just\"not\"right@example.com", .invalidLocalCharacter), // quotes must enclose the whole local part
        ("this is\"not\\allowed@example.com", .whitespace),
        ("this\\ still\\\"not\\\\allowed@example.com", .invalidLocalCharacter),
        (".john@example.com", .leadingDot),
        ("john.@example.com", .trailingDot),
        ("john..doe@example.com", .consecutiveDots),
        ("john.doe@example..com", .emptyLabel),
        ("john@.example.com", .emptyLabel),
        ("john@example.com.", .emptyLabel),                   // RFC 5321 Domain has no trailing dot
        ("john@example", .dotlessDomain),
        ("john@-example.com", .hyphenAtLabelEdge),
        ("john@example-.com", .hyphenAtLabelEdge),
        ("john@exa_mple.com", .invalidDomainCharacter),       // underscore is not LDH
        ("john@example.123", .numericTopLevelDomain),
        ("john@192.168.1.1", .numericTopLevelDomain),         // a bare IP is not a domain; literals need brackets
        ("john(comment)@example.com", .comment),              // RFC 5322 CFWS, absent from RFC 5321
        ("(comment)john@example.com", .comment),
        ("john@(comment)example.com", .comment),
        ("\"john\"(comment)@example.com", .comment),
        ("john doe@example.com", .whitespace),
        ("john@exa mple.com", .whitespace),
        ("\"john\"doe@example.com", .textAfterQuotedString),
        ("\"john\".\"doe\"@example.com", .textAfterQuotedString), // RFC 5322 obs-local-part
        ("\"unterminated@example.com", .unterminatedQuote),
        ("\"tab\there\"@example.com", .invalidQuotedCharacter),  // qtextSMTP has no HTAB
        ("\"bell\u{07}\"@example.com", .invalidQuotedCharacter),
        ("\"a\\\u{07}\"@example.com", .invalidQuotedPair),
        ("\"a\\é\"@example.com", .invalidQuotedPair),          // quoted-pairSMTP is ASCII 32–126 only
        (String(repeating: "a", count: 65) + "@example.com", .localPartTooLong),
        ("a@" + String(repeating: "b", count: 64) + ".com", .labelTooLong),
        ("a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".") + ".com", .domainTooLong),
        (String(repeating: "a", count: 64) + "@" + Array(repeating: String(repeating: "b", count: 60), count: 4).joined(separator: ".") + ".com", .addressTooLong),
        ("jo\u{00A0}hn@example.com", .unsafeUnicode),         // no-break space
        ("jo\u{200B}hn@example.com", .unsafeUnicode),         // zero-width space
        ("john@exam\u{200B}ple.com", .unsafeUnicode),
        ("john@☃.example.com", .invalidDomainCharacter),      // symbols are DISALLOWED in IDNA2008
        ("john@xn--zz.example.com", .invalidIDN),             // not decodable Punycode
        ("john@[192.168.0.1]", .addressLiteralNotAllowed),
        ("john@[IPv6:2001:db8::1]", .addressLiteralNotAllowed),
        ("john@[256.1.1.1]", .invalidAddressLiteral),
        ("john@[1.2.3]", .invalidAddressLiteral),
        ("john@[IPv6:2001:db8::g]", .invalidAddressLiteral),
        ("john@[x400:foo]", .invalidAddressLiteral),          // only the IPv6 tag is registered
        ("john@[1.2.3.4", .invalidAddressLiteral),
    ]

    @Test("refuses what RFC 5321 refuses, naming the rule", arguments: invalidAddresses)
    func refusesInvalidMailbox(_ address: String, _ expected: SyntaxProblem) {
        #expect(checker.problem(in: address) == expected)
        #expect(throws: expected) { try checker.parse(address).get() }
    }

    static let literals = ["john@[192.168.0.1]", "john@[IPv6:2001:db8::1]", "john@[ipv6:::1]",
                           "john@[IPv6:::ffff:192.0.2.1]", "john@[000.010.200.255]"]

    @Test("accepts IPv4 and IPv6 address literals when the option allows them", arguments: literals)
    func acceptsAddressLiteralsWhenAllowed(_ address: String) throws {
        let parsed = try EmailSyntaxChecker(allowAddressLiteral: true).parse(address).get()
        #expect(parsed.isAddressLiteral)
    }

    @Test func internationalizedDomainIsLookedUpByItsALabel() throws {
        let parsed = try checker.parse("Jöran@Bücher.DE").get()
        #expect(parsed.asciiDomain == "xn--bcher-kva.de")
        #expect(parsed.domainAsWritten == "Bücher.DE")
        #expect(parsed.needsSMTPUTF8)
        #expect(parsed.normalized == "Jöran@xn--bcher-kva.de")
    }

    @Test func lengthLimitOnInternationalizedDomainsUsesTheALabelForm() {
        // 62 "ä" are 124 UTF-8 octets but the A-label "xn--4caa…" exceeds 63 octets.
        let address = "a@" + String(repeating: "ä", count: 62) + ".de"
        #expect(checker.problem(in: address) == .labelTooLong)
    }

    @Test func quotedLocalPartsAreUnquotedWhenTheQuotesAreNotNeeded() throws {
        #expect(try checker.parse("\"john.doe\"@Example.COM").get().normalized == "john.doe@example.com")
        #expect(try checker.parse("\"john doe\"@example.com").get().normalized == "\"john doe\"@example.com")
        #expect(try checker.parse("\"a\\b\"@example.com").get().normalized == "ab@example.com")
        #expect(try checker.parse("\"a\\\"b\"@example.com").get().normalized == "\"a\\\"b\"@example.com")
        #expect(try checker.parse("\"john..doe\"@example.com").get().localContent == "john..doe")
    }

    @Test func localPartIsNormalizedToNFCAndKeepsItsCase() throws {
        // "e" + combining acute (NFD) becomes the precomposed "é" (NFC).
        let parsed = try checker.parse("Rene\u{0301}@example.com").get()
        #expect(parsed.normalized == "Ren\u{00E9}@example.com")
    }
}
