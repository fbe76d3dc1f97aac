import DomainNames

/// Canonical website URLs: `HTTP://WWW.Acme.com/?utm_source=x#top` → `http://www.acme.com`.
enum WebsiteNormalizer {
    /// The canonical URL (scheme and host lower-cased, credentials, port, tracking parameters, fragment
    /// and trailing slash dropped), or `nil` when the value holds no usable host.
    static func canonicalURL(_ value: String) -> (url: String, host: String)? {
        guard let host = HostName.fromWebsite(value) else { return nil }
        let bytes = Array(value.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        var scheme = "https"
        var i = start
        while i + 2 < end, bytes[i] != UInt8(ascii: "/") {
            if bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/") {
                scheme = String(decoding: bytes[start..<i].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                start = i + 3
                break
            }
            i += 1
        }
        // Path and query start after the authority.
        var pathStart = start
        while pathStart < end, bytes[pathStart] != UInt8(ascii: "/"), bytes[pathStart] != UInt8(ascii: "?"),
              bytes[pathStart] != UInt8(ascii: "#") { pathStart += 1 }
        var pathEnd = pathStart
        while pathEnd < end, bytes[pathEnd] != UInt8(ascii: "?"), bytes[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
        var path = Array(bytes[pathStart..<pathEnd])
        while path.last == UInt8(ascii: "/") { path.removeLast() }
        var query = ""
        if pathEnd < end, bytes[pathEnd] == UInt8(ascii: "?") {
            var queryEnd = pathEnd + 1
            while queryEnd < end, bytes[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
            query = bytes[(pathEnd + 1)..<queryEnd].split(separator: UInt8(ascii: "&"))
                .filter { !isTracking($0) }
                .map { String(decoding: $0, as: UTF8.self) }
                .joined(separator: "&")
        }
        return (scheme + "://" + host + String(decoding: path, as: UTF8.self) + (query.isEmpty ? "" : "?" + query), host)
    }

    /// Campaign and click identifiers, which say nothing about the site.
    static func isTracking(_ parameter: ArraySlice<UInt8>) -> Bool {
        let lower = parameter.prefix(7).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lower.starts(with: "utm_".utf8) || lower.starts(with: "gclid=".utf8)
            || lower.starts(with: "fbclid=".utf8) || lower.starts(with: "mc_eid=".utf8)
    }
}
