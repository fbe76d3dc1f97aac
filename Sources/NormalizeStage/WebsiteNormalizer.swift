import Foundation
import DomainNames

/// Canonical website URLs: `HTTP://WWW.Acme.com/?utm_source=x#top` → `http://www.acme.com`.
enum WebsiteNormalizer {
    /// The canonical URL (scheme and host lower-cased, default port, tracking parameters, fragment and
    /// trailing slash dropped), or `nil` when the value holds no usable host.
    static func canonicalURL(_ value: String) -> (url: String, host: String)? {
        guard let host = HostName.fromWebsite(value) else { return nil }
        var rest = Substring(value)
        var scheme = "https"
        if let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")), rest.utf8[colon...].starts(with: "://".utf8) {
            scheme = rest[..<colon].lowercased().trimmingCharacters(in: .whitespaces)
            rest = rest[rest.utf8.index(colon, offsetBy: 3)...]
        }
        var path = ""
        var query = ""
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            var tail = rest[slash...]
            if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
            if let q = tail.firstIndex(of: "?") {
                query = tail[tail.index(after: q)...].split(separator: "&")
                    .filter { !Self.isTracking($0) }
                    .joined(separator: "&")
                tail = tail[..<q]
            }
            path = String(tail).trimmingCharacters(in: .whitespaces)
            while path.hasSuffix("/") { path.removeLast() }
        }
        return (scheme + "://" + host + path + (query.isEmpty ? "" : "?" + query), host)
    }

    /// Campaign and click identifiers, which say nothing about the site.
    static func isTracking(_ parameter: Substring) -> Bool {
        let lower = parameter.lowercased()
        return lower.hasPrefix("utm_") || lower.hasPrefix("gclid=") || lower.hasPrefix("fbclid=") || lower.hasPrefix("mc_eid=")
    }
}
