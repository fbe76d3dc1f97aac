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
    }

    /// Extracts into `profile` and returns the page's links (absolute URLs with their text) for the crawler.
    @discardableResult
    func extract(_ page: Page, into profile: inout SiteProfile) -> [(url: URL, text: String)] {
        let contentType = page.headers.first { $0.name.lowercased() == "content-type" }?.value
        if let contentType, !Self.isHTML(contentType) { return [] }
        guard let document = HTMLDocument(body: page.body, contentType: contentType, url: page.url) else { return [] }
        let source = PageSource(url: page.url, fetchedAt: page.fetchedAt)
        let base = URL(string: page.url)

        // 1. JSON-LD (most explicit).
        if let org = JSONLDOrganization.first(in: document.strings("//script[@type='application/ld+json']")) {
            profile.offer(.companyName, JSONLDOrganization.text(org["name"]), from: source)
            profile.offer(.legalName, JSONLDOrganization.text(org["legalName"]), from: source)
            profile.offer(.description, JSONLDOrganization.text(org["description"]), from: source)
            profile.offer(.logo, JSONLDOrganization.text(org["logo"]), from: source)
            profile.offer(.employees, JSONLDOrganization.employees(org["numberOfEmployees"]), from: source)
            profile.offer(.founded, JSONLDOrganization.text(org["foundingDate"]), from: source)
            let address = JSONLDOrganization.address(org["address"])
            profile.offer(.street, address["streetAddress"], from: source)
            profile.offer(.city, address["addressLocality"], from: source)
            profile.offer(.region, address["addressRegion"], from: source)
            profile.offer(.postcode, address["postalCode"], from: source)
            profile.offer(.country, address["addressCountry"], from: source)
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

        // 4. Links: social profiles, mailto, tel.
        var links: [(url: URL, text: String)] = []
        for anchor in document.elements("//a[@href]") {
            let href = anchor["href"] ?? ""
            if let email = ContactFinder.email(fromMailto: href) { profile.offerEmail(email, from: source); continue }
            if let phone = ContactFinder.phone(fromTel: href) { profile.offerPhone(phone, from: source); continue }
            if let (field, url) = SocialProfiles.classify(href) { profile.offer(field, url, from: source); continue }
            if let base, let url = WebAddress.resolve(href, against: base) { links.append((url, anchor.text)) }
        }

        // 5. Visible text.
        let text = document.visibleText()
        for email in ContactFinder.emails(in: text) { profile.offerEmail(email, from: source) }
        for phone in ContactFinder.phones(in: text) { profile.offerPhone(phone, from: source) }

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
        return links
    }

    /// The links of a page worth following (not mailto, tel or social profiles), with their text.
    static func links(_ page: Page) -> [(url: URL, text: String)] {
        let contentType = page.headers.first { $0.name.lowercased() == "content-type" }?.value
        if let contentType, !isHTML(contentType) { return [] }
        guard let base = URL(string: page.url),
              let document = HTMLDocument(body: page.body, contentType: contentType, url: page.url) else { return [] }
        return document.elements("//a[@href]").compactMap { anchor in
            let href = anchor["href"] ?? ""
            let lower = href.lowercased()
            guard !lower.hasPrefix("mailto:"), !lower.hasPrefix("tel:"), SocialProfiles.classify(href) == nil,
                  let url = WebAddress.resolve(href, against: base) else { return nil }
            return (url, anchor.text)
        }
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
