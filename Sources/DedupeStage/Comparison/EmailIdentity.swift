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
        // Byte-level: this runs once per distinct address, a million times on a large list, and
        // Foundation's trimming and lower-casing cost microseconds each.
        var bytes = Array(address.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        var ascii = true
        for i in bytes.indices {
            let byte = bytes[i]
            if byte >= 0x80 { ascii = false } else if byte >= 0x41 && byte <= 0x5A { bytes[i] = byte + 0x20 }
            if byte == 0x20 { return nil }
        }
        if !ascii { bytes = Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8) }
        guard let at = bytes.lastIndex(of: 0x40) else { return nil }
        var local = Array(bytes[..<at])
        var domain = Array(bytes[(at + 1)...])
        if domain.last == 0x2E { domain.removeLast() }
        let isGmail = domain.elementsEqual("gmail.com".utf8) || domain.elementsEqual("googlemail.com".utf8)
        if isGmail { domain = Array("gmail.com".utf8) }
        if let plus = local.firstIndex(of: 0x2B) { local.removeSubrange(plus...) }  // RFC 5233 subaddress
        // Gmail ignores dots in the local part.
        if isGmail { local.removeAll { $0 == 0x2E } }
        guard !local.isEmpty, !domain.isEmpty else { return nil }
        self.local = String(decoding: local, as: UTF8.self)
        self.domain = String(decoding: domain, as: UTF8.self)
        isPersonal = PersonalEmailDomains.shared.contains(self.domain)
        isRole = Self.roleLocalParts.contains(self.local)
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
        guard let text = EmbeddedResources.text("personal_email_domains.txt") else {
            fatalError("personal_email_domains.txt is not among the DedupeStage embedded resources")
        }
        return PersonalEmailDomains(domains: Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }))
    }()

    /// Whether mail at `domain` belongs to a person rather than an employer.
    public func contains(_ domain: String) -> Bool { domains.contains(domain) }
}
