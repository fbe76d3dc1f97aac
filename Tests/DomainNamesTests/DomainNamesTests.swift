import DomainNames
import Testing

@Suite("Domain names")
struct DomainNamesTests {
    // RFC 3492 §7.1 samples and everyday IDNs.
    @Test(arguments: [("bücher", "bcher-kva"), ("münchen", "mnchen-3ya"), ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
                      ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"), ("pročprostěnemluvíčesky", "proprostnemluvesky-uyb24dma41a")])
    func encodesAndDecodesPunycode(unicode: String, ascii: String) {
        #expect(Punycode.encode(unicode) == ascii)
        #expect(Punycode.decode(ascii) == unicode)
    }

    @Test func convertsHostsToLowerCaseALabels() {
        #expect(HostName.asciiForm("Bücher.DE") == "xn--bcher-kva.de")
        #expect(HostName.asciiForm("ACME.com.") == "acme.com")
        #expect(HostName.asciiForm("a..b") == nil)
        #expect(HostName.asciiForm(String(repeating: "a", count: 64) + ".com") == nil)
        #expect(HostName.unicodeForm("xn--bcher-kva.de") == "bücher.de")
    }

    @Test(arguments: [("https://www.acme.com/about?x=1", "www.acme.com"), ("acme.com", "acme.com"), ("//cdn.acme.io/x", "cdn.acme.io"),
                      ("http://user:pw@Acme.com:8080", "acme.com"), ("ftp://acme.com", nil), ("not a site", nil), ("localhost", nil)])
    func findsTheHostOfAWebsiteValue(value: String, host: String?) {
        #expect(HostName.fromWebsite(value) == host)
    }

    // Rules from the bundled Public Suffix List, including wildcard and exception rules.
    @Test(arguments: [("www.acme.com", "acme.com"), ("shop.acme.co.uk", "acme.co.uk"), ("acme.co.uk", "acme.co.uk"),
                      ("a.b.acme.com.au", "acme.com.au"), ("x.city.kawasaki.jp", "city.kawasaki.jp"), ("www.ck", "www.ck"),
                      ("acme.unknowntld", "acme.unknowntld"), ("foo.blogspot.com", "foo.blogspot.com")])
    func findsRegistrableDomains(host: String, registrable: String) {
        #expect(PublicSuffixList.shared.registrableDomain(of: host) == registrable)
    }

    @Test func hasNoRegistrableDomainForPublicSuffixesAndAddresses() {
        #expect(PublicSuffixList.shared.registrableDomain(of: "co.uk") == nil)
        #expect(PublicSuffixList.shared.registrableDomain(of: "com") == nil)
        #expect(PublicSuffixList.shared.registrableDomain(of: "192.168.1.10") == nil)
    }
}
