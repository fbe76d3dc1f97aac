import DomainNames
import Foundation
import Web

/// Reads company facts out of one fetched HTML page into a ``SiteProfile``.
struct PageExtractor: Sendable {
    let fingerprints: TechnologyFingerprints
    let minimumConfidence: Int

    /// A page ready for extraction.
    struct Page: Sendable {
        var url: String
        var headers: [HTTPHeader]
        var body: [UInt8]
        var fetchedAt: Date

        var contentType: String? { headers.first { $0.name.lowercased() == "content-type" }?.value }

        /// Whether this is a page to read: an HTML (or text) type, or none, and a body that is not a
        /// known binary format (a PDF served as text/html is still a PDF).
        var isHTML: Bool {
            if let contentType, !PageExtractor.isHTML(contentType) { return false }
            return !PageExtractor.binarySignatures.contains { body.starts(with: $0) }
        }
    }

    /// Leading bytes of formats a home page is sometimes served as: PDF, PNG, GIF, JPEG, ZIP (also docx), gzip.
    static let binarySignatures: [[UInt8]] = [
        Array("%PDF-".utf8), [0x89, 0x50, 0x4E, 0x47], Array("GIF8".utf8), [0xFF, 0xD8, 0xFF], [0x50, 0x4B, 0x03, 0x04],
        [0x1F, 0x8B],
    ]

    /// Applies the fingerprints' `implies` and `excludes` to a site's technologies merged over its pages.
    func resolveTechnologies(_ profile: inout SiteProfile) {
        profile.technologies = fingerprints.resolveSite(profile.technologies, minimumConfidence: minimumConfidence)
    }

