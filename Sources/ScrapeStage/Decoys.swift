import Foundation

/// Values a page shows that belong to someone other than the company: the web agency credited in the
/// footer, a fax line, a staff member's profile. A careful person skips them; so does the extractor.
enum Decoys {
    /// Phrases that credit whoever built or hosts the site ("Website by Pixel & Co — hello@pixel.test").
    static let creditPhrases = [
        "site by", "website by", "web site by", "designed by", "design by", "developed by", "development by",
        "built by", "made by", "powered by", "created by", "crafted by", "hosted by", "web design", "website design",
        "site design", "webdesign", "design & development", "design and development", "site credits", "theme by",
        "realisation", "réalisation", "umsetzung", "gestaltung",
    ]

    /// Whether a line or block of text credits the site's makers.
    static func isCredit(_ text: String) -> Bool {
        let lower = text.lowercased()
        return creditPhrases.contains { lower.utf8.contains($0) }
    }

    /// Ancestor markers (tag, class, id, itemtype) of a block about one person rather than the company.
    private static let personMarker = try! NSRegularExpression(
        pattern: #"(?:^|[\s_-])(?:team|staff|member|members|author|authors|person|people|bio|byline|employee|employees|founder|founders|speaker|speakers|testimonial|testimonials|leadership|board|management)(?:$|[\s_-])|schema\.org/person"#)

    /// Whether an element sits in a block about one person (a team grid, an author box, a testimonial).
    static func isAboutAPerson(_ ancestorMarkers: String) -> Bool {
        personMarker.firstMatch(in: ancestorMarkers, range: NSRange(ancestorMarkers.startIndex..., in: ancestorMarkers)) != nil
    }

    /// Ancestor markers of the page's own frame, where a company links its profiles.
    static func isInPageFrame(_ ancestorMarkers: String) -> Bool {
        ancestorMarkers.split(separator: " ").contains { token in
            token == "header" || token == "footer" || token == "nav" || token.contains("footer") || token.contains("header")
                || token.contains("social")
        }
    }

    /// Whether an email belongs to `siteDomain` (the registrable domain of the page), subdomains included.
    static func isOwn(email: String, siteDomain: String) -> Bool {
        guard let at = email.lastIndex(of: "@"), !siteDomain.isEmpty else { return false }
        let domain = email[email.index(after: at)...].lowercased()
        return domain == siteDomain || domain.hasSuffix("." + siteDomain)
    }
}

extension String.UTF8View {
    /// Whether `phrase` occurs in these bytes: a plain byte search, which costs far less per line of text
    /// than Foundation's locale-aware `String.contains`, and is all an ASCII phrase needs.
    func contains(_ phrase: String) -> Bool {
        let needle = Array(phrase.utf8)
        guard let first = needle.first, count >= needle.count else { return needle.isEmpty }
        var i = startIndex
        while let found = self[i...].firstIndex(of: first) {
            if self[found...].starts(with: needle) { return true }
            i = index(after: found)
        }
        return false
    }
}
