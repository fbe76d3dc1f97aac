/// Domains that no mail on the internet reaches, whatever DNS says: IANA's special-use domain names
/// registry and the names RFC 2606 reserves for documentation.
///
/// An address on one of them is `invalid` (`email_special_use_domain`) before any lookup; the detail
/// names the domain and the RFC that reserves it.
public struct SpecialUseDomains: Sendable, Equatable {
    /// A reserved name and the rule that reserves it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var rule: String
    }

    /// The reserved names; a domain matches a name or any name under it.
    public static let registry: [Entry] = [
        Entry(name: "arpa", rule: "RFC 3172: infrastructure, not mail"),
        Entry(name: "example", rule: "RFC 2606 §2, RFC 6761 §6.5: documentation"),
        Entry(name: "example.com", rule: "RFC 2606 §3, RFC 6761 §6.5: documentation"),
        Entry(name: "example.net", rule: "RFC 2606 §3, RFC 6761 §6.5: documentation"),
        Entry(name: "example.org", rule: "RFC 2606 §3, RFC 6761 §6.5: documentation"),
        Entry(name: "invalid", rule: "RFC 2606 §2, RFC 6761 §6.4: never resolves"),
        Entry(name: "local", rule: "RFC 6762: link-local multicast DNS"),
        Entry(name: "localhost", rule: "RFC 2606 §2, RFC 6761 §6.3: the local host"),
        Entry(name: "onion", rule: "RFC 7686: Tor onion services"),
        Entry(name: "test", rule: "RFC 2606 §2, RFC 6761 §6.2: testing"),
        Entry(name: "alt", rule: "RFC 9476: non-DNS name systems"),
    ]

    private let entries: [String: Entry]

    /// The registry without the names in `allowed` (`special_use_domains.allow`, e.g. `[test]` for a staging zone).
    public init(allowing allowed: [String] = []) {
        let allowedSet = Set(allowed.map { $0.lowercased() })
        entries = Dictionary(uniqueKeysWithValues: Self.registry.filter { !allowedSet.contains($0.name) }.map { ($0.name, $0) })
    }

    /// The entry covering a lower-case ASCII domain: the domain itself or one of its parents.
    public func entry(covering domain: String) -> Entry? {
        guard !entries.isEmpty else { return nil }
        var rest = Substring(domain)
        while true {
            if let entry = entries[String(rest)] { return entry }
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            rest = rest[rest.index(after: dot)...]
        }
    }
}
