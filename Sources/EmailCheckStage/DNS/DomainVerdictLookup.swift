import Dispatch
import Foundation
import Synchronization

/// Looks mail domains up once per run, however many rows and threads ask, with bounded concurrency.
///
/// Every domain goes through one table: a finished verdict is answered from it; a lookup in flight
/// is waited for (coalesced) instead of being sent again; otherwise a ``DomainVerdictCache`` that
/// outlives the run is asked, and only then the name server, from a fixed pool of `concurrency`
/// threads that each own one resolver state. Definitive verdicts go back to that cache with
/// `cacheLifetime`; failures stay in the run's table only, so the next run tries again.
///
/// A domain with MX records is deliverable only if one of its MX hosts has a public address; the
/// hosts are followed by ``MailExchangerReachability`` on the same resolver thread, each host once per run.
///
/// Before the first lookup, a canary domain that certainly receives mail (`gmail.com`) is asked. A
/// resolver that calls it non-existent (a sinkhole, a captive portal, an offline sandbox) would make
/// every address invalid and reject the whole list; its negative answers (including MX hosts without
/// an address, as a sinkhole answering `0.0.0.0` would give) are turned into failures
/// (`resolver_untrusted`) instead, which the pipeline treats as `unknown`. Once the canary is denied,
/// no domain is sent to that resolver at all: a resolver that lies about gmail.com cannot be believed
/// about anything, and one that times out on every name would hold a large list for hours. Verdicts
/// the persistent cache holds from earlier runs are still used.
public final class DomainVerdictLookup: Sendable {
    /// The name server and its patience.
    public let configuration: ResolverConfiguration
    /// The most lookups in flight at once (the resolver pool's thread count).
    public let concurrency: Int
    /// How long a definitive verdict stays in the persistent cache.
    package let cacheLifetime: TimeInterval
    private let persistentCache: (any DomainVerdictCache)?
    private let now: Date
    private let table = CoalescingTable<String, DomainVerdict>()
    private let pool: ResolverPool
    private let counters = Mutex(Counters())
    private let canary: String?
    private let trust = Mutex<Bool?>(nil)
    private let exchangers = MailExchangerReachability()

    /// Lookup figures for the run report.
    public struct Counters: Sendable, Equatable {
        /// Domains asked of the name server (the A/AAAA fallback is part of it; MX hosts are counted apart).
        public var resolved = 0
        /// Domains answered by the persistent cache.
        package var persistentHits = 0
        /// Requests answered from the run's table (finished or in flight).
        package var runHits = 0
        /// Requests that waited for the same domain's lookup already in flight.
        package var coalesced = 0
        /// Domains whose lookup ended in SERVFAIL, timeout or refusal (their own, or their MX hosts').
        public var failures = 0
        /// MX hosts whose A/AAAA addresses were asked for (each at most once per run).
        package var mxHostsResolved = 0
        /// Domains whose MX answer carried a host's public address in its additional section, so no host was looked up.
        package var mxHostsFromAdditionalSection = 0
        /// Domains not sent to the name server because it failed the canary test (`resolver_untrusted`).
        package var skippedUntrusted = 0
    }

    /// - Parameters:
    ///   - concurrency: the most lookups in flight at once, across all threads.
    ///   - persistentCache: verdicts kept across runs (the run store), if any.
    ///   - cacheLifetime: how long a definitive verdict stays in `persistentCache`.
    ///   - now: the run's clock, for expiry.
    ///   - canary: a domain known to have mail exchangers, to test the resolver's honesty; `nil` skips the test.
    public init(configuration: ResolverConfiguration, concurrency: Int, persistentCache: (any DomainVerdictCache)? = nil,
                cacheLifetime: TimeInterval = 7 * 86_400, now: Date = Date(), canary: String? = nil) {
        self.canary = canary.flatMap { $0.isEmpty ? nil : $0 }
        self.configuration = configuration
        self.concurrency = max(1, concurrency)
        self.persistentCache = persistentCache
        self.cacheLifetime = cacheLifetime
        self.now = now
        pool = ResolverPool(configuration: configuration, threads: max(1, concurrency))
    }

    deinit { pool.shutDown() }

    /// The verdict for one lower-case ASCII domain; blocks until it is known.
    public func verdict(for domain: String) -> DomainVerdict {
        verdicts(for: [domain])[domain]!
    }

