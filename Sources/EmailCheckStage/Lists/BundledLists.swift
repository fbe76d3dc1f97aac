import LeadFacts

/// The shipped lists, read once per process. Free-mail providers and role mailboxes are the lists every
/// stage shares (``FreeMailDomains``, ``RoleMailboxes``); disposable domains and typos are email_check's own.
enum BundledLists {
    static let disposable = DomainList.bundled("disposable_domains.txt")
    static let freeMail = DomainList(FreeMailDomains.shipped)
    static let roleAccounts = RoleAccountList(RoleMailboxes.shipped)
    static let typos = DomainTypoSuggester.bundled(knownDomains: freeMail.domains)
}
