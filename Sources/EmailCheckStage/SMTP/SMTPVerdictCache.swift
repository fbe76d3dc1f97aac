import Foundation
import Synchronization

/// Where mail servers' answers outlive a run, so next week's run does not ask the same server again.
///
/// Two kinds of entry: per address (accepted, mailbox not found, accept-all) and per domain (whether its
/// server accepts a mailbox nobody has, the catch-all test, asked once per domain). Only definitive answers
/// are put (``SMTPVerdict/isDefinitive``): greylisting, rate limits, timeouts and refused connections say
/// nothing about the mailbox and are asked again next run. An entry past its expiry must not be returned.
/// The run store implements this over SQLite; ``InMemorySMTPVerdictCache`` serves tests. Implementations are
/// called from several threads at once.
public protocol SMTPVerdictCache: Sendable {
    /// The stored verdict for a normalized address, if one exists and has not expired at `now`.
    func verdict(forAddress address: String, now: Date) -> SMTPVerdict?
    /// The stored catch-all verdict for a lower-case ASCII domain, if one exists and has not expired at `now`.
    func verdict(forDomain domain: String, now: Date) -> AcceptAllVerdict?
    /// Stores a definitive address verdict until `expiresAt`, replacing any earlier one.
    func put(_ verdict: SMTPVerdict, forAddress address: String, expiresAt: Date)
    /// Stores a domain's catch-all verdict until `expiresAt`, replacing any earlier one.
    func put(_ verdict: AcceptAllVerdict, forDomain domain: String, expiresAt: Date)
}

/// What a domain's mail server did with `RCPT TO` a random mailbox nobody has.
public enum AcceptAllVerdict: Sendable, Equatable {
    /// It accepted it: acceptance of any address there proves nothing. The reply that accepted it.
    case acceptsAnyMailbox(String)
    /// It refused it: an accepted address there exists.
    case refusesUnknownMailboxes
}

/// An ``SMTPVerdictCache`` in memory, behind a lock.
package final class InMemorySMTPVerdictCache: SMTPVerdictCache {
    private let addresses = Mutex<[String: (verdict: SMTPVerdict, expiresAt: Date)]>([:])
    private let domains = Mutex<[String: (verdict: AcceptAllVerdict, expiresAt: Date)]>([:])

    public init() {}

    public func verdict(forAddress address: String, now: Date) -> SMTPVerdict? {
        addresses.withLock { entries in
            guard let entry = entries[address], entry.expiresAt > now else { return nil }
            return entry.verdict
        }
    }

    public func verdict(forDomain domain: String, now: Date) -> AcceptAllVerdict? {
        domains.withLock { entries in
            guard let entry = entries[domain], entry.expiresAt > now else { return nil }
            return entry.verdict
        }
    }

    public func put(_ verdict: SMTPVerdict, forAddress address: String, expiresAt: Date) {
        addresses.withLock { $0[address] = (verdict, expiresAt) }
    }

    public func put(_ verdict: AcceptAllVerdict, forDomain domain: String, expiresAt: Date) {
        domains.withLock { $0[domain] = (verdict, expiresAt) }
    }

    /// How many address and domain entries are stored, expired or not.
    public var count: (addresses: Int, domains: Int) { (addresses.withLock { $0.count }, domains.withLock { $0.count }) }
}
