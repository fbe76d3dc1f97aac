import Foundation
import Synchronization

/// Where domain verdicts outlive a run, so a weekly job does not look every domain up again.
///
/// The run store implements this over SQLite; ``InMemoryDomainVerdictCache`` serves tests and runs
/// without a store. Only definitive verdicts (``DomainVerdict/isDefinitive``) are put; an entry past
/// its expiry must not be returned. Implementations are called from several threads at once.
public protocol DomainVerdictCache: Sendable {
    /// The stored verdict for a lower-case ASCII domain, if one exists and has not expired at `now`.
    func verdict(for domain: String, now: Date) -> DomainVerdict?
    /// Stores a verdict until `expiresAt`, replacing any earlier one.
    func put(_ verdict: DomainVerdict, for domain: String, expiresAt: Date)
}

/// A ``DomainVerdictCache`` in memory, behind a lock.
package final class InMemoryDomainVerdictCache: DomainVerdictCache {
    private let entries = Mutex<[String: (verdict: DomainVerdict, expiresAt: Date)]>([:])

    public init() {}

    public func verdict(for domain: String, now: Date) -> DomainVerdict? {
        entries.withLock { entries in
            guard let entry = entries[domain], entry.expiresAt > now else { return nil }
            return entry.verdict
        }
    }

    public func put(_ verdict: DomainVerdict, for domain: String, expiresAt: Date) {
        entries.withLock { $0[domain] = (verdict, expiresAt) }
    }

    /// How many entries are stored, expired or not.
    public var count: Int { entries.withLock { $0.count } }
}
