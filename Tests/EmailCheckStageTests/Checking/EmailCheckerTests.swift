import EmailCheckStage
import LeadRecords
import Testing

@Suite struct EmailCheckerTests {
    let checker = EmailChecker.bundled() // the lists are read once per process

    static let offlineCases: [(String, EmailStatus, String?)] = [
        ("jane.doe@acme.com", .valid, nil),
        ("  jane.doe@acme.com\n", .valid, nil),                 // surrounding white space is cleaning
        ("\u{A0}jane.doe@acme.com\u{A0}", .valid, nil),          // so is a spreadsheet's NBSP around it
        ("\u{FEFF}\u{200B}jane.doe@acme.com \u{202F}", .valid, nil), // and a pasted BOM, zero-width and narrow spaces
        ("jane\u{A0}doe@acme.com", .invalid, "email_invalid_syntax"), // inside, it is not the address
        ("", .invalid, "email_missing"),
        ("jane.doe@", .invalid, "email_invalid_syntax"),
        ("jane@x.mailinator.com", .risky, "email_disposable"),  // parent domain matches
        ("info@acme.com", .risky, "email_role_account"),
        ("Sales+eu@acme.com", .risky, "email_role_account"),
        ("jane@gamil.com", .risky, "email_suspected_typo"),
        ("jane@gmial.com", .risky, "email_disposable"),          // a typo-squatting domain on the disposable list
        ("jane@gmail.com", .valid, nil),                        // free mail is valid unless the pipeline says so
        ("info@mailinator.com", .risky, "email_disposable"),    // disposable outranks role
    ]

    @Test("offline findings give status and reason", arguments: offlineCases)
    func offlineVerdict(_ input: String, _ status: EmailStatus, _ reason: String?) {
        let assessment = checker.assess(input)
        #expect(assessment.status == status)
        #expect(assessment.reason?.code == reason)
    }

    @Test func anAddressPaddedWithNonBreakingSpacesIsNormalizedWithoutThem() {
        let assessment = checker.assess("\u{A0}Jane.Doe@ACME.com\u{A0}")
        #expect(assessment.normalized == "Jane.Doe@acme.com")
    }

    @Test func typoIsASuggestionNeverARewrite() {
        let assessment = checker.assess("Jane@gmial.con")
        #expect(assessment.normalized == "Jane@gmial.con")
        #expect(assessment.suggestion == "Jane@gmail.com")
    }

    @Test(arguments: [("ann＠acme.com", "ann@acme.com"), ("ａｎｎ＠ａｃｍｅ．ｃｏｍ", "ann@acme.com"), ("Ann.Lee＠acme。com", "Ann.Lee@acme.com")])
    func anAddressTypedInFullwidthFormsIsInvalidWithTheAddressItMeantSuggested(typed: String, meant: String) {
        let assessment = checker.assess(typed)
        #expect(assessment.status == .invalid)
        #expect(assessment.reason == .emailInvalidSyntax)
        #expect(assessment.suggestion == meant)
    }

    @Test func anAddressThatIsNotOneInHalfwidthEitherGetsNoSuggestion() {
        #expect(checker.assess("ann＠＠acme.com").suggestion.isEmpty)
        #expect(checker.assess("no address here").suggestion.isEmpty)
    }

    @Test("DNS verdicts decide deliverability", arguments: [
        (DomainVerdict.mailExchangers(["mx.acme.com"]), EmailStatus.valid, String?.none),
        (.implicitMX, .valid, nil),
        (.nonexistent, .invalid, "email_nxdomain"),
        (.nullMX, .invalid, "email_null_mx"),
        (.noMailHost, .invalid, "email_no_mail_host"),
        (.mxUnresolvable(["mx.acme.com"]), .invalid, "email_mx_unresolvable"),
        (.lookupFailed("mx_host_servfail_or_timeout"), .unknown, "email_dns_failure"),
        (.lookupFailed("servfail_or_timeout"), .unknown, "email_dns_failure"),
    ])
    func dnsVerdict(_ verdict: DomainVerdict, _ status: EmailStatus, _ reason: String?) {
        var assessment = checker.assess("jane@acme.com")
        checker.complete(&assessment, with: verdict)
        #expect(assessment.status == status)
        #expect(assessment.reason?.code == reason)
    }

    @Test func riskyListFindingOutranksAFailedLookupButNotANonexistentDomain() {
        var failed = checker.assess("info@acme.com")
        checker.complete(&failed, with: .lookupFailed("servfail_or_timeout"))
        #expect(failed.status == .risky)
        var missing = checker.assess("info@acme.com")
        checker.complete(&missing, with: .nonexistent)
        #expect(missing.status == .invalid)
        #expect(missing.reason == .emailNXDomain)
    }

    @Test func freeMailIsRiskyWhenThePolicySaysSo() {
        var policy = EmailCheckPolicy()
        policy.freeMailStatus = .risky
        let assessment = EmailChecker.bundled(policy: policy).assess("jane@gmail.com")
        #expect(assessment.status == .risky)
        #expect(assessment.reason == .emailFreeMail)
    }
}
