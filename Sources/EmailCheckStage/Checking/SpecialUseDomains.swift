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

    /// The names still reserved, longest first: the first whose name ends the domain is the nearest.
    private let entries: [Entry]
    /// `entries`' names as bytes, in the same order.
    private let names: [[UInt8]]

    /// The registry without the names in `allowed` (`special_use_domains.allow`, e.g. `[test]` for a staging zone).
    public init(allowing allowed: [String] = []) {
        let allowedSet = Set(allowed.map { $0.lowercased() })
        entries = Self.registry.filter { !allowedSet.contains($0.name) }.sorted { $0.name.utf8.count > $1.name.utf8.count }
        names = entries.map { Array($0.name.utf8) }
    }

    /// The entry covering a lower-case ASCII domain: the domain itself or one of its parents.
    ///
    /// Called for every address, so it compares bytes: a dozen suffix tests cost less than hashing each parent.
    public func entry(covering domain: String) -> Entry? {
        var domain = domain
        let index = domain.withUTF8 { bytes in
            names.firstIndex { name in name.withUnsafeBufferPointer { Self.covers(bytes, $0) } }
        }
        return index.map { entries[$0] }
    }

    /// Whether `domain` is `name` or ends with `.name`.
    private static func covers(_ domain: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard domain.count >= name.count else { return false }
        let start = domain.count - name.count
        if start > 0 && domain[start - 1] != UInt8(ascii: ".") { return false }
        for k in 0..<name.count where domain[start + k] != name[k] { return false }
        return true
    }
}
