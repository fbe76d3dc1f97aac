import Foundation

/// Host-name handling shared by the stages: lower-casing, IDNA A-labels, and pulling the host out of a URL.
public enum HostName {
    /// The ASCII (A-label) form of a host: lower-cased, NFC, each non-ASCII label Punycode-encoded.
    ///
    /// Returns `nil` when a label is empty, too long (63 octets) or the whole name exceeds 253 octets.
    /// This is the lookup form; it applies NFC and lower-casing, not the full UTS #46 mapping table.
    public static func asciiForm(_ host: String) -> String? {
        var host = host
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty else { return nil }
        let isASCII = host.utf8.allSatisfy { $0 < 0x80 }
        let source = isASCII ? host.lowercased() : host.precomposedStringWithCanonicalMapping.lowercased()
        var labels: [String] = []
        // UTS #46 treats the ideographic and fullwidth full stops as label separators.
        for label in source.split(separator: ".", omittingEmptySubsequences: false)
            .flatMap({ $0.split(omittingEmptySubsequences: false, whereSeparator: { "。．｡".contains($0) }) }) {
            guard !label.isEmpty else { return nil }
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                labels.append(String(label))
            } else {
                guard let encoded = Punycode.encode(String(label)) else { return nil }
                labels.append("xn--" + encoded)
            }
            guard labels.last!.utf8.count <= 63 else { return nil }
        }
        let result = labels.joined(separator: ".")
        return result.utf8.count <= 253 ? result : nil
    }

    /// The Unicode (U-label) form of an ASCII host, for display.
    public static func unicodeForm(_ host: String) -> String {
        host.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            let lower = label.lowercased()
            guard lower.hasPrefix("xn--"), let decoded = Punycode.decode(String(lower.dropFirst(4))) else { return String(label) }
            return decoded
        }.joined(separator: ".")
    }

    /// The host of a website value: a full URL, `www.acme.com/about`, or a bare host. Lower-cased ASCII form.
    ///
    /// Returns `nil` for values that hold no plausible host (no dot, spaces, IP literals are kept as they are).
    public static func fromWebsite(_ value: String) -> String? {
        var text = Substring(value.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !text.isEmpty else { return nil }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            text = text[schemeEnd.upperBound...]
        } else if text.hasPrefix("//") {
            text = text.dropFirst(2)
        }
        if let end = text.firstIndex(where: { "/?#".contains($0) }) { text = text[..<end] }
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if let colon = text.lastIndex(of: ":"), !text.hasPrefix("["),
           text[text.index(after: colon)...].allSatisfy(\.isNumber) {
            text = text[..<colon]
        }
        guard text.contains("."), !text.contains(where: { $0 == " " || $0 == "," }) else { return nil }
        return asciiForm(String(text))
    }
}
