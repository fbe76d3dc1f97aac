/// The shipped lists, read once per process.
enum BundledLists {
    static let disposable = DomainList.bundled("disposable_domains.txt")
    static let freeMail = DomainList.bundled("free_mail_domains.txt")
    static let roleAccounts = RoleAccountList.bundled()
    static let typos = DomainTypoSuggester.bundled(knownDomains: freeMail.domains)
}
