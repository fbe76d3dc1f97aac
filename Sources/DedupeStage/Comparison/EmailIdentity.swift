import Foundation

/// The identity of a mailbox: who receives mail sent to an address.
///
/// `Bob.Smith+crm@GoogleMail.com` and `bobsmith@gmail.com` reach the same person, so they share a key.
/// Role mailboxes (`info@`, `sales@`) reach a team, not a person, and identify nobody.
public struct EmailIdentity: Sendable, Equatable {
    /// The local part after folding plus-tags (and, for Gmail, dots).
    public var local: String
    /// The lower-case domain, with `googlemail.com` folded into `gmail.com`.
    public var domain: String
    /// Whether the domain is a consumer mailbox provider (the address follows the person between jobs).
    public var isPersonal: Bool
    /// Whether the local part is a role account shared by a team.
    public var isRole: Bool

    /// `local@domain`.
    public var key: String { local + "@" + domain }

    /// Parses an address; `nil` when it has no `@`, an empty side, or spaces.
    public init?(_ address: String) {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let at = trimmed.lastIndex(of: "@"), !trimmed.contains(" ") else { return nil }
        var local = String(trimmed[..<at])
        var domain = String(trimmed[trimmed.index(after: at)...])
        if domain.hasSuffix(".") { domain.removeLast() }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }  // RFC 5233 subaddress
        // Gmail ignores dots in the local part.
        if domain == "gmail.com" { local.removeAll { $0 == "." } }
        guard !local.isEmpty, !domain.isEmpty else { return nil }
        self.local = local
        self.domain = domain
        isPersonal = PersonalEmailDomains.shared.contains(domain)
        isRole = Self.roleLocalParts.contains(local)
    }

    /// Local parts that name a function, not a person.
    static let roleLocalParts: Set<String> = [
        "info", "sales", "admin", "contact", "support", "hello", "office", "team", "marketing", "billing",
        "noreply", "no-reply", "enquiries", "inquiries", "help", "hr", "jobs", "careers", "press", "accounts",
        "webmaster", "postmaster", "service", "mail", "general",
    ]
}

/// Consumer mailbox domains, from `Resources/personal_email_domains.txt`.
public struct PersonalEmailDomains: Sendable {
    let domains: Set<String>

    /// The list shipped with the stage.
    public static let shared: PersonalEmailDomains = {
        guard let url = Bundle.module.url(forResource: "personal_email_domains", withExtension: "txt", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "personal_email_domains", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return PersonalEmailDomains(domains: []) }
        return PersonalEmailDomains(domains: Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }))
    }()

    /// Whether mail at `domain` belongs to a person rather than an employer.
    public func contains(_ domain: String) -> Bool { domains.contains(domain) }
}
