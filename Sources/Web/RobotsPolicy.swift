import Foundation

/// A site's robots.txt rules for one crawler, per RFC 9309.
///
/// Build it from the fetch of `/robots.txt` with ``init(fetch:userAgent:)``, which applies the
/// RFC's rules on status codes, or from text with ``init(text:userAgent:)``.
public struct RobotsPolicy: Sendable, Equatable {
    /// One `allow` or `disallow` line of the group that applies.
    public struct Rule: Sendable, Equatable {
        public var allow: Bool
        public var pattern: String
    }

    /// What the policy is based on, for the report.
    public enum Basis: String, Sendable {
        /// Rules parsed from a robots.txt.
        case rules
        /// 4xx: no robots.txt, everything allowed (RFC 9309 §2.3.1.3).
        case unavailable
        /// 5xx or unreachable: everything disallowed (RFC 9309 §2.3.1.4).
        case unreachable
    }

    /// The rules of the group matching the crawler (or of the `*` group).
    public private(set) var rules: [Rule]
    public private(set) var basis: Basis
    private var disallowAll: Bool

    /// RFC 9309 §2.5: crawlers must parse at least 500 KiB; we parse 512 KiB and ignore the rest.
    package static let parseLimit = 512 * 1024

    /// Everything allowed.
    public static let allowAll = RobotsPolicy(rules: [], basis: .unavailable, disallowAll: false)
    /// Everything disallowed (except `/robots.txt`).
    public static let disallowEverything = RobotsPolicy(rules: [], basis: .unreachable, disallowAll: true)

    private init(rules: [Rule], basis: Basis, disallowAll: Bool) {
        self.rules = rules
        self.basis = basis
        self.disallowAll = disallowAll
    }

    /// Applies RFC 9309 §2.3.1 to the result of fetching `/robots.txt` (redirects already followed, up to 5).
    public init(fetch: FetchResult, userAgent: String) {
        if fetch.failure == nil, (200...299).contains(fetch.status) {
            self.init(text: String(decoding: fetch.body.prefix(Self.parseLimit), as: UTF8.self), userAgent: userAgent)
        } else if fetch.failure == nil, (400...499).contains(fetch.status) {
            self = .allowAll   // §2.3.1.3: "unavailable" — the crawler may access any resource
        } else {
            self = .disallowEverything   // §2.3.1.4: "unreachable" (5xx, network error, too many redirects)
        }
    }

    /// Parses robots.txt text and keeps the group for `userAgent` (its product token, before any `/`).
    public init(text: String, userAgent: String) {
        let token = Self.productToken(userAgent)
        var specific: [Rule] = []
        var wildcard: [Rule] = []
        var foundSpecific = false
        var groupAgents: [String] = []
        var inRules = false   // a user-agent line after rules starts a new group
        for rawLine in text.prefix(Self.parseLimit).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if inRules { groupAgents = []; inRules = false }
                groupAgents.append(value.lowercased())
            case "allow", "disallow":
                inRules = true
                // §2.2.2: an empty disallow matches nothing; an empty allow is likewise no rule.
                guard !value.isEmpty else { continue }
                let rule = Rule(allow: key == "allow", pattern: value)
                // §2.2.1: the crawler matches a product token case-insensitively; several groups for it merge.
                if groupAgents.contains(where: { !token.isEmpty && $0 == token }) {
                    specific.append(rule)
                    foundSpecific = true
                }
                if groupAgents.contains("*") { wildcard.append(rule) }
            default:
                // Sitemap and unknown keys do not end a group (§2.2.4).
                continue
            }
        }
        // A matching group with no rules still counts as found; detect it by scanning agents again.
        if !foundSpecific, !token.isEmpty, Self.hasGroup(for: token, in: text) { foundSpecific = true }
        self.init(rules: foundSpecific ? specific : wildcard, basis: .rules, disallowAll: false)
    }

    /// Whether the crawler may fetch `path` (path plus query, percent-encoded as sent).
    public func allows(_ path: String) -> Bool {
        let path = path.isEmpty ? "/" : path
        if path == "/robots.txt" { return true }   // §2.2.2: /robots.txt is implicitly allowed
        if disallowAll { return false }
        // §2.2.2: the most specific (longest, in octets) matching rule wins; allow wins a tie.
        var best: Rule?
        var bestLength = -1
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.utf8.count
            if length > bestLength || (length == bestLength && rule.allow && !(best?.allow ?? false)) {
                best = rule
                bestLength = length
            }
        }
        return best?.allow ?? true
    }

    /// Whether the crawler may fetch `url`.
    public func allows(url: URL) -> Bool {
        var path = url.path.isEmpty ? "/" : url.path
        if let components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            if let query = components.percentEncodedQuery { path += "?" + query }
        }
        return allows(path)
    }

    /// `*` matches any run of characters and a trailing `$` anchors the end (§2.2.3).
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = Array(Self.normalizeEncoding(pattern).utf8)
        let s = Array(Self.normalizeEncoding(path).utf8)
        let anchored = p.last == UInt8(ascii: "$")
        let body = anchored ? Array(p.dropLast()) : p
        // Iterative wildcard match with backtracking to the last '*'.
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < body.count && body[i] == UInt8(ascii: "*") {
                star = i; mark = j; i += 1
            } else if i < body.count && body[i] == s[j] {
                i += 1; j += 1
            } else if i == body.count && !anchored {
                return true   // prefix match
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < body.count && body[i] == UInt8(ascii: "*") { i += 1 }
        return i == body.count
    }

    /// Compares paths with percent-escapes upper-cased and unreserved characters unescaped (§2.2.2).
    private static func normalizeEncoding(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var out = ""
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if c == "%", chars.count >= 2, let value = UInt8(String(String.UnicodeScalarView(chars.prefix(2))), radix: 16) {
                chars = chars.dropFirst(2)
                let scalar = Unicode.Scalar(value)
                if value < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += String(format: "%%%02X", value)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func hasGroup(for token: String, in text: String) -> Bool {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).contains { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 && parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "user-agent"
                && parts[1].split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } == token
        }
    }

    /// The product token of a User-Agent string: `LeadHygiene/1.0 (+url)` → `leadhygiene`.
    public static func productToken(_ userAgent: String) -> String {
        String(userAgent.prefix { $0.isLetter || $0 == "-" || $0 == "_" }).lowercased()
    }
}
