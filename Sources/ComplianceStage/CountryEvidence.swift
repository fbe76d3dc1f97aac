import NormalizeStage

/// Finds a lead's country from the sources the policy names, in its order, and says which one answered.
enum CountryEvidence {
    /// Country-code TLDs sold as generic names (`.io` start-ups, `.co` companies, `.ai`, `.tv`): an address
    /// there says nothing about where the person is.
    static let genericCountryTLDs: Set<String> = ["io", "co", "ai", "tv", "me", "ly", "fm", "gg", "to", "ws", "cc", "so", "sh", "ac", "am", "vc", "la", "is"]

    /// The country of an email domain's TLD (`.de` → DE, `.uk` → GB), or `nil` for generic TLDs.
    static func country(ofDomain domain: String) -> String? {
        guard let dot = domain.lastIndex(of: ".") else { return nil }
        let tld = domain[domain.index(after: dot)...].lowercased()
        guard tld.count == 2, !genericCountryTLDs.contains(tld) else { return nil }
        if tld == "uk" { return "GB" }
        return CountryNames.alpha2(tld)
    }

    /// The first country the sources name, with the source that named it.
    static func resolve(_ sources: [ContactPolicy.CountrySource], lead: String, companyHQ: String,
                        address: SubjectAddress?) -> (country: String, source: ContactPolicy.CountrySource)? {
        for source in sources {
            let found: String? = switch source {
            case .lead: CountryNames.alpha2(lead)
            case .companyHQ: CountryNames.alpha2(companyHQ)
            case .emailTLD: address.flatMap { country(ofDomain: $0.domain) }
            }
            if let found { return (found, source) }
        }
        return nil
    }
}
