import ComplianceStage
import Testing

/// Consent cells as CRMs export them, read leniently; what cannot be read is said to be unreadable.
@Suite("Consent values")
struct ConsentValueTests {
    @Test(arguments: [
        ("Legitimate interest – prospect/lead", LegalBasis.legitimateInterestProspect),
        ("Legitimate interest - existing customer", .legitimateInterestCustomer),
        ("Performance of a contract", .contract),
        ("Freely given consent from contact", .consent),
        ("Not applicable", .notApplicable),
        ("legitimate_interest_prospect", .legitimateInterestProspect),
    ])
    func hubSpotLegalBasisLabelsAreRead(text: String, expected: LegalBasis) {
        #expect(LegalBasis.read(text) == .value(expected))
    }

    @Test(arguments: [
        ("Double opt-in", EmailConsent.doubleOptIn), ("DOI", .doubleOptIn), ("Opted in", .optIn), ("Subscribed", .optIn),
        ("implied_ebr", .impliedEBR), ("Existing business relationship", .impliedEBR), ("Conspicuously published", .impliedPublished),
        ("Unsubscribed", .withdrawn), ("Opt-out", .withdrawn), ("none", .noConsent), ("Unknown", .unknown),
        ("TRUE", .optIn), ("x", .optIn), ("0", .noConsent),
    ])
    func emailConsentWordingsAndBooleansAreRead(text: String, expected: EmailConsent) {
        #expect(EmailConsent.read(text) == .value(expected))
    }

    @Test func blankIsAbsentAndGarbageIsUnreadableNotAGuess() {
        #expect(EmailConsent.read("  ") == .absent)
        #expect(EmailConsent.read("maybe later") == .unreadable("maybe later"))
        #expect(LegalBasis.read("Legitimate interest – other") == .unreadable("Legitimate interest – other"))
        #expect(ConsentFlag.read("#N/A") == .unreadable("#N/A"))
        #expect(ConsentFlag.read("Yes") == .value(true))
        #expect(ConsentFlag.read("false") == .value(false))
    }

    @Test func oneMailboxHasOneIdentityWhateverItsSpelling() throws {
        let tagged = try #require(SubjectAddress("  Jo.Doe+x@Gmail.com "))
        let plain = try #require(SubjectAddress("jodoe@googlemail.com"))
        #expect(tagged.identityKey == "jodoe@gmail.com")
        #expect(plain.identityKey == tagged.identityKey)
        #expect(SubjectAddress("ann@mail.acme.co.uk")?.registrableDomain == "acme.co.uk")
        #expect(SubjectAddress("not an address") == nil)
    }
}
