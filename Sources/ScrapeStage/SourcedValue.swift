import Foundation

/// An extracted value with the page it came from and when that page was fetched.
package struct SourcedValue: Sendable, Equatable {
    public var value: String
    /// The URL of the page the value was read from.
    public var url: String
    /// When that page was fetched (from the cache's `fetched_at` when it came from the cache).
    public var fetchedAt: Date

    public init(_ value: String, url: String, fetchedAt: Date) {
        self.value = value
        self.url = url
        self.fetchedAt = fetchedAt
    }
}

/// Everything learned about one company website, merged over the pages visited.
///
/// Single-valued fields keep the first value found in priority order (JSON-LD, then OpenGraph and
/// meta tags, then page text; home page before other pages); list fields collect distinct values.
package struct SiteProfile: Sendable, Equatable {
    public var fields: [ScrapeField: SourcedValue] = [:]
    public var emails: [SourcedValue] = []
    public var phones: [SourcedValue] = []
    public var technologies: [SourcedValue] = []

    public init() {}

    /// Sets `field` unless an earlier, higher-priority source already did.
    mutating func offer(_ field: ScrapeField, _ value: String?, from page: PageSource) {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty, fields[field] == nil
        else { return }
        fields[field] = SourcedValue(value, url: page.url, fetchedAt: page.fetchedAt)
    }

    mutating func offerEmail(_ email: String, from page: PageSource) {
        let email = email.lowercased()
        guard !emails.contains(where: { $0.value == email }) else { return }
        emails.append(SourcedValue(email, url: page.url, fetchedAt: page.fetchedAt))
    }

    mutating func offerPhone(_ phone: String, from page: PageSource) {
        let digits = phone.filter(\.isNumber)
        guard !phones.contains(where: { $0.value.filter(\.isNumber) == digits }) else { return }
        phones.append(SourcedValue(phone, url: page.url, fetchedAt: page.fetchedAt))
    }

    /// Adds what `other` (a later page) found that this profile does not have yet.
    mutating func merge(_ other: SiteProfile) {
        for field in ScrapeField.allCases where fields[field] == nil {
            fields[field] = other.fields[field]
        }
        for email in other.emails where !emails.contains(where: { $0.value == email.value }) { emails.append(email) }
        for phone in other.phones {
            let digits = phone.value.filter(\.isNumber)
            if !phones.contains(where: { $0.value.filter(\.isNumber) == digits }) { phones.append(phone) }
        }
        for tech in other.technologies {
            let name = tech.value.split(separator: "/").first.map(String.init) ?? tech.value
            offerTechnology(tech.value, name: name, from: PageSource(url: tech.url, fetchedAt: tech.fetchedAt))
        }
    }

    mutating func offerTechnology(_ label: String, name: String, from page: PageSource) {
        if let i = technologies.firstIndex(where: { $0.value == name || $0.value.hasPrefix(name + "/") }) {
            // Keep the labelled version when a later page reveals it.
            if !technologies[i].value.contains("/"), label.contains("/") {
                technologies[i] = SourcedValue(label, url: page.url, fetchedAt: page.fetchedAt)
            }
            return
        }
        technologies.append(SourcedValue(label, url: page.url, fetchedAt: page.fetchedAt))
    }
}

/// The page a value is read from.
struct PageSource {
    var url: String
    var fetchedAt: Date
}

/// A single-valued fact the stage extracts, with its output column.
package enum ScrapeField: String, Sendable, CaseIterable {
    case companyName = "web_company_name"
    case legalName = "web_legal_name"
    case description = "web_description"
    case title = "web_title"
    case logo = "web_logo"
    case street = "web_street"
    case city = "web_city"
    case region = "web_region"
    case postcode = "web_postcode"
    case country = "web_country"
    case employees = "web_employees"
    case founded = "web_founded"
    case linkedin = "web_linkedin"
    case twitter = "web_twitter"
    case facebook = "web_facebook"
    case github = "web_github"
    case youtube = "web_youtube"
    case instagram = "web_instagram"
}
