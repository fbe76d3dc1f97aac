/// Suggests the domain a user probably meant (`gmial.com` → `gmail.com`, `acme.con` → `acme.com`).
///
/// Suggestions fill the `email_suggestion` column and never rewrite the address: a domain one edit
/// away from a big provider may be a real company, and the user decides.
///
/// Three rules, from `typo_domains.tsv`, in order: a listed misspelling of a whole domain; a
/// misspelled top-level domain (`.con`), which is replaced; and, for domains not known to be real,
/// one edit (insert, delete, substitute, or swap two neighbours) away from a listed provider
/// (lines starting with `~`). Providers shorter than 8 characters are left out of the edit rule,
/// where one edit turns too many real domains into each other.
public struct DomainTypoSuggester: Sendable {
    private var wholeDomainFixes: [String: String] = [:]
    private var topLevelFixes: [String: String] = [:]
    private var providers: [String] = []
    /// The providers' bytes, for the one-edit rule (8 characters or more).
    private var providerBytes: [(name: String, bytes: [UInt8])] = []
    private var known: Set<String> = []

    /// Reads the rules from the text of a `typo_domains.tsv` file.
    /// - Parameter knownDomains: real domains that are never "corrected" (the free-mail list).
    public init(text: String, knownDomains: Set<String> = []) {
        known = knownDomains
        for line in ListFile.entries(in: text) {
            if line.hasPrefix("~") {
                let provider = String(line.dropFirst()).lowercased()
                providers.append(provider)
                if provider.utf8.count >= 8 { providerBytes.append((provider, Array(provider.utf8))) }
                known.insert(provider)
                continue
            }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count == 2 else { continue }
            let wrong = fields[0].lowercased(), right = fields[1].lowercased()
            if wrong.hasPrefix(".") {
                topLevelFixes[String(wrong.dropFirst())] = String(right.dropFirst())
            } else {
                wholeDomainFixes[wrong] = right
                known.insert(right)
            }
        }
    }

    /// The rules shipped in the stage's `Resources` folder.
    public static func bundled(knownDomains: Set<String>) -> DomainTypoSuggester {
        DomainTypoSuggester(text: ListFile.bundledText("typo_domains.tsv"), knownDomains: knownDomains)
    }

    /// The suggested domain for a lower-case ASCII domain, or `nil` when it looks right.
    public func suggestion(for domain: String) -> String? {
        if let fixed = wholeDomainFixes[domain] { return fixed }
        if known.contains(domain) { return nil }
        var candidate = domain
        if let dot = domain.utf8.lastIndex(of: UInt8(ascii: ".")), let tld = topLevelFixes[String(domain[domain.utf8.index(after: dot)...])] {
            candidate = domain[..<dot] + "." + tld
            if let fixed = wholeDomainFixes[candidate] { return fixed }
            if known.contains(candidate) { return candidate }
        }
        if let provider = nearestProvider(to: candidate) { return provider }
        return candidate == domain ? nil : candidate
    }

    private func nearestProvider(to domain: String) -> String? {
        let length = domain.utf8.count
        guard providerBytes.contains(where: { abs($0.bytes.count - length) <= 1 }) else { return nil }
        let a = Array(domain.utf8)
        for provider in providerBytes where abs(provider.bytes.count - a.count) <= 1 {
            if Self.isOneEditApart(a, provider.bytes) { return provider.name }
        }
        return nil
    }

    /// Optimal-string-alignment distance is exactly 1 (one insertion, deletion, substitution or adjacent swap).
    static func isOneEditApart(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a != b else { return false }
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        if a.count == b.count {
            // one substitution, or one swap of neighbours
            if a[(i + 1)...] == b[(i + 1)...] { return true }
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]
        }
        if a.count + 1 == b.count { return a[i...] == b[(i + 1)...] }
        if a.count == b.count + 1 { return a[(i + 1)...] == b[i...] }
        return false
    }
}
