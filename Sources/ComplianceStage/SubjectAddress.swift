import DomainNames
import Foundation
import LeadFacts

/// An email address as the compliance checks and `leadhygiene forget` compare it: the shared
/// ``MailboxIdentity`` key (so `Jo.Doe+x@Gmail.com` is `jodoe@gmail.com`) and the registrable domain.
public struct SubjectAddress: Sendable, Hashable {
    /// `local@domain`, lower-cased, as written (without `mailto:` and spaces).
    public let normalized: String
    /// The mailbox identity key: one key for every spelling of one mailbox.
    public let identityKey: String
    /// The domain in ASCII (A-labels), lower-case.
    public let domain: String
    /// The registrable domain (`acme.co.uk` for `mail.acme.co.uk`), or the domain when it has none.
    public let registrableDomain: String

    /// Reads an address; `nil` when it has no `@` or an empty side.
    public init?(_ text: String) {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.lowercased().hasPrefix("mailto:") { value = String(value.dropFirst(7)) }
        if value.hasPrefix("<"), value.hasSuffix(">") { value = String(value.dropFirst().dropLast()) }
        guard let at = value.lastIndex(of: "@") else { return nil }
        let local = String(value[..<at]), host = String(value[value.index(after: at)...])
        guard !local.isEmpty, !local.contains(where: \.isWhitespace), let domain = HostName.asciiForm(host) else { return nil }
        normalized = local.lowercased() + "@" + domain
        identityKey = MailboxIdentity.standard.key(localPart: local, asciiDomain: domain)
        self.domain = domain
        registrableDomain = PublicSuffixList.shared.registrableDomain(of: domain) ?? domain
    }
}