    /// Verdicts for many domains at once: all missing ones are looked up in parallel, then this returns.
    public func verdicts(for domains: some Collection<String>) -> [String: DomainVerdict] {
        guard !domains.isEmpty else { return [:] }
        guard checkResolver() else { return untrustedVerdicts(for: domains) }
        var results: [String: DomainVerdict] = [:]
        var waits: [(String, PendingValue<DomainVerdict>)] = []
        var started: [(String, PendingValue<DomainVerdict>)] = []
        var runHits = 0, coalesced = 0
        var seen = Set<String>()
        for (domain, claim) in table.claims(domains.filter { seen.insert($0).inserted }) {
            switch claim {
            case .known(let verdict):
                results[domain] = verdict
                runHits += 1
            case .wait(let pending):
                waits.append((domain, pending))
                coalesced += 1
            case .workOut(let pending):
                started.append((domain, pending))
            }
        }
        if runHits + coalesced > 0 {
            counters.withLock { $0.runHits += runHits; $0.coalesced += coalesced }
        }
        for (domain, pending) in started {
            pool.submit { [self] session in
                self.table.finish(domain, with: self.lookUp(domain, session: session), pending)
            }
        }
        for (domain, pending) in started + waits { results[domain] = pending.wait() }
        return results
    }

    /// Whether the resolver passed the canary test: `nil` before the first lookup or without a canary.
    package var resolverTrusted: Bool? { trust.withLock { $0 } }

    /// The canary this lookup tests the resolver with, if any.
    package var canaryDomain: String? { canary }

    /// What an untrusted resolver's domains get: the persistent cache's verdict, else `resolver_untrusted`.
    /// Nothing is sent; each domain is still counted once per run through the run's table.
    private func untrustedVerdicts(for domains: some Collection<String>) -> [String: DomainVerdict] {
        var results: [String: DomainVerdict] = [:]
        var hits = 0, skipped = 0
        for (domain, claim) in table.claims(Set(domains)) {
            switch claim {
            case .known(let verdict):
                results[domain] = verdict
            case .wait(let pending):
                results[domain] = pending.wait()
            case .workOut(let pending):
                let verdict: DomainVerdict
                if let cached = persistentCache?.verdict(for: domain, now: now) {
                    verdict = cached
                    hits += 1
                } else {
                    verdict = .lookupFailed("resolver_untrusted")
                    skipped += 1
                }
                table.finish(domain, with: verdict, pending)
                results[domain] = verdict
            }
        }
        counters.withLock {
            $0.persistentHits += hits
            $0.skippedUntrusted += skipped
        }
        return results
    }

    /// Asks the canary now, if it has not been asked: whether the resolver can be trusted (`true` without a canary).
    ///
    /// The stage calls it before the run when `dns.on_untrusted: fail`, so a run that cannot be trusted stops at once.
    public func checkResolver() -> Bool {
        guard let canary else { return true }
        if let known = trust.withLock({ $0 }) { return known }
        let pending = PendingValue<DomainVerdict>()
        pool.submit { [self] session in
            pending.fulfil(session.map { self.resolve(canary, session: $0) } ?? .lookupFailed("resolver_unavailable"))
        }
        // Only a definite "this domain takes no mail" is a lie; a failure says nothing about honesty.
        let trusted = !Self.deniesMail(pending.wait())
        return trust.withLock { known in
            if known == nil { known = trusted }
            return known!
        }
    }

    static func deniesMail(_ verdict: DomainVerdict) -> Bool {
        switch verdict {
        case .nonexistent, .nullMX, .noMailHost, .mxUnresolvable: true
        case .mailExchangers, .implicitMX, .lookupFailed: false
        }
    }

    /// Figures so far.
    public var statistics: Counters {
        var figures = counters.withLock { $0 }
        let hosts = exchangers.counts
        figures.mxHostsResolved = hosts.resolved
        figures.mxHostsFromAdditionalSection = hosts.fromAdditionalSection
        return figures
    }

    private func lookUp(_ domain: String, session: ResolverSession?) -> DomainVerdict {
        if let cached = persistentCache?.verdict(for: domain, now: now) {
            counters.withLock { $0.persistentHits += 1 }
            return cached
        }
        guard let session else {
            counters.withLock { $0.failures += 1 }
            return .lookupFailed("resolver_unavailable")
        }
        var verdict = resolve(domain, session: session)
        if trust.withLock({ $0 }) == false && Self.deniesMail(verdict) { verdict = .lookupFailed("resolver_untrusted") }
        counters.withLock {
            $0.resolved += 1
            if !verdict.isDefinitive { $0.failures += 1 }
        }
        if verdict.isDefinitive {
            persistentCache?.put(verdict, for: domain, expiresAt: now.addingTimeInterval(cacheLifetime))
        }
        return verdict
    }

    /// What the name server says about a domain, its MX hosts followed.
    private func resolve(_ domain: String, session: ResolverSession) -> DomainVerdict {
        let answer = session.answer(for: domain)
        guard case .mailExchangers(let hosts) = answer.verdict else { return answer.verdict }
        return exchangers.verdict(forExchangers: hosts, hostsWithPublicAddress: answer.hostsWithPublicAddress, session: session)
    }
}
