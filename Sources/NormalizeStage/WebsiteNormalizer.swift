import DomainNames
import Foundation
import LeadRecords

/// Canonical website URLs: `HTTP://WWW.Acme.com/?utm_source=x#top` → `http://www.acme.com`.
enum WebsiteNormalizer {
    /// The canonical URL (scheme and host lower-cased; credentials, the scheme's default port, tracking
    /// parameters, fragment and trailing slash dropped), or `nil` when the value holds no usable host.
    ///
    /// A non-default port is kept (`http://acme.com:8080`): the site lives there, and dropping it would
    /// send every later stage to port 80. A value without a scheme but with port 80 means http.
    static func canonicalURL(_ value: String) -> (url: String, host: String)? {
        guard let host = HostName.fromWebsite(value) else { return nil }
        let port = WebsitePort(website: value)
        if port == .invalid { return nil }
        let bytes = Array(value.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        var scheme = "https"
        var hasScheme = false
        var i = start
        while i + 2 < end, bytes[i] != UInt8(ascii: "/") {
            if bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/") {
                scheme = String(decoding: bytes[start..<i].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                start = i + 3
                hasScheme = true
                break
            }
            i += 1
        }
        if !hasScheme, let implied = port.impliedScheme { scheme = implied }
        let portSuffix = port.explicit(for: scheme).map { ":\($0)" } ?? ""
        // A scheme-relative `//host/path` has its authority after the two slashes.
        if !hasScheme, start + 1 < end, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/") {
            start += 2
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
        return (scheme + "://" + host + portSuffix + String(decoding: path, as: UTF8.self) + (query.isEmpty ? "" : "?" + query), host)
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
        switch parse(bytes) {
        case .notPlainASCII: return .notPlainASCII
        case .unparseable: return .unparseable
        case .parts(let parts):
            var domain = ""
            let url = String(unsafeUninitializedCapacity: parts.capacity) { buffer -> Int in
                let out = buffer.baseAddress!
                let (count, registrable) = write(parts, bytes, psl: psl, into: out)
                if let range = registrable {
                    domain = String(decoding: UnsafeBufferPointer(start: out + range.lowerBound, count: range.count), as: UTF8.self)
                }
                return count
            }
            return .url(url, domain: domain)
        }
    }

    /// What ``appendCanonical(_:psl:to:)`` did.
    enum Appended {
        /// As ``Canonical/notPlainASCII``; nothing appended.
        case notPlainASCII
        /// As ``Canonical/unparseable``; nothing appended.
        case unparseable
        /// The canonical URL is appended; the registrable domain of its host as a range of the appended bytes.
        case appended(domain: Range<Int>?)
    }

    /// ``canonical(_:psl:)`` with the URL written straight into the value `values` is writing.
    static func appendCanonical(_ bytes: UnsafeBufferPointer<UInt8>, psl: PublicSuffixList.Matcher, to values: ColumnValues) -> Appended {
        switch parse(bytes) {
        case .notPlainASCII: return .notPlainASCII
        case .unparseable: return .unparseable
        case .parts(let parts):
            var domain: Range<Int>?
            values.append(upTo: parts.capacity) { out in
                let (count, registrable) = write(parts, bytes, psl: psl, into: out)
                domain = registrable
                return count
            }
            return .appended(domain: domain)
        }
    }

    /// Where the parts of a printable-ASCII website value lie, as ``parse(_:)`` finds them.
    struct Parts {
        var hostStart: Int, hostEnd: Int, secure: Bool, explicitPort: Int
        var pathStart: Int, trimmedPathEnd: Int, pathEnd: Int, queryEnd: Int
        /// Room for the canonical URL: the value, plus a scheme it may lack.
        var capacity: Int
    }

    /// ``canonical(_:psl:)``'s reading of the value, before anything is written.
    enum Parsed {
        case notPlainASCII, unparseable
        case parts(Parts)
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        let end = bytes.count
        guard end > 0, let base = bytes.baseAddress else { return .unparseable }
        // Printable ASCII only: eight bytes at a time (exact tests for any byte below 0x21 and any from 0x7F),
        // the rest one by one.
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let below = (word &- 0x2121_2121_2121_2121) & ~word
            let above = (word &+ 0x0101_0101_0101_0101) | word
            if (below | above) & 0x8080_8080_8080_8080 != 0 { return .notPlainASCII }
            i += 8
        }
        while i < end {
            if base[i] < 0x21 || base[i] > 0x7E { return .notPlainASCII }
            i += 1
        }
        // Where the first `://` is.
        var schemeEnd = -1
        var from = 0
        while from < end, let colon = memchr(base + from, Int32(UInt8(ascii: ":")), end - from) {
            let c = UnsafePointer(colon.assumingMemoryBound(to: UInt8.self)) - base
            if c + 2 < end && base[c + 1] == UInt8(ascii: "/") && base[c + 2] == UInt8(ascii: "/") {
                schemeEnd = c
                break
            }
            from = c + 1
        }
        // HostName.fromWebsite: scheme, then the authority without credentials and port (kept apart, as WebsitePort).
        var hostStart = 0
        var secure = true
        if schemeEnd >= 0 {
            let s = schemeEnd
            let scheme = s == 4 || s == 5
                && base[0] | 0x20 == UInt8(ascii: "h") && base[1] | 0x20 == UInt8(ascii: "t")
                && base[2] | 0x20 == UInt8(ascii: "t") && base[3] | 0x20 == UInt8(ascii: "p")
                && (s == 4 || base[4] | 0x20 == UInt8(ascii: "s"))
            guard scheme else { return .unparseable }
            secure = s == 5
            hostStart = s + 3
        } else if end >= 2 && base[0] == UInt8(ascii: "/") && base[1] == UInt8(ascii: "/") {
            hostStart = 2
        }
        // The authority ends at `/`, `?` or `#`; the last `@` ends the credentials, the last `:` may start a port.
        var authorityEnd = hostStart
        var lastAt = -1, lastColon = -1
        while authorityEnd < end {
            let b = base[authorityEnd]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { break }
            if b == UInt8(ascii: "@") { lastAt = authorityEnd } else if b == UInt8(ascii: ":") { lastColon = authorityEnd }
            authorityEnd += 1
        }
        if lastAt >= 0 { hostStart = lastAt + 1 }
        var hostEnd = authorityEnd
        var port = 0
        if (hostStart == hostEnd || base[hostStart] != UInt8(ascii: "[")) && lastColon >= hostStart {
            var digits = true
            for k in (lastColon + 1)..<hostEnd where base[k] < 0x30 || base[k] > 0x39 {
                digits = false
                break
            }
            if digits {
                hostEnd = lastColon
                // WebsitePort: 1–65535 is a port, no digits is none, anything else names no site.
                for k in (lastColon + 1)..<authorityEnd {
                    port = port * 10 + Int(base[k] - 0x30)
                    if port > 65_535 { return .unparseable }
                }
                if lastColon + 1 < authorityEnd && port == 0 { return .unparseable }
            }
        }
        if schemeEnd < 0 && port == 80 { secure = false }
        let explicitPort = port == 0 || port == (secure ? 443 : 80) ? 0 : port
        // A dot and no comma; then HostName.asciiForm: one trailing dot dropped, labels of 1–63 octets, 253 in all.
        var dot = false
        var labelLength = 0
        var emptyLabel = false
        var longLabel = false
        for k in hostStart..<hostEnd {
            let b = base[k]
            if b == UInt8(ascii: ".") {
                dot = true
                if labelLength == 0 && k < hostEnd - 1 { emptyLabel = true }
                labelLength = 0
            } else {
                if b == UInt8(ascii: ",") { return .unparseable }
                labelLength += 1
                if labelLength > 63 { longLabel = true }
            }
        }
        guard dot, !emptyLabel, !longLabel else { return .unparseable }
        if base[hostEnd - 1] == UInt8(ascii: ".") {
            // The trailing dot goes; the label before it must not be empty (`a..`, `.`).
            hostEnd -= 1
            guard hostEnd > hostStart, base[hostEnd - 1] != UInt8(ascii: ".") else { return .unparseable }
        }
        guard hostEnd > hostStart, hostEnd - hostStart <= 253 else { return .unparseable }

        // canonicalURL: the path starts where the authority ends, trailing slashes dropped; the query
        // loses its tracking parameters.
        let pathStart = authorityEnd
        var pathEnd = pathStart
        while pathEnd < end, base[pathEnd] != UInt8(ascii: "?"), base[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
        var trimmedPathEnd = pathEnd
        while trimmedPathEnd > pathStart && base[trimmedPathEnd - 1] == UInt8(ascii: "/") { trimmedPathEnd -= 1 }
        var queryEnd = pathEnd
        if pathEnd < end, base[pathEnd] == UInt8(ascii: "?") {
            queryEnd = pathEnd + 1
            while queryEnd < end, base[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
        }
        return .parts(Parts(hostStart: hostStart, hostEnd: hostEnd, secure: secure, explicitPort: explicitPort, pathStart: pathStart,
                            trimmedPathEnd: trimmedPathEnd, pathEnd: pathEnd, queryEnd: queryEnd, capacity: end + 8))
    }

    /// Writes the canonical URL of `parts` of `bytes` to `out` (room for `parts.capacity`); returns the count
    /// and the registrable domain of its host as a range of `out`.
    static func write(_ parts: Parts, _ bytes: UnsafeBufferPointer<UInt8>, psl: PublicSuffixList.Matcher,
                      into out: UnsafeMutablePointer<UInt8>) -> (count: Int, domain: Range<Int>?) {
        let base = bytes.baseAddress!
        let (hostStart, hostEnd, secure, explicitPort) = (parts.hostStart, parts.hostEnd, parts.secure, parts.explicitPort)
        let (pathStart, trimmedPathEnd, pathEnd, queryEnd) = (parts.pathStart, parts.trimmedPathEnd, parts.pathEnd, parts.queryEnd)
        // The host, the path and the query are disjoint parts of the value.
        let prefix: StaticString = secure ? "https://" : "http://"
        out.update(from: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var n = prefix.utf8CodeUnitCount
        let hostOut = n
        for k in hostStart..<hostEnd {
            let b = base[k]
            out[n] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            n += 1
        }
        let domain = psl.registrableDomain(UnsafePointer(out), hostOut, n)
        if explicitPort > 0 {
            out[n] = UInt8(ascii: ":")
            n += 1
            for digit in String(explicitPort).utf8 {
                out[n] = digit
                n += 1
            }
        }
        (out + n).update(from: base + pathStart, count: trimmedPathEnd - pathStart)
        n += trimmedPathEnd - pathStart
        if queryEnd > pathEnd {
            // Parameters split on `&` (empty ones dropped), tracking ones left out, the rest joined by `&`.
            var wroteQuery = false
            var p = pathEnd + 1
            while p < queryEnd {
                var q = p
                while q < queryEnd && base[q] != UInt8(ascii: "&") { q += 1 }
                if q > p && !isTracking(bytes[p..<q]) {
                    out[n] = wroteQuery ? UInt8(ascii: "&") : UInt8(ascii: "?")
                    n += 1
                    wroteQuery = true
                    (out + n).update(from: base + p, count: q - p)
                    n += q - p
                }
                p = q + 1
            }
        }
        return (n, domain)
    }

    /// Campaign and click identifiers, which say nothing about the site.
    static func isTracking(_ parameter: some Collection<UInt8>) -> Bool {
        let lower = parameter.prefix(7).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lower.starts(with: "utm_".utf8) || lower.starts(with: "gclid=".utf8)
            || lower.starts(with: "fbclid=".utf8) || lower.starts(with: "mc_eid=".utf8)
    }
}
