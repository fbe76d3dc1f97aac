import LeadFacts

/// One thread's view of the leads' domains and company keys, cached as the account book numbers them:
/// a list repeats its companies, and parsing a website and walking the Public Suffix List costs far more
/// than a lookup. Cells are read as their UTF-8 bytes in place; a string is made only for one the cache
/// has not seen.
struct LeadAccountMatcher {
    let companyKey: CompanyKey
    private var websites = ByteKeyedMemo<AccountBook.LeadDomain>()
    private var emailDomains = ByteKeyedMemo<AccountBook.LeadDomain>()
    private var companies = ByteKeyedMemo<AccountBook.LeadNameKey>()

    init(companyKey: CompanyKey) { self.companyKey = companyKey }

    mutating func domain(ofWebsite value: UnsafeBufferPointer<UInt8>, in book: SharedAccountBook) -> AccountBook.LeadDomain {
        if value.isEmpty { return .none }
        return websites.value(utf8: value) {
            book.book.domain(AccountBook.registrableDomain(ofWebsite: String(decoding: value, as: UTF8.self)))
        }
    }

    /// Keyed by the address's domain part, which many leads share.
    mutating func domain(ofEmail value: UnsafeBufferPointer<UInt8>, in book: SharedAccountBook) -> AccountBook.LeadDomain {
        // The last `@` byte is the last `@` character when every byte is ASCII (each byte its own
        // character, a CR LF pair aside); other text takes the string's way.
        var at: Int?
        for (i, b) in value.enumerated() {
            if b >= 0x80 { return domain(ofEmail: String(decoding: value, as: UTF8.self), in: book) }
            if b == UInt8(ascii: "@") { at = i }
        }
        guard let at else { return .none }
        return emailDomains.value(utf8: UnsafeBufferPointer(rebasing: value[(at + 1)...])) {
            book.book.domain(AccountBook.registrableDomain(ofEmail: String(decoding: value, as: UTF8.self)))
        }
    }

    /// The domain of an address that is not all ASCII, found in its string.
    private mutating func domain(ofEmail value: String, in book: SharedAccountBook) -> AccountBook.LeadDomain {
        guard let at = value.lastIndex(of: "@") else { return .none }
        let host = value[value.index(after: at)...]
        return emailDomains.value(host) { book.book.domain(AccountBook.registrableDomain(ofEmail: value)) }
    }

    mutating func nameKey(_ name: UnsafeBufferPointer<UInt8>, in book: SharedAccountBook) -> AccountBook.LeadNameKey {
        if name.isEmpty { return .none }
        return companies.value(utf8: name) { book.book.nameKey(companyKey.distinctiveKey(String(decoding: name, as: UTF8.self)) ?? "") }
    }
}

/// The account book behind one reference, for the lookups' closures: capturing the book itself copied
/// its arrays and dictionaries (a retain and a release each) on every lead, found in the caches or not.
final class SharedAccountBook: Sendable {
    let book: AccountBook

    init(_ book: AccountBook) { self.book = book }
}
