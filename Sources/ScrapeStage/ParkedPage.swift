import Foundation
import Web

/// Recognizes a registrar's or domain marketplace's parking page, which says nothing about a company:
/// its title is the domain itself, its links are ads or a "buy this domain" form.
///
/// Two kinds of evidence, either one enough: a script or frame served by a parking service (they
/// render the page), or a for-sale / parked phrase on a page short enough to be nothing else (a company
/// site may well mention "domain for sale" somewhere in a long page; a parking page is a few lines).
enum ParkedPage {
    /// Hosts (or host suffixes) of parking and domain-sale services whose scripts or frames render parked pages.
    static let serviceHosts = [
        "sedoparking.com", "parkingcrew.net", "bodis.com", "above.com", "parklogic.com", "skenzo.com",
        "domainsponsor.com", "dsparking.com", "cashparking.com", "parked.com", "fabulous.com", "voodoo.com",
        "hugedomains.com", "dan.com", "afternic.com", "undeveloped.com", "domainmarket.com", "sav.com",
    ]
    /// Path markers of registrars' own parking pages served from their CDNs (GoDaddy's "parking-lander").
    static let servicePaths = ["/parking-lander/"]
    /// Phrases of parking and for-sale pages, lower-case.
    static let phrases = [
        "this domain is for sale", "this domain may be for sale", "domain is for sale", "buy this domain",
        "this domain name is for sale", "make an offer on this domain", "is parked free", "this domain is parked",
        "domain has been parked", "this web page is parked", "parked domain", "this domain has been registered",
        "this domain name has been registered", "domain has expired", "the domain has expired",
        "courtesy of godaddy", "get this domain", "inquire about this domain",
    ]
    /// A parked page's visible text is short; a company page longer than this is not called parked on a phrase.
    static let maxPhrasePageCharacters = 2_500

    static func isParked(_ document: HTMLDocument) -> Bool {
        for source in document.strings("//script/@src | //iframe/@src | //frame/@src") {
            guard let url = URL(string: source.trimmingCharacters(in: .whitespaces), relativeTo: URL(string: "http://x/")),
                  let host = url.host?.lowercased() else { continue }
            if serviceHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
            let path = url.path.lowercased()
            if host != "x", servicePaths.contains(where: path.contains) { return true }
        }
        var text = ((document.firstString("//title") ?? "") + " " + document.visibleText()).lowercased()
        // A character is at least one UTF-8 byte, so a short byte count settles the length without counting characters.
        guard text.utf8.count <= maxPhrasePageCharacters || text.count <= maxPhrasePageCharacters else { return false }
        return text.withUTF8 { bytes in phraseBytes.contains { contains(bytes, $0) } }
    }

    /// ``phrases`` in UTF-8, searched byte for byte (as `text.utf8.contains(phrase)` would, without its generic
    /// collection search, which cost more than parsing the page: this runs on the thread driving the fetcher).
    private static let phraseBytes = phrases.map { Array($0.utf8) }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        var start = 0
        while start <= haystack.count - needle.count {
            var matched = 0
            while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
            start += 1
        }
        return false
    }
}