    /// Extracts the page's facts into `profile`.
    func extract(_ page: Page, into profile: inout SiteProfile) {
        guard page.isHTML, let document = HTMLDocument(body: page.body, contentType: page.contentType, url: page.url)
        else { return }
        let source = PageSource(url: page.url, fetchedAt: page.fetchedAt)

        // 1. Structured data, most explicit first: JSON-LD, then microdata, then a plain <address>.
        if let org = JSONLDOrganization.first(in: document.strings("//script[@type='application/ld+json']")) {
            offerOrganization(org, into: &profile, from: source)
        }
        if let org = MicrodataOrganization.first(in: document.microdataItems()) {
            offerOrganization(org, into: &profile, from: source)
        }
        for lines in document.visibleLines(of: "//address") {
            let address = PostalAddressText.parse(lines)
            guard !address.isEmpty else { continue }
            offerAddress(address, into: &profile, from: source)
            break
        }

        // 2. OpenGraph and standard meta tags.
        var meta: [String: [String]] = [:]
        for element in document.elements("//meta") {
            guard let key = (element["property"] ?? element["name"] ?? element["http-equiv"])?.lowercased(),
                  let content = element["content"] else { continue }
            meta[key, default: []].append(content)
        }
        profile.offer(.companyName, meta["og:site_name"]?.first, from: source)
        profile.offer(.companyName, meta["application-name"]?.first, from: source)
        profile.offer(.description, meta["og:description"]?.first, from: source)
        profile.offer(.description, meta["description"]?.first, from: source)
        if let handle = meta["twitter:site"]?.first, handle.hasPrefix("@"), handle.count > 1 {
            profile.offer(.twitter, "https://twitter.com/" + handle.dropFirst(), from: source)
        }

        // 3. Title.
        let title = document.firstString("//title").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        profile.offer(.title, title, from: source)
        profile.offer(.companyName, title.flatMap(Self.nameFromTitle), from: source)

        // 4. Links: social profiles, mailto, tel, each read with where it sits on the page.
        let siteDomain = URL(string: page.url)?.host.map { PublicSuffixList.shared.registrableDomain(of: $0) ?? $0 } ?? ""
        var social: [ScrapeField: [(url: String, score: Int)]] = [:]
        for anchor in document.elementsInContext("//a[@href]") {
            let href = anchor.element["href"] ?? ""
            let credit = Decoys.isCredit(anchor.enclosingText) || Decoys.isCredit(anchor.element.text)
            if let email = ContactFinder.email(fromMailto: href) {
                // The agency's address in "Website by Pixel": not the company's, unless on its own domain.
                if !credit || Decoys.isOwn(email: email, siteDomain: siteDomain) { profile.offerEmail(email, from: source) }
                continue
            }
            if let phone = ContactFinder.phone(fromTel: href) {
                if !ContactFinder.isFax(label: anchor.element.text, context: anchor.enclosingText) {
                    profile.offerPhone(phone, from: source)
                }
                continue
            }
            if let (field, url) = SocialProfiles.classify(href) {
                guard !credit, !Decoys.isAboutAPerson(anchor.ancestorMarkers) else { continue }
                // The company's own profile sits in the header or footer and usually carries its name.
                var score = Decoys.isInPageFrame(anchor.ancestorMarkers) ? 1 : 0
                if SocialProfiles.handle(url, matchesDomain: siteDomain) { score += 2 }
                social[field, default: []].append((url, score))
            }
        }
        for field in ScrapeField.allCases {
            guard let candidates = social[field], var best = candidates.first else { continue }
            for candidate in candidates.dropFirst() where candidate.score > best.score { best = candidate }
            profile.offer(field, best.url, from: source)
        }

        // 5. Visible text, line by line: a number never runs on into the next line's digits.
        for line in document.visibleLines() {
            let credit = Decoys.isCredit(line)
            for email in ContactFinder.emails(in: line) where !credit || Decoys.isOwn(email: email, siteDomain: siteDomain) {
                profile.offerEmail(email, from: source)
            }
            guard !credit else { continue }
            for phone in ContactFinder.phones(in: line) { profile.offerPhone(phone, from: source) }
        }

        // 6. Technologies.
        var headers: [String: [String]] = [:]
        var cookies: [String: String] = [:]
        for header in page.headers {
            headers[header.name.lowercased(), default: []].append(header.value)
            if header.name.lowercased() == "set-cookie",
               let pair = header.value.split(separator: ";").first, let eq = pair.firstIndex(of: "=") {
                cookies[pair[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] = String(pair[pair.index(after: eq)...])
            }
        }
        let evidence = PageEvidence(
            url: page.url, html: String(decoding: page.body.prefix(512 * 1024), as: UTF8.self),
            scriptSources: document.strings("//script/@src"),
            inlineScripts: document.strings("//script[not(@src)]").filter { !$0.isEmpty },
            headers: headers, cookies: cookies, meta: meta)
        for tech in fingerprints.detect(evidence) where tech.confidence >= minimumConfidence {
            profile.offerTechnology(tech.version.isEmpty ? tech.name : "\(tech.name)/\(tech.version)", name: tech.name, from: source)
        }
    }

    /// Offers a schema.org Organization object's facts (JSON-LD, or microdata read into the same shape).
    private func offerOrganization(_ org: [String: Any], into profile: inout SiteProfile, from source: PageSource) {
        profile.offer(.companyName, JSONLDOrganization.text(org["name"]), from: source)
        profile.offer(.legalName, JSONLDOrganization.text(org["legalName"]), from: source)
        profile.offer(.description, JSONLDOrganization.text(org["description"]), from: source)
        profile.offer(.logo, JSONLDOrganization.text(org["logo"]), from: source)
        profile.offer(.employees, JSONLDOrganization.employees(org["numberOfEmployees"]), from: source)
        profile.offer(.founded, JSONLDOrganization.text(org["foundingDate"]), from: source)
        offerAddress(JSONLDOrganization.address(org["address"]), into: &profile, from: source)
        if let phone = JSONLDOrganization.text(org["telephone"]) { profile.offerPhone(phone, from: source) }
        if let email = JSONLDOrganization.text(org["email"]) {
            if let address = ContactFinder.email(fromMailto: email) ?? ContactFinder.emails(in: email).first {
                profile.offerEmail(address, from: source)
            }
        }
        for link in JSONLDOrganization.links(org["sameAs"]) {
            if let (field, url) = SocialProfiles.classify(link) { profile.offer(field, url, from: source) }
        }
    }

    private func offerAddress(_ address: [String: String], into profile: inout SiteProfile, from source: PageSource) {
        profile.offer(.street, address["streetAddress"], from: source)
        profile.offer(.city, address["addressLocality"], from: source)
        profile.offer(.region, address["addressRegion"], from: source)
        profile.offer(.postcode, address["postalCode"], from: source)
        profile.offer(.country, address["addressCountry"], from: source)
    }

    static func isHTML(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return type.isEmpty || type == "text/html" || type == "application/xhtml+xml" || type == "text/plain"
    }

    /// "Acme Anvils | Industrial anvils since 1949" → "Acme Anvils".
    static func nameFromTitle(_ title: String) -> String? {
        var name = Substring(title)
        for separator in [" | ", " - ", " — ", " – ", " · ", " :: "] {
            if let range = name.range(of: separator) { name = name[..<range.lowerBound] }
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || ["home", "homepage", "welcome"].contains(trimmed.lowercased()) ? nil : trimmed
    }
}
