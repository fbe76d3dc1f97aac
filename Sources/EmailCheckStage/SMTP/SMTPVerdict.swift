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

    /// Whether the answer is about the mailbox itself, and so worth keeping across runs; an inconclusive one
    /// (a busy or greylisting server, a blocked port) may differ tomorrow.
    package var isDefinitive: Bool {
        if case .inconclusive = self { return false }
        return true
    }

    /// The stored form: a stable outcome word and the server's reply, `nil` for an inconclusive verdict.
    public var storedOutcome: (outcome: String, reply: String)? {
        switch self {
        case .accepted: ("accepted", "")
        case .mailboxNotFound(let reply): ("mailbox_not_found", reply)
        case .acceptAll(let reply): ("accept_all", reply)
        case .inconclusive: nil
        }
    }

    /// Reads ``storedOutcome`` back; `nil` for an outcome word this build does not know.
    public init?(storedOutcome outcome: String, reply: String) {
        switch outcome {
        case "accepted": self = .accepted
        case "mailbox_not_found": self = .mailboxNotFound(reply)
        case "accept_all": self = .acceptAll(reply)
        default: return nil
        }
    }
}
