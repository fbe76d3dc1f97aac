@testable import FirmographicMergeStage
import Testing

@Suite("Join domains")
struct JoinDomainTests {
    @Test(arguments: [
        ("https://www.acme.co.uk/about?x=1", "acme.co.uk"),
        ("HTTP://Shop.Globex.COM", "globex.com"),
        ("www.initech.io/", "initech.io"),
        ("initech.io", "initech.io"),
        ("  acme.com  ", "acme.com"),
        ("jo@Mail.Acme.com", "acme.com"),
        ("//cdn.example.org/x", "example.org"),
        ("https://acme.com:8443/", "acme.com"),        // port: general path
        ("https://bücher.de/", "xn--bcher-kva.de"),    // IDN: general path
        ("co.uk", nil),
        ("not a website", nil),
        ("mailto:x", nil),
    ] as [(String, String?)])
    func findsTheRegistrableDomainOfWebsitesAndEmails(value: String, expected: String?) {
        #expect(JoinDomain.registrable(value) == expected)
    }
}
