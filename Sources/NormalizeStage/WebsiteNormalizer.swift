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

    /// What ``canonical(_:psl:)`` made of a website value.
    enum Canonical {
        /// The value is not printable ASCII without spaces: use ``canonicalURL(_:)``.
        case notPlainASCII
        /// ``canonicalURL(_:)`` would return `nil`.
        case unparseable
        /// The canonical URL and the registrable domain of its host (empty when the host is a public suffix).
        case url(String, domain: String)
    }

    /// ``canonicalURL(_:)`` plus the host's registrable domain, on the bytes of a value that is all
    /// printable ASCII (0x21–0x7E), the common case; two strings built, nothing else.
    ///
    /// Without white space or control bytes, ``HostName/fromWebsite(_:)``'s trimming and
    /// ``canonicalURL(_:)``'s do nothing, and both find the same `://`: a scheme that passed as `http`
    /// or `https` holds no `/`, so the scan before the first `/` sees it too.
    static func canonical(_ bytes: UnsafeBufferPointer<UInt8>, psl: PublicSuffixList.Matcher) -> Canonical {
        let end = bytes.count
        for b in bytes where b < 0x21 || b > 0x7E { return .notPlainASCII }
        guard end > 0, let base = bytes.baseAddress else { return .unparseable }
        // HostName.fromWebsite: scheme, then the authority without credentials and port.
        var hostStart = 0
        var pathFrom = 0
        var secure = true
        if let s = find(base, end) {
            let scheme = s == 4 || s == 5
                && base[0] | 0x20 == UInt8(ascii: "h") && base[1] | 0x20 == UInt8(ascii: "t")
                && base[2] | 0x20 == UInt8(ascii: "t") && base[3] | 0x20 == UInt8(ascii: "p")
                && (s == 4 || base[4] | 0x20 == UInt8(ascii: "s"))
            guard scheme else { return .unparseable }
            secure = s == 5
            hostStart = s + 3
            pathFrom = s + 3
        } else if end >= 2 && base[0] == UInt8(ascii: "/") && base[1] == UInt8(ascii: "/") {
            hostStart = 2
        }
        var hostEnd = hostStart
        while hostEnd < end, base[hostEnd] != UInt8(ascii: "/"), base[hostEnd] != UInt8(ascii: "?"), base[hostEnd] != UInt8(ascii: "#") {
            hostEnd += 1
        }
        var at = hostEnd
        while at > hostStart {
            at -= 1
            if base[at] == UInt8(ascii: "@") {
                hostStart = at + 1
                break
            }
        }
        if hostStart == hostEnd || base[hostStart] != UInt8(ascii: "[") {
            var colon = hostEnd
            while colon > hostStart {
                colon -= 1
                if base[colon] == UInt8(ascii: ":") {
                    var digits = true
                    for k in (colon + 1)..<hostEnd where base[k] < 0x30 || base[k] > 0x39 { digits = false; break }
                    if digits { hostEnd = colon }
                    break
                }
            }
        }
        var dot = false
        for k in hostStart..<hostEnd {
            if base[k] == UInt8(ascii: ".") { dot = true }
            if base[k] == UInt8(ascii: ",") { return .unparseable }
        }
        guard dot else { return .unparseable }
        // HostName.asciiForm: one trailing dot dropped; labels of 1–63 octets, at most 253 in all.
        if base[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
        guard hostEnd > hostStart, hostEnd - hostStart <= 253 else { return .unparseable }
        var labelLength = 0
        for k in hostStart..<hostEnd {
            if base[k] == UInt8(ascii: ".") {
                guard labelLength > 0 else { return .unparseable }
                labelLength = 0
            } else {
                labelLength += 1
                guard labelLength <= 63 else { return .unparseable }
            }
        }
        guard labelLength > 0 else { return .unparseable }

        // canonicalURL: path after the authority, trailing slashes dropped; query without tracking parameters.
        var pathStart = pathFrom
        while pathStart < end, base[pathStart] != UInt8(ascii: "/"), base[pathStart] != UInt8(ascii: "?"),
              base[pathStart] != UInt8(ascii: "#") { pathStart += 1 }
        var pathEnd = pathStart
        while pathEnd < end, base[pathEnd] != UInt8(ascii: "?"), base[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
        var trimmedPathEnd = pathEnd
        while trimmedPathEnd > pathStart && base[trimmedPathEnd - 1] == UInt8(ascii: "/") { trimmedPathEnd -= 1 }
        var queryEnd = pathEnd
        if pathEnd < end, base[pathEnd] == UInt8(ascii: "?") {
            queryEnd = pathEnd + 1
            while queryEnd < end, base[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
        }
        var domain = ""
        // The host and the path each fit in `end`; both hold it all for `//host/x`, whose path starts at 0.
        let url = String(unsafeUninitializedCapacity: 2 * end + 9) { out -> Int in
            var n = 0
            func put(_ b: UInt8) {
                out[n] = b
                n += 1
            }
            for b in (secure ? "https://" : "http://").utf8 { put(b) }
            let hostOut = n
            for k in hostStart..<hostEnd {
                let b = base[k]
                put(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
            if let range = psl.registrableDomain(UnsafePointer(out.baseAddress!), hostOut, n) {
                domain = String(decoding: UnsafeBufferPointer(rebasing: out[range]), as: UTF8.self)
            }
            for k in pathStart..<trimmedPathEnd { put(base[k]) }
            if queryEnd > pathEnd {
                // Parameters split on `&` (empty ones dropped), tracking ones left out, the rest joined by `&`.
                var wroteQuery = false
                var p = pathEnd + 1
                while p < queryEnd {
                    var q = p
                    while q < queryEnd && base[q] != UInt8(ascii: "&") { q += 1 }
                    if q > p && !isTracking(bytes[p..<q]) {
                        put(wroteQuery ? UInt8(ascii: "&") : UInt8(ascii: "?"))
                        wroteQuery = true
                        for k in p..<q { put(base[k]) }
                    }
                    p = q + 1
                }
            }
            return n
        }
        return .url(url, domain: domain)
    }

    /// The first `://` in the value.
    private static func find(_ base: UnsafePointer<UInt8>, _ end: Int) -> Int? {
        var i = 0
        while i + 3 <= end {
            if base[i] == UInt8(ascii: ":") && base[i + 1] == UInt8(ascii: "/") && base[i + 2] == UInt8(ascii: "/") { return i }
            i += 1
        }
        return nil
    }

    /// Campaign and click identifiers, which say nothing about the site.
    static func isTracking(_ parameter: some Collection<UInt8>) -> Bool {
        let lower = parameter.prefix(7).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lower.starts(with: "utm_".utf8) || lower.starts(with: "gclid=".utf8)
            || lower.starts(with: "fbclid=".utf8) || lower.starts(with: "mc_eid=".utf8)
    }
}
