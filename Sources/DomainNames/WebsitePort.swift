/// The port written in a website value's authority (`http://acme.com:8080/`), read the way
/// ``HostName/fromWebsite(_:)`` finds the host, so the two always agree on where the host ends.
public enum WebsitePort: Sendable, Equatable {
    /// No port, or an empty one (`acme.com:`): the scheme's default applies.
    case unspecified
    /// A port from 1 to 65535, as written (a scheme's default port included).
    case number(Int)
    /// Digits that are no TCP port (0, or above 65535): the value names no reachable site.
    case invalid

    /// Reads the port of `value`, a full URL, `www.acme.com:8080/about` or a bare `host:port`.
    public init(website value: String) {
        var bytes = Substring(value).utf8[...]
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        if let schemeEnd = Self.schemeSeparator(in: bytes) {
            bytes = bytes[schemeEnd...].dropFirst(3)
        } else if bytes.starts(with: "//".utf8) {
            bytes = bytes.dropFirst(2)
        }
        var authority = bytes.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        // Trailing white space belongs to the value, not the port (fromWebsite trims it first).
        while let last = authority.last, isSpace(last) { authority = authority.dropLast() }
        // A bracketed IPv6 literal is no website host (it has no dot); its colons are not a port.
        guard authority.first != UInt8(ascii: "["), let colon = authority.lastIndex(of: UInt8(ascii: ":")) else {
            self = .unspecified
            return
        }
        let digits = authority[authority.index(after: colon)...]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            self = .unspecified   // not a port at all: fromWebsite keeps it in the host, which then fails
            return
        }
        guard !digits.isEmpty else {
            self = .unspecified
            return
        }
        var number = 0
        for digit in digits {
            number = number * 10 + Int(digit - 0x30)
            if number > 65_535 { break }
        }
        self = (1...65_535).contains(number) ? .number(number) : .invalid
    }

    /// The port to write in a URL with `scheme`: `nil` when unspecified or the scheme's default (80, 443).
    public func explicit(for scheme: String) -> Int? {
        guard case .number(let port) = self else { return nil }
        return Self.defaultPort(scheme) == port ? nil : port
    }

    /// The scheme a value written without one implies: `http` on port 80, `https` on 443, else `nil`.
    public var impliedScheme: String? {
        switch self {
        case .number(80): "http"
        case .number(443): "https"
        default: nil
        }
    }

    /// 80 for http, 443 for https (RFC 9110 §4.2).
    public static func defaultPort(_ scheme: String) -> Int? {
        switch scheme.lowercased() {
        case "http": 80
        case "https": 443
        default: nil
        }
    }

    private static func schemeSeparator(in bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.Index? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i...].starts(with: "://".utf8) { return i }
            i = bytes.index(after: i)
        }
        return nil
    }
}
