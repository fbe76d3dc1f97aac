import Testing
@testable import DedupeStage

@Suite struct EmailIdentityTests {
    @Test(arguments: [
        ("Bob.Smith+crm@GoogleMail.com", "bobsmith@gmail.com"), ("BSmith@Acme.com", "bsmith@acme.com"),
        ("j.doe+news@outlook.com", "j.doe@outlook.com"), (" ann@example.org ", "ann@example.org"),
        ("j.doe+news@acme.co.uk", "j.doe@acme.co.uk"),
    ])
    func identityKeyFoldsCasePlusTagsAndGmailDots(_ address: String, _ key: String) {
        #expect(EmailIdentity(address)?.key == key)
    }

    @Test(arguments: ["", "no-at-sign", "@acme.com", "bob@", "bob smith@acme.com"])
    func unusableAddressesHaveNoIdentity(_ address: String) {
        #expect(EmailIdentity(address) == nil)
    }

    @Test func consumerProvidersAndRoleMailboxesAreRecognised() {
        #expect(EmailIdentity("bob@gmail.com")?.isPersonal == true)
        #expect(EmailIdentity("bob@acme.com")?.isPersonal == false)
        #expect(EmailIdentity("info@acme.com")?.isRole == true)
        #expect(EmailIdentity("sales+eu@acme.com")?.isRole == true)
    }
}
