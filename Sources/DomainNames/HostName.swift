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
        if isASCII, let fast = asciiLowerCaseHost(host) { return fast }
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

    /// Validates and lower-cases an all-ASCII host in one pass, the common case.
    private static func asciiLowerCaseHost(_ host: String) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(host.utf8.count)
        var labelLength = 0
        for b in host.utf8 {
            if b == UInt8(ascii: ".") {
                guard labelLength > 0 else { return nil }
                labelLength = 0
                out.append(b)
                continue
            }
            labelLength += 1
            if labelLength > 63 { return nil }
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        guard labelLength > 0, out.count <= 253 else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// The Unicode (U-label) form of an ASCII host, for display.
    package static func unicodeForm(_ host: String) -> String {
        host.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            let lower = label.lowercased()
            guard lower.hasPrefix("xn--"), let decoded = Punycode.decode(String(lower.dropFirst(4))) else { return String(label) }
            return decoded
        }.joined(separator: ".")
    }

    /// The host of a website value: a full URL, `www.acme.com/about`, or a bare host. Lower-cased ASCII form.
    ///
    /// Returns `nil` for values that hold no plausible host (no dot, spaces, a scheme other than http(s)).
    /// Works on UTF-8 bytes: it runs for every row of a list, and Foundation's string search is slow here.
    public static func fromWebsite(_ value: String) -> String? {
        var bytes = Array(value.utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        var start = 0
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        if let schemeEnd = find(Array("://".utf8), in: bytes, from: start) {
            let scheme = bytes[start..<schemeEnd].map { $0 | 0x20 }
            guard scheme == Array("http".utf8) || scheme == Array("https".utf8) else { return nil }
            start = schemeEnd + 3
        } else if bytes.count - start >= 2, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/") {
            start += 2
        }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") { end += 1 }
        // Drop credentials (`user:pw@`) and a numeric port.
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
        if bytes[start..<end].first != UInt8(ascii: "["), let colon = bytes[start..<end].lastIndex(of: UInt8(ascii: ":")),
           bytes[(colon + 1)..<end].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            end = colon
        }
        let host = bytes[start..<end]
        guard host.contains(UInt8(ascii: ".")), !host.contains(where: { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == 0x09 }) else { return nil }
        return asciiForm(String(decoding: host, as: UTF8.self))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
