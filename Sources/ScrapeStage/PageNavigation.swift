import Foundation
import Web

/// What the crawler reads from a home page before it decides where to go next: the links to follow,
/// a meta refresh to follow like a redirect, and whether the page is a parking page.
///
/// Read on the thread driving the fetcher (it decides the next requests); the page's facts are
/// extracted separately, on a worker, by ``PageExtractor``.
struct PageNavigation {
    /// The page's links worth following (not mailto, tel or social profiles), absolute, with their text.
    var links: [(url: URL, text: String)] = []
    /// Where a `<meta http-equiv="refresh">` sends the reader, when it names another URL.
    var refresh: URL?
    /// The page is a registrar's or marketplace's parking or for-sale page.
    var isParked = false

    init(_ page: PageExtractor.Page) {
        guard let pageURL = URL(string: page.url),
              let document = HTMLDocument(body: page.body, contentType: page.contentType, url: page.url) else { return }
        let base = Self.base(of: document, pageURL: pageURL)
        links = document.elements("//a[@href]").compactMap { anchor in
            let href = anchor["href"] ?? ""
            let lower = href.lowercased()
            guard !lower.hasPrefix("mailto:"), !lower.hasPrefix("tel:"), !lower.hasPrefix("javascript:"),
                  SocialProfiles.classify(href) == nil, let url = WebAddress.resolve(href, against: base) else { return nil }
            return (url, anchor.text)
        }
        refresh = document.elements("//meta[@http-equiv and @content]").lazy
            .filter { $0["http-equiv"]?.trimmingCharacters(in: .whitespaces).lowercased() == "refresh" }
            .compactMap { MetaRefresh.target($0["content"] ?? "") }
            .compactMap { WebAddress.resolve($0, against: base) }
            .first { $0.scheme == "http" || $0.scheme == "https" }   // a refresh to javascript: or data: goes nowhere
        isParked = ParkedPage.isParked(document)
    }

    /// The URL relative links resolve against: the first `<base href>` (HTML §4.2.3), itself resolved
    /// against the page, when it is http(s); else the page's own URL.
    static func base(of document: HTMLDocument, pageURL: URL) -> URL {
        guard let href = document.strings("//base/@href").first,
              let url = WebAddress.resolve(href, against: pageURL),
              url.scheme == "http" || url.scheme == "https" else { return pageURL }
        return url
    }
}

/// Reads the target of a meta refresh's `content` (HTML §4.2.5.3 "shared declarative refresh steps").
enum MetaRefresh {
    /// `"0; url=https://newco.com/"`, `"5;URL='/moved'"`, `"0, /moved"` → the URL text; `nil` for a plain reload (`"300"`).
    static func target(_ content: String) -> String? {
        var rest = Substring(content).drop { $0.isWhitespace }
        // The delay: digits and dots.
        let delay = rest.prefix { $0.isNumber || $0 == "." }
        guard !delay.isEmpty else { return nil }
        rest = rest.dropFirst(delay.count).drop { $0.isWhitespace }
        guard let separator = rest.first, separator == ";" || separator == "," else { return nil }
        rest = rest.dropFirst().drop { $0.isWhitespace }
        if rest.lowercased().hasPrefix("url") {
            let afterURL = rest.dropFirst(3).drop { $0.isWhitespace }
            if afterURL.first == "=" { rest = afterURL.dropFirst().drop { $0.isWhitespace } }
        }
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest = rest.dropFirst().prefix { $0 != quote }
        }
        let url = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        return url.isEmpty ? nil : url
    }
}
