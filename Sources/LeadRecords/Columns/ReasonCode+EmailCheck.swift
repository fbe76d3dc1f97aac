/// The codes of the email_check stage, published beside its columns because `email_reason` carries them to
/// later stages (decay reads them); each one's summary string is its documentation
/// (printed by `leadhygiene reasons` and in docs/stages/email_check.md).
extension ReasonCode {
    public static let emailMissing = ReasonCode("email_missing", "The row has no email address (status invalid, or unknown with `missing: unknown`).")
    public static let emailInvalidSyntax = ReasonCode(
        "email_invalid_syntax", "The address is not an RFC 5321 mailbox; the detail names the rule it breaks.")
    public static let emailSpecialUseDomain = ReasonCode(
        "email_special_use_domain",
        "The domain is reserved and receives no mail (.test, .invalid, .localhost, .local, .onion, .arpa, .example, example.com; RFC 2606, 6761, 6762, 7686).")
    public static let emailNXDomain = ReasonCode("email_nxdomain", "The address's domain does not exist (NXDOMAIN).")
    public static let emailNullMX = ReasonCode(
        "email_null_mx", "The domain publishes a null MX (RFC 7505): it accepts no mail.")
    public static let emailNoMailHost = ReasonCode(
        "email_no_mail_host", "The domain has no MX record and no public A/AAAA address to deliver to.")
    public static let emailMXUnresolvable = ReasonCode(
        "email_mx_unresolvable", "The domain's MX hosts have no public A/AAAA address (NXDOMAIN, none, or only private ones): mail to it bounces.")
    public static let emailDNSFailure = ReasonCode(
        "email_dns_failure", "The domain lookup failed (SERVFAIL, timeout or refused); deliverability is unknown.")
    public static let emailDisposable = ReasonCode(
        "email_disposable", "The domain (or a parent domain) belongs to a disposable-address service.")
    public static let emailRoleAccount = ReasonCode(
        "email_role_account", "The local part names a role or department (info@, sales@, noreply@), not a person.")
    public static let emailFreeMail = ReasonCode(
        "email_free_mail", "The domain is a free consumer mail provider.")
    public static let emailAcceptAll = ReasonCode(
        "email_accept_all",
        "The domain accepts mail for any address (listed under accept_all, or its server accepted a random mailbox when probed), so the mailbox is unconfirmed.")
    public static let emailMailboxNotFound = ReasonCode(
        "email_mailbox_not_found", "The domain's mail server refused the mailbox (550, 551 or 553 to RCPT TO); the detail has its reply.")
    public static let emailSMTPInconclusive = ReasonCode(
        "email_smtp_inconclusive",
        "The mail server neither accepted nor refused the mailbox (4xx greylisting or rate limit, timeout, refused connection); the detail has the SMTP code.")
    public static let emailSuspectedTypo = ReasonCode(
        "email_suspected_typo", "The domain looks like a misspelling; email_suggestion holds the address with the likely intended domain.")

    /// Every code the email_check stage emits.
    public static let emailCheckCodes: [ReasonCode] = [
        .emailMissing, .emailInvalidSyntax, .emailSpecialUseDomain, .emailNXDomain, .emailNullMX, .emailNoMailHost, .emailMXUnresolvable,
        .emailDNSFailure, .emailDisposable, .emailRoleAccount, .emailFreeMail, .emailAcceptAll, .emailSuspectedTypo, .emailMailboxNotFound, .emailSMTPInconclusive,
    ]
}
