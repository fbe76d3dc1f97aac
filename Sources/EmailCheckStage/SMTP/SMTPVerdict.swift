/// What a domain's mail server said about one mailbox.
public enum SMTPVerdict: Sendable, Equatable {
    /// `RCPT TO` was accepted (250/251) and the domain does not accept every mailbox: `valid`.
    case accepted
    /// `RCPT TO` was refused with 550, 551 or 553: `invalid` (`email_mailbox_not_found`); the reply is kept.
    case mailboxNotFound(String)
    /// A random mailbox at the domain was accepted too, so acceptance proves nothing: `risky` (`email_accept_all`).
    case acceptAll(String)
    /// Neither: 4xx (greylisting, rate limits), another 5xx, a timeout, a refused or closed connection. `unknown`.
    case inconclusive(String)
}
