import Foundation

/// The Public Suffix List (https://publicsuffix.org), used to find a host's registrable domain:
/// `shop.acme.co.uk` → `acme.co.uk`.
///
/// The list ships as `Resources/public_suffix_list.dat` (MPL-2.0, header kept in the file).
/// Rules follow the PSL algorithm: the longest matching rule wins, exception rules (`!`) beat
/// wildcards (`*`), and an unlisted TLD counts as a public suffix (the implicit `*` rule).
public final class PublicSuffixList: Sendable {
    private let rules: Set<String>
    private let wildcards: Set<String>
    private let exceptions: Set<String>

    /// The list shipped with LeadHygiene, loaded once.
    public static let shared: PublicSuffixList = {
        guard let url = Bundle.module.url(forResource: "public_suffix_list", withExtension: "dat"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled public_suffix_list.dat is missing from the DomainNames resources")
        }
        return PublicSuffixList(text: text)
    }()

    /// Parses list text in the PSL file format.
    public init(text: String) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.prefix { !$0.isWhitespace }
            guard !line.isEmpty, !line.hasPrefix("//") else { continue }
            var rule = String(line)
            let isException = rule.hasPrefix("!")
            if isException { rule.removeFirst() }
            guard let ascii = HostName.asciiForm(rule.replacingOccurrences(of: "*.", with: "")) else {
                if rule == "*" { continue }
                continue
            }
            if isException {
                exceptions.insert(ascii)
            } else if rule.hasPrefix("*.") {
                wildcards.insert(ascii)
            } else {
                rules.insert(ascii)
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The public suffix of an ASCII, lower-case host (`co.uk` for `shop.acme.co.uk`).
    public func publicSuffix(of host: String) -> String {
        let utf8 = host.utf8
        var starts = [utf8.startIndex]
        for i in utf8.indices where utf8[i] == UInt8(ascii: ".") { starts.append(utf8.index(after: i)) }
        // From the longest candidate to the shortest: the first (longest) match wins.
        for (n, start) in starts.enumerated() {
            let candidate = String(host[start...])
            let parent = n + 1 < starts.count ? String(host[starts[n + 1]...]) : nil
            if exceptions.contains(candidate) { return parent ?? candidate }
            if rules.contains(candidate) { return candidate }
            if let parent, wildcards.contains(parent) { return candidate }
        }
        return String(host[starts.last!...])
    }

    /// The registrable domain (public suffix plus one label), or `nil` when the host is itself a public suffix.
    public func registrableDomain(of host: String) -> String? {
        var host = host
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, !host.hasPrefix("["), !isIPv4(host) else { return nil }
        let suffix = publicSuffix(of: host)
        guard host.count > suffix.count else { return nil }
        let head = host.dropLast(suffix.count + 1)
        guard let lastLabel = head.split(separator: ".").last else { return nil }
        return lastLabel + "." + suffix
    }

    private func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
