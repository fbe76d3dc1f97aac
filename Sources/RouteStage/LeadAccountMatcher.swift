import LeadFacts

/// One thread's view of the leads' domains and company keys, cached as the account book numbers them:
/// a list repeats its companies, and parsing a website and walking the Public Suffix List costs far more
/// than a dictionary lookup.
struct LeadAccountMatcher {
    let companyKey: CompanyKey
    private var websites = ASCIIKeyedCache<AccountBook.LeadDomain>()
    private var emailDomains = ASCIIKeyedCache<AccountBook.LeadDomain>()
    private var companies = ASCIIKeyedCache<AccountBook.LeadNameKey>()

    init(companyKey: CompanyKey) { self.companyKey = companyKey }

    mutating func domain(ofWebsite value: String, in book: AccountBook) -> AccountBook.LeadDomain {
        if value.isEmpty { return .none }
        return websites.value(value) { book.domain(AccountBook.registrableDomain(ofWebsite: value)) }
    }

    /// Keyed by the address's domain part, which many leads share.
    mutating func domain(ofEmail value: String, in book: AccountBook) -> AccountBook.LeadDomain {
        guard let at = Self.lastAt(value) else { return .none }
        let host = value[value.index(after: at)...]
        return emailDomains.value(host) { book.domain(AccountBook.registrableDomain(ofEmail: value)) }
    }

    /// `value.lastIndex(of: "@")`, read from the bytes when they are all ASCII (where every byte is its
    /// own character, a CR LF pair aside, so the last `@` byte is the last `@` character).
    private static func lastAt(_ value: String) -> String.Index? {
        var offset: Int?
        for (i, b) in value.utf8.enumerated() {
            if b >= 0x80 { return value.lastIndex(of: "@") }
            if b == UInt8(ascii: "@") { offset = i }
        }
        return offset.map { value.utf8.index(value.utf8.startIndex, offsetBy: $0) }
    }

    mutating func nameKey(_ name: String, in book: AccountBook) -> AccountBook.LeadNameKey {
        if name.isEmpty { return .none }
        return companies.value(name) { book.nameKey(companyKey.distinctiveKey(name) ?? "") }
    }
}
