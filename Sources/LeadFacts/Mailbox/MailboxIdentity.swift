/// The key under which two spellings of one mailbox meet (email_check's `email_identity_key`, dedupe's
/// email comparison); never an address to send to.
///
/// Mail providers decide what their local parts mean:
/// - Gmail (`gmail.com`, and `googlemail.com`, the same mailboxes): dots are ignored and anything after `+`
///   is a tag, so `J.Doe+news@googlemail.com` and `jdoe@gmail.com` are one mailbox.
/// - Every other domain: the `+tag` is dropped (RFC 5233 sub-addressing) and dots are kept. Company mail is
///   mostly hosted by Google Workspace and Microsoft 365, which deliver `jo+x@` to `jo@` by default, and a
///   separate person whose mailbox is literally `jo+x` is far rarer than a tagged copy of `jo@`.
/// Local parts are compared case-insensitively: RFC 5321 §2.4 lets hosts be case-sensitive, but no
/// mainstream provider is, and a dedupe key that splits `John@` from `john@` would miss real duplicates.
public struct MailboxIdentity: Sendable {
    /// How a provider reads its local parts.
    public struct Rule: Sendable, Equatable {
        /// The domain the key uses (`googlemail.com` keys as `gmail.com`).
        public var canonicalDomain: String
        /// Dots in the local part do not matter (Gmail).
        public var ignoresDots: Bool
        /// Everything from the first `+` is a sub-address tag.
        public var dropsPlusTag: Bool
    }

    private let rules: [String: Rule]

    /// The built-in rules.
    public init() {
        var rules: [String: Rule] = [:]
        let gmail = Rule(canonicalDomain: "gmail.com", ignoresDots: true, dropsPlusTag: true)
        rules["gmail.com"] = gmail
        rules["googlemail.com"] = gmail
        let plusOnly = [
            "outlook.com", "hotmail.com", "live.com", "msn.com", // Microsoft: "plus addressing"
            "icloud.com", "me.com", "mac.com",                   // Apple iCloud Mail
            "proton.me", "protonmail.com", "protonmail.ch", "pm.me", // Proton Mail
            "fastmail.com", "fastmail.fm",                         // Fastmail plus addressing
            "yandex.com", "yandex.ru", "ya.ru",                    // Yandex
            "zoho.com", "zohomail.com",                            // Zoho Mail
        ]
        for domain in plusOnly { rules[domain] = Rule(canonicalDomain: domain, ignoresDots: false, dropsPlusTag: true) }
        self.rules = rules
    }

    /// The rule for a lower-case ASCII domain: its provider's own, else plain sub-addressing.
    public func rule(for domain: String) -> Rule {
        rules[domain] ?? Rule(canonicalDomain: domain, ignoresDots: false, dropsPlusTag: true)
    }

    /// The rules every stage uses.
    public static let standard = MailboxIdentity()

    /// The identity key of an address's parts: `local@domain`, lower-cased, with the provider's rule applied.
    /// - Parameters:
    ///   - localPart: the local part's content (unquoted).
    ///   - asciiDomain: the domain, lower-case ASCII (A-labels).
    public func key(localPart: String, asciiDomain: String) -> String {
        var local = localPart.lowercased()
        let rule = rule(for: asciiDomain)
        if rule.dropsPlusTag, let plus = local.utf8.firstIndex(of: UInt8(ascii: "+")), plus != local.utf8.startIndex {
            local = String(local[..<plus])
        }
        if rule.ignoresDots { local = String(decoding: local.utf8.filter { $0 != UInt8(ascii: ".") }, as: UTF8.self) }
        return local + "@" + rule.canonicalDomain
    }
}
