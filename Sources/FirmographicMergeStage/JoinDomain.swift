import DomainNames
import LeadFacts

/// The registrable domain a website, URL, bare host or email address joins on.
///
/// The join runs on every lead, so the common shape — ASCII `scheme://host/path`, `www.host`,
/// `host`, `user@host` — is parsed on the UTF-8 bytes without Foundation; anything unusual
/// (non-ASCII, ports, IP literals) goes through `HostName`, which handles IDNA.
enum JoinDomain {
    /// Parsing plus the Public Suffix List walk cost microseconds, and leads repeat their values.
    private static let cache = SharedByteMemo<String?>()

    static func registrable(_ value: String) -> String? {
        guard !value.isEmpty else { return nil }
        return cache.value(value) {
            guard let host = asciiHost(value) ?? slowHost(value) else { return nil }
            return PublicSuffixList.shared.registrableDomain(of: host)
        }
    }

    /// The lower-cased host of a plain ASCII value, or `nil` to take the general path.
    static func asciiHost(_ value: String) -> String? {
        var bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        for i in start..<end where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 } // ASCII lower-case
        // An email address: the host is after the last `@`.
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")), !bytes[start..<end].contains(UInt8(ascii: "/")) {
            start = at + 1
        } else {
            if let colon = bytes[start..<end].firstIndex(of: UInt8(ascii: ":")) {
                // Only http(s)://; other schemes (mailto:, ftp:) and host:port take the general path.
                let scheme = bytes[start..<colon]
                guard scheme.elementsEqual("http".utf8) || scheme.elementsEqual("https".utf8),
                      colon + 2 < end, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F else { return nil }
                start = colon + 3
            } else if end - start > 2, bytes[start] == 0x2F, bytes[start + 1] == 0x2F {
                start += 2
            }
            if let stop = bytes[start..<end].firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) { end = stop }
        }
        var sawDot = false
        for i in start..<end {
            let b = bytes[i]
            if b == 0x2E { sawDot = true; continue }
            // Letters, digits and hyphens only (RFC 1123 §2.1); anything else (ports, userinfo) takes the general path.
            guard (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 0x2D else { return nil }
        }
        guard sawDot, end > start, bytes[start] != 0x2E else { return nil }
        if bytes[end - 1] == 0x2E { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func slowHost(_ value: String) -> String? {
        if let at = value.lastIndex(of: "@"), !value.contains("/") {
            return HostName.asciiForm(String(value[value.index(after: at)...]).trimmingCharacters(in: .whitespaces))
        }
        return HostName.fromWebsite(value)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs; returns `self` untouched (no copy) in the usual case.
    var trimmedSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return self }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == 0x20 || utf8[utf8.index(before: end)] == 0x09 { end = utf8.index(before: end) }
        return String(self[start..<end])
    }

    /// Case-insensitive equality for ASCII text, falling back to Unicode lower-casing otherwise.
    func equalsIgnoringCase(_ other: String) -> Bool {
        if self == other { return true }
        let a = self.utf8, b = other.utf8
        if a.count == b.count, a.allSatisfy({ $0 < 0x80 }), b.allSatisfy({ $0 < 0x80 }) {
            return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 97 && (x | 0x20) <= 122) }
        }
        return lowercased() == other.lowercased()
    }
}
