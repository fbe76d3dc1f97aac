import Foundation
import LeadFacts

/// The identity of a mailbox: who receives mail sent to an address.
///
/// `Bob.Smith+crm@GoogleMail.com` and `bobsmith@gmail.com` reach the same person, so they share a key
/// (``MailboxIdentity``'s provider rules, the same as email_check's `email_identity_key`).
/// Role mailboxes (`info@`, `sales@`) reach a team, not a person, and identify nobody.
package struct EmailIdentity: Sendable, Equatable {
    /// The local part after the provider's rules (plus-tags where documented; for Gmail, dots).
    public var local: String
    /// The lower-case domain, with `googlemail.com` folded into `gmail.com`.
    public var domain: String
    /// Whether the domain is a consumer mailbox provider (the address follows the person between jobs).
    package var isPersonal: Bool
    /// Whether the local part is a role account shared by a team.
    package var isRole: Bool

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
        guard !local.isEmpty, !domain.isEmpty else { return nil }
        // The provider rules email_check's identity key uses (one MailboxIdentity for both).
        let rule = MailboxIdentity.standard.rule(for: String(decoding: domain, as: UTF8.self))
        let untagged = local.firstIndex(of: 0x2B).flatMap { $0 > 0 ? Array(local[..<$0]) : nil } ?? local
        if rule.dropsPlusTag { local = untagged }
        if rule.ignoresDots { local.removeAll { $0 == 0x2E } }
        self.domain = rule.canonicalDomain
        guard !local.isEmpty else { return nil }
        self.local = String(decoding: local, as: UTF8.self)
        isPersonal = FreeMailDomains.covers(self.domain)
        isRole = RoleMailboxes.contains(String(decoding: untagged, as: UTF8.self))
    }
}
