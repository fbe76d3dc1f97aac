import DomainNames
import Foundation

/// A set of mail domains (disposable, free-mail) where a listed domain also covers its subdomains.
///
/// Disposable services hand out addresses on generated subdomains (`x7.mailinator.com`), so a
/// lookup walks up the labels: `a.b.mailinator.com`, `b.mailinator.com`, `mailinator.com`.
public struct DomainList: Sendable, Equatable {
    /// The listed domains, lower-case ASCII with A-labels.
    public private(set) var domains: Set<String>

    /// A list of the given domains (IDN entries are stored as A-labels, blanks dropped).
    public init(_ domains: some Sequence<String> = [String]()) {
        self.domains = Set(domains.compactMap(Self.canonical))
    }

    /// Reads a list file: one domain per line, `#` starts a comment.
    public init(text: String) {
        self.init(ListFile.entries(in: text))
    }

    /// A list shipped in the stage's `Resources` folder.
    public static func bundled(_ name: String) -> DomainList {
        DomainList(text: ListFile.bundledText(name))
    }

    /// Adds domains (IDN entries are stored as A-labels).
    public mutating func add(_ entries: some Sequence<String>) { domains.formUnion(entries.compactMap(Self.canonical)) }

    /// Removes domains, so a pipeline can take a false positive off a shipped list.
    public mutating func remove(_ entries: some Sequence<String>) { domains.subtract(entries.compactMap(Self.canonical)) }

    /// The listed entry that covers a lower-case ASCII domain: the domain itself or its nearest listed parent.
    public func entry(covering domain: String) -> String? {
        guard !domains.isEmpty else { return nil }
        if domains.contains(domain) { return domain }
        // Walk the dots on the UTF-8 view: Character iteration would run grapheme breaking per byte.
        let utf8 = domain.utf8
        var index = utf8.startIndex
        while let dot = utf8[index...].firstIndex(of: UInt8(ascii: ".")) {
            index = utf8.index(after: dot)
            let parent = String(domain[index...])
            if domains.contains(parent) { return parent }
        }
        return nil
    }

    /// Whether a domain or one of its parents is listed.
    public func covers(_ domain: String) -> Bool { entry(covering: domain) != nil }

    static func canonical(_ entry: String) -> String? {
        // Shipped lists are already lower-case ASCII; skip the IDNA work for them.
        if !entry.isEmpty, entry.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }),
           entry.first != ".", entry.last != "." {
            return entry
        }
        let trimmed = entry.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return HostName.asciiForm(trimmed)
    }
}
