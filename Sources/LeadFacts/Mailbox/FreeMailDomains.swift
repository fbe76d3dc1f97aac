/// Consumer mail and ISP providers (`Resources/free_mail_domains.txt`): a mailbox there belongs to a person,
/// who keeps it between jobs, and its domain says nothing about the lead's company.
///
/// One list for every stage: normalize does not take a company domain from it, email_check marks it
/// `email_free_provider`, dedupe compares a personal address with a work one as its own level.
public enum FreeMailDomains {
    /// The shipped domains, lower-case ASCII.
    public static let shipped: Set<String> = Set(ListText.entries("free_mail_domains.txt"))

    /// Whether a lower-case ASCII domain or one of its parents is listed (`mail.yahoo.co.uk` is Yahoo's).
    public static func covers(_ domain: String) -> Bool {
        if shipped.contains(domain) { return true }
        // Parents found by the dots' bytes: walking the domain by Characters cost about 3,000 instructions per
        // parent, and dedupe asks for every e-mail field of every row.
        let utf8 = domain.utf8
        var rest = utf8.startIndex
        while let dot = utf8[rest...].firstIndex(of: UInt8(ascii: ".")) {
            rest = utf8.index(after: dot)
            if shipped.contains(String(Substring(utf8[rest...]))) { return true }
        }
        return false
    }
}

/// Local parts that name a role or a department rather than a person (`info`, `sales`, `noreply`;
/// RFC 2142's mailbox names among them), from `Resources/role_local_parts.txt`.
public enum RoleMailboxes {
    /// The shipped local parts, lower-cased.
    public static let shipped: Set<String> = Set(ListText.entries("role_local_parts.txt"))

    /// Whether a local part, lower-cased and without its `+tag`, is a role mailbox.
    public static func contains(_ localPart: String) -> Bool { shipped.contains(localPart) }
}
