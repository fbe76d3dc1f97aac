import EmailCheckStage
import LeadFacts
import Testing

@Suite struct MailboxIdentityTests {
    let checker = EmailSyntaxChecker()
    let identity = MailboxIdentity()

    static let cases: [(String, String)] = [
        ("J.Doe+news@Gmail.com", "jdoe@gmail.com"),            // Gmail ignores dots and +tags
        ("j.d.o.e@googlemail.com", "jdoe@gmail.com"),          // googlemail.com is the same mailbox set
        ("jane+promo@outlook.com", "jane@outlook.com"),        // Microsoft: plus addressing, dots kept
        ("jane.doe+x@hotmail.com", "jane.doe@hotmail.com"),
        ("jane+x@icloud.com", "jane@icloud.com"),
        ("jane+x@proton.me", "jane@proton.me"),
        ("Jane.Doe+x@acme.com", "jane.doe@acme.com"),          // other domains: sub-addressing (RFC 5233), dots kept
        ("jane-x@yahoo.com", "jane-x@yahoo.com"),              // Yahoo's "-keyword" aliases are separate addresses
        ("\"jane.doe\"@acme.com", "jane.doe@acme.com"),        // quotes that are not needed go
    ]

    @Test("identity keys apply only the provider's documented rules", arguments: cases)
    func identityKey(_ address: String, _ expected: String) throws {
        #expect(identity.key(for: try checker.parse(address).get()) == expected)
    }

    @Test func identityKeyIsKeptApartFromTheDeliverableAddress() throws {
        let parsed = try checker.parse("J.Doe+news@GMAIL.com").get()
        #expect(parsed.normalized == "J.Doe+news@gmail.com")
        #expect(identity.key(for: parsed) == "jdoe@gmail.com")
    }
}
