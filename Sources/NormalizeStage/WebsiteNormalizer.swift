import DomainNames

/// Canonical website URLs: `HTTP://WWW.Acme.com/?utm_source=x#top` → `http://www.acme.com`.
enum WebsiteNormalizer {
    /// The canonical URL (scheme and host lower-cased, default port, tracking parameters, fragment and
    /// trailing slash dropped), or `nil` when the value holds no usable host.
    static func canonicalURL(_ value: String) -> (url: String, host: String)? {
        guard let host = HostName.fromWebsite(value) else { return nil }
        var rest = Substring(value)
        var scheme = "https"
        if let schemeEnd = rest.range(of: "://") {
            scheme = rest[..<schemeEnd.lowerBound].lowercased()
            rest = rest[schemeEnd.upperBound...]
        }
        var path = ""
        var query = ""
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            var tail = rest[slash...]
            if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
            if let q = tail.firstIndex(of: "?") {
                query = tail[tail.index(after: q)...].split(separator: "&")
                    .filter { !$0.lowercased().hasPrefix("utm_") && !$0.lowercased().hasPrefix("gclid=") && !$0.lowercased().hasPrefix("fbclid=") }
                    .joined(separator: "&")
                tail = tail[..<q]
            }
            path = String(tail)
            while path.hasSuffix("/") { path.removeLast() }
        }
        return (scheme + "://" + host + path + (query.isEmpty ? "" : "?" + query), host)
    }
}
