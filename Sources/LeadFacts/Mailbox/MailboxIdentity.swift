/// The key under which two spellings of one mailbox meet (email_check's `email_identity_key`, dedupe's
/// email comparison); never an address to send to.
///
/// Mail providers decide what their local parts mean. Only rules a provider documents are applied:
/// - Gmail (`gmail.com`, and `googlemail.com`, the same mailboxes): dots are ignored and anything after `+`
///   is a tag, so `J.Doe+news@googlemail.com` and `jdoe@gmail.com` are one mailbox.
/// - Providers that document `+` sub-addressing (Microsoft consumer domains, iCloud, Proton, Fastmail,
///   Yandex, Zoho): the `+tag` is dropped, dots are kept.
/// - Every other domain: nothing is dropped, because a company's server may treat `+` or dots literally.
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

    /// The rule for a lower-case ASCII domain, if the provider documents one.
    public func rule(for domain: String) -> Rule? { rules[domain] }

    /// The rules every stage uses.
    public static let standard = MailboxIdentity()

    /// The identity key of an address's parts: `local@domain`, lower-cased, with the provider's rule applied.
    /// - Parameters:
    ///   - localPart: the local part's content (unquoted).
    ///   - asciiDomain: the domain, lower-case ASCII (A-labels).
    public func key(localPart: String, asciiDomain: String) -> String {
        var local = localPart.lowercased()
        var domain = asciiDomain
        if let rule = rules[domain] {
            if rule.dropsPlusTag, let plus = local.utf8.firstIndex(of: UInt8(ascii: "+")) { local = String(local[..<plus]) }
            if rule.ignoresDots { local = String(decoding: local.utf8.filter { $0 != UInt8(ascii: ".") }, as: UTF8.self) }
            domain = rule.canonicalDomain
        }
        return local + "@" + domain
    }
}
