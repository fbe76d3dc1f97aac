import LeadFacts

/// One thread's view of the leads' domains and company keys, cached: a list repeats its companies, and
/// parsing a website and walking the Public Suffix List costs far more than a dictionary lookup.
struct LeadAccountMatcher {
    let companyKey: CompanyKey
    private var websites: [String: String?] = [:]
    private var emailDomains: [Substring: String?] = [:]
    private var companies: [String: String] = [:]

    init(companyKey: CompanyKey) { self.companyKey = companyKey }

    mutating func registrableDomain(ofWebsite value: String) -> String? {
        if value.isEmpty { return nil }
        if let known = websites[value] { return known }
        let found = AccountBook.registrableDomain(ofWebsite: value)
        websites[value] = found
        return found
    }

    /// Keyed by the address's domain part, which many leads share.
    mutating func registrableDomain(ofEmail value: String) -> String? {
        guard let at = value.lastIndex(of: "@") else { return nil }
        let host = value[value.index(after: at)...]
        if let known = emailDomains[host] { return known }
        let found = AccountBook.registrableDomain(ofEmail: value)
        emailDomains[host] = found
        return found
    }

    mutating func companyKey(_ name: String) -> String {
        if name.isEmpty { return "" }
        if let known = companies[name] { return known }
        let key = companyKey.distinctiveKey(name) ?? ""
        companies[name] = key
        return key
    }
}
