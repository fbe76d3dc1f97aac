import DomainNames
import Foundation
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

/// The byte-level Public Suffix List lookups against the set-of-strings algorithm they replaced.
@Suite("Public Suffix List on bytes")
struct PublicSuffixListBytesTests {
    /// The PSL algorithm on `Set<String>`, as the list did it before ``ByteStringTable``.
    struct ReferenceList {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()

        init(text: String) {
            for line in text.split(separator: "\n") {
                let word = line.prefix { $0 != " " && $0 != "\t" && $0 != "\r" }
                guard !word.isEmpty, !word.hasPrefix("//") else { continue }
                var body = Substring(word)
                let isException = body.first == "!"
                if isException { body = body.dropFirst() }
                let isWildcard = body.hasPrefix("*.")
                if isWildcard { body = body.dropFirst(2) }
                guard let ascii = HostName.asciiForm(String(body)) else { continue }
                if isException { exceptions.insert(ascii) } else if isWildcard { wildcards.insert(ascii) } else { rules.insert(ascii) }
            }
        }

        func suffixStart(_ bytes: [UInt8]) -> Int {
            var starts = [0]
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") { starts.append(i + 1) }
            for (n, start) in starts.enumerated() {
                let candidate = String(decoding: bytes[start...], as: UTF8.self)
                let parentStart = n + 1 < starts.count ? starts[n + 1] : nil
                if exceptions.contains(candidate) { return parentStart ?? start }
                if rules.contains(candidate) { return start }
                if let parentStart, wildcards.contains(String(decoding: bytes[parentStart...], as: UTF8.self)) { return start }
            }
            return starts.last!
        }
    }

    static let sample = """
    // comment
    com
    uk
    co.uk
    *.kawasaki.jp
    !city.kawasaki.jp
    *.ck
    !www.ck
    blogspot.com
    """

    @Test(arguments: ["www.acme.com", "shop.acme.co.uk", "co.uk", "uk", "x.city.kawasaki.jp", "city.kawasaki.jp", "a.kawasaki.jp",
                      "kawasaki.jp", "www.ck", "a.www.ck", "foo.ck", "ck", "acme.unknowntld", "foo.blogspot.com", "", ".", "a..com",
                      "acme.com.", ".com", "a.b.c.d.e.f.co.uk"])
    func findsThePublicSuffixAsTheSetAlgorithmDid(host: String) {
        let list = PublicSuffixList(text: Self.sample)
        let reference = ReferenceList(text: Self.sample)
        let bytes = Array(host.utf8)
        #expect(list.publicSuffix(of: host) == String(decoding: bytes[reference.suffixStart(bytes)...], as: UTF8.self))
    }

    @Test func agreesWithTheSetAlgorithmOnTheBundledList() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/DomainNames/Resources/public_suffix_list.dat")
        let reference = ReferenceList(text: try String(contentsOf: file, encoding: .utf8))
        let hosts = ["www.acme.com", "shop.acme.co.uk", "a.b.acme.com.au", "x.city.kawasaki.jp", "www.ck", "foo.blogspot.com",
                     "acme.unknowntld", "a.b.c.s3.amazonaws.com", "xn--bcher-kva.de", "acme.com.br", "sub.acme.github.io", "co.uk",
                     "a.b.c.d.e.f.g.h.i.j.k.com", "x.y.z.compute.amazonaws.com", "acme.pvt.k12.ma.us", "a.b.bd", "www.acme.pl"]
        for host in hosts {
            let bytes = Array(host.utf8)
            #expect(PublicSuffixList.shared.publicSuffix(of: host) == String(decoding: bytes[reference.suffixStart(bytes)...], as: UTF8.self))
        }
        #expect(reference.rules.count + reference.wildcards.count + reference.exceptions.count > 9000)
    }

    @Test func looksUpByteRangesWithoutBuildingStrings() {
        let table = ByteStringTable([(Array("acme".utf8), 1), (Array("".utf8), 2), (Array("acme".utf8), 4), (Array("co.uk".utf8), 8)],
                                    combine: |)
        #expect(table.count == 3)
        #expect(table.reader.value("acme") == 5)
        #expect(table.reader.value("") == 2)
        #expect(table.reader.value("co.uk") == 8)
        #expect(table.reader.value("acm") == nil)
        #expect(table.reader.value("shop.co.uk") == nil)
        let bytes = Array("shop.co.uk".utf8)
        bytes.withUnsafeBufferPointer { #expect(table.reader.value($0.baseAddress!, 5, 10) == 8) }
    }
}
