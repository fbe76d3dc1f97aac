import DomainNames
import Foundation
@testable import NormalizeStage
import Testing

/// The byte-level paths must give exactly what the `String` routines they replace gave; these tests
/// run both on the same values, including non-ASCII, empty and odd ones.
@Suite("normalize on bytes")
struct ByteLevelNormalizationTests {
    /// `TextCleanup.clean` as it was before the byte-level paths (the reference the fast path must match).
    static func referenceClean(_ value: String) -> String {
        let verdict = value.utf8.withContiguousStorageIfAvailable { bytes -> (isASCII: Bool, needsWork: Bool) in
            var previousSpace = true
            var needsWork = false
            for b in bytes {
                if b >= 0x80 { return (false, true) }
                let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
                if space && (previousSpace || b != 0x20) { needsWork = true }
                previousSpace = space
            }
            return (true, needsWork || (previousSpace && !bytes.isEmpty))
        } ?? (isASCII: false, needsWork: true)
        if verdict.isASCII && !verdict.needsWork { return value }
        let text = verdict.isASCII ? value : value.precomposedStringWithCanonicalMapping
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The email normalization as it was in `NormalizeStage.normalize` before `EmailCleanup`.
    static func referenceEmail(_ raw: String) -> String {
        var email = referenceClean(raw)
        if email.lowercased().hasPrefix("mailto:") { email.removeFirst(7) }
        if email.hasPrefix("<") && email.hasSuffix(">") { email = String(email.dropFirst().dropLast()) }
        return email.lowercased()
    }

    static let texts: [String] = [
        "", " ", "   ", "\t", "\n", "\r\n", "a", " a", "a ", "a  b", "a\tb", "a\u{0B}b", "\u{0B}a", " \u{0B}a", "a\u{0C}", "Acme Inc",
        "  Café\u{00A0} \t Noir  ", "München", "Göteborg ", "Zoë\u{0085}Lee", "\u{00A0}", "Jose\u{301}", "ÉLODIE", "São  Paulo",
        "İstanbul", "東京", "a\u{2003}b", "Ǆemal", "ʻOkina", "\u{02FF}x", "\u{0300}x", "a\u{200B}b", "x\r\ny", "ĳssel  meer",
        "Granite Ventures One 9723 PLC", "abcdefgh ijklmnop  qrstuvwx", "abcdefghijklmnopq\t", "  leading spaces in a long value",
        "trailing spaces in a long value  ", "a long value with a\ttab inside it", "exactly8", "exactly8 ", "sixteen-chars-ab",
        "sixteen-chars-ab\u{0B}", "a long München value with ümlauts", "a long value with a\u{00A0}no-break space",
    ]

    @Test func cleansTextExactlyAsTheStringRoutineDid() {
        for text in Self.texts {
            #expect(TextCleanup.clean(text) == Self.referenceClean(text), "clean(\(text.debugDescription))")
            let viaBytes = TextCleanup.withCleanedBytes(text) { bytes, unchanged in
                (String(decoding: bytes, as: UTF8.self), unchanged)
            }
            #expect(viaBytes.0 == Self.referenceClean(text), "withCleanedBytes(\(text.debugDescription))")
            if viaBytes.1 { #expect(viaBytes.0 == text) }
        }
    }

    @Test(arguments: [
        "", "   ", "ann@x.com", "ANN@X.COM", " Ann@Sales.Acme.COM ", "mailto:ann@x.com", "MAILTO:Ann@X.com", "<ann@x.com>", "mailto:<a@b>",
        "<a@b>", "<>", "<", ">", "mailto:", "mailto:<>", "<mailto:a@b>", "a b@c.d", "mailto:<Jose\u{301}@Example.com>", "jürgen@müller.de",
        "ÄNN@X.COM", "a@b.", "  mailto:  <a@b>  ",
    ])
    func normalizesEmailsExactlyAsBefore(raw: String) {
        #expect(EmailCleanup.normalize(raw) == Self.referenceEmail(raw))
    }

    @Test(arguments: [
        "ann@acme.com", "ann@shop.acme.co.uk", "ann@gmail.com", "ann@acme.com.", "ann@acme..com", "ann@", "ann", "", "a@b@acme.io",
        "ann@co.uk", "ann@192.168.1.1", "ann@[1.2.3.4]", "ann@bücher.de", "ann@x.city.kawasaki.jp", "ann@www.ck",
        "ann@" + String(repeating: "a", count: 64) + ".com",
    ])
    func takesTheCompanyDomainOfAnEmailExactlyAsBefore(email: String) {
        var expected = ""
        if let at = email.lastIndex(of: "@"), let host = HostName.asciiForm(String(email[email.index(after: at)...])),
           let registrable = PublicSuffixList.shared.registrableDomain(of: host), !NormalizeStage.freeMailDomains.contains(registrable) {
            expected = registrable
        }
        let got = EmailCleanup.companyDomain(email, psl: PublicSuffixList.shared.matcher, freeMail: NormalizeStage.freeMailTable.reader)
        #expect(got == expected)
    }

    @Test(arguments: [
        "HTTP://WWW.Acme.com/?utm_source=x&id=7#top", "www.shop.acme.co.uk/about/", "https://user:pw@acme.com:8443/x", "acme.com",
        "acme.com.", "acme..com", "//cdn.acme.io/x", "ftp://acme.com", "localhost", "acme.com/redirect?u=http://x.com", "https://acme.com:",
        "https://acme.com:80a/", "https://[::1]/x", "acme,com.io", "https://acme.com/a/b//?&&utm_x=1&&b=2&GCLID=3&fbclid=&c", "acme.com?",
        "acme.com#frag", "https://", "http://.com", "HtTpS://A.B.C.co.uk//", "acme.com/x?mc_eid=1", "co.uk", "https://x.city.kawasaki.jp",
        "a.b." + String(repeating: "c", count: 64) + ".com", "bücher.de", "a b.com", "https:/acme.com", "acme.com@evil.com/",
        "a..", ".", "a.b..", ".a.com", "user@host:12@x.com:80/p", "a@b@c.com", "x.com:", "[x.com]:80", "[x.com:80", "x.com:8a", ":80",
        "@x.com", "a.com@", "http://a.com@:80", "https://a:b@[::1]:443/", "//user@cdn.acme.io:8080/x/", "HTTPS://x.Y.z.", "x.com/a,b",
        "a," + "b.com", "http://x.com?utm_a=1", "x.com:80", "x.com:443/a", "http://x.com:443", "https://x.com:0443/",
        "http://x.com:8080/a/", "x.com:0", "x.com:65535", "x.com:65536", "x.com:99999999999999999999", "user:1@x.com:8080", "http://x.com/?a&&b#c?d", "//", "///", "http:///x.com", "x.co.uk/" + String(repeating: "p", count: 40),
    ])
    func canonicalizesWebsitesExactlyAsTheStringRoutine(value: String) {
        var copy = value
        let fast = copy.withUTF8 { WebsiteNormalizer.canonical($0, psl: PublicSuffixList.shared.matcher) }
        let reference = WebsiteNormalizer.canonicalURL(value)
        switch fast {
        case .notPlainASCII:
            #expect(value.utf8.contains { $0 < 0x21 || $0 > 0x7E })
        case .unparseable:
            #expect(reference == nil)
        case .url(let url, let domain):
            #expect(url == reference?.url)
            #expect(domain == reference.flatMap { PublicSuffixList.shared.registrableDomain(of: $0.host) } ?? "")
        }
    }

    @Test(arguments: [
        ("(415) 555-0134", "US"), ("1 415 555 0134", "US"), ("020 7946 0958", "GB"), ("+44 (0)20 7946 0958", ""), ("0044 20 7946 0958", ""),
        ("030 1234567", "DE"), ("06 12 34 56 78", "FR"), ("+1 415 555 0134 ext. 12", ""), ("02 1234 5678", "IT"), ("011 44 20 7946 0958", "US"),
        ("011 44 20 7946 0958", "GB"), ("44 20 7946 0958", "GB"), ("4155550134", ""), ("555-0134 call me", "US"), ("12345", "US"),
        ("+", "US"), ("", "US"), ("++44 20 7946 0958", ""), ("44+20", ""), ("415\u{00A0}555\u{00A0}0134", "US"), ("415 555 0134 #", "US"),
        ("415 555 0134 x", "US"), ("415 555 0134 x12a", "US"), ("+999 123 4567", ""), ("123456", "AQ"), ("+7 912 345 67 89", ""),
        ("0689 550 859", "SE"), ("+81 343 356 2046", "JP"), ("+55 888 860 0161 6", "BR"), ("0224 479 915", "AU"), ("+1 (0) 415 555 0134", ""),
        ("415–555–0134", "US"), ("00", "GB"), ("0000000000", "GB"), ("+49 (0)30 1234567", ""), ("0049 (0)30 1234567", "DE"),
        ("011 (0)44 20 7946 0958", "US"), ("+39 (0)6 1234 5678", ""), ("(0)30 1234567", "DE"), ("０３０ １２３４５６７", "DE"),
        ("＋４９（０）３０ １２３４５６７", ""), ("tel:+49301234567", ""), ("tel:", "DE"), ("Tel:030 1234567 ext. 2", "DE"), ("０", "DE"),
        ("０３０\u{3000}１２３４５６７", "DE"), ("+49 (0", ""), ("tel:x", "US"),
    ])
    func readsPhonesExactlyAsTheStringRoutine(raw: String, countryCode: String) {
        let table = CountryTable.shared
        let country = countryCode.isEmpty ? nil : table.lookup(countryCode)
        let phones = PhoneNormalizer(table: table)
        var copy = raw
        let fast = copy.withUTF8 { phones.normalize($0, country: country?.index, reader: table.reader) }
        #expect(fast == phones.normalize(raw, country: country))
    }

    @Test(arguments: [
        "US", "us", "USA", "U.S.A.", "united states of america", " united  states ", "U. K.", "Deutschland", "deu", "Holland", "jp", "",
        ".", "  ", "Atlantis", "España", "espana", "Côte d'Ivoire", "Osterreich", "Österreich", "The Netherlands", "IND",
    ])
    func looksCountriesUpExactlyAsTheStringRoutine(value: String) {
        let table = CountryTable.shared
        var copy = value
        switch copy.withUTF8({ table.asciiLookup($0, reader: table.reader) }) {
        case .none: #expect(!value.utf8.allSatisfy { $0 < 0x80 })
        case .some(let index): #expect(index == table.lookup(value)?.index)
        }
        if let index = table.lookup(value)?.index { #expect(table.reader.alpha2[index] == table.countries[index].alpha2) }
    }

    /// `PersonNameCasing.apply` as it was before its byte-level path.
    static func referenceNameCasing(_ name: String) -> String {
        guard !name.isEmpty else { return name }
        let hasUpper: Bool, hasLower: Bool
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            hasUpper = name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }
            hasLower = name.utf8.contains { $0 >= 0x61 && $0 <= 0x7A }
        } else {
            hasUpper = name.contains { $0.isUppercase }
            hasLower = name.contains { $0.isLowercase }
        }
        guard hasUpper != hasLower else { return name }
        var words: [String] = []
        for (index, word) in name.lowercased().split(separator: " ").enumerated() {
            if index > 0 && PersonNameCasing.particles.contains(String(word)) {
                words.append(String(word))
            } else {
                words.append(PersonNameCasing.capitalizeWord(String(word)))
            }
        }
        return words.joined(separator: " ")
    }

    @Test(arguments: [
        "", " ", "JOHN O'BRIEN", "mary-jane mcdonald", "ludwig van beethoven", "DeShawn", "van der Berg", "ÉLODIE", "élodie", "Élodie",
        "MCDONALD", "mcd", "MC", "mc donald", "VAN DER BERG", "jean-luc.picard", "A.", "a.", "O'NEIL", "  ann   lee ", "3M", "123", "-",
        "DELLA ROSA", "al-sayed bin laden", "GÖRAN", "göran persson", "ZOË", "ǅEMAL", "ǆemal", "ΣΩΚΡΑΤΗΣ", "Σωκράτης", "mc\r\ndonald",
        "a\u{0B}b", "MÜLLER-LÜDENSCHEIDT", "ßtraße", "ÿvonne", "ĲSSEL", "ĳssel", "NAÏVE O’HARA",
    ])
    func recasesNamesExactlyAsTheStringRoutine(name: String) {
        #expect(PersonNameCasing.apply(name) == Self.referenceNameCasing(name))
    }
}
