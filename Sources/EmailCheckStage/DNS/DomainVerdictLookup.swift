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
public final class DomainVerdictLookup: Sendable {
    /// The name server and its patience.
    public let configuration: ResolverConfiguration
    /// The most lookups in flight at once (the resolver pool's thread count).
    public let concurrency: Int
    /// How long a definitive verdict stays in the persistent cache.
    public let cacheLifetime: TimeInterval
    private let persistentCache: (any DomainVerdictCache)?
    private let now: Date
    private let table = Mutex<[String: Entry]>([:])
    private let pool: ResolverPool
    private let counters = Mutex(Counters())

    /// Lookup figures for the run report.
    public struct Counters: Sendable, Equatable {
        /// Queries sent to the name server (one per domain; the A/AAAA fallback is part of it).
        public var resolved = 0
        /// Domains answered by the persistent cache.
        public var persistentHits = 0
        /// Requests answered from the run's table (finished or in flight).
        public var runHits = 0
        /// Requests that waited for the same domain's lookup already in flight.
        public var coalesced = 0
        /// Lookups that ended in SERVFAIL, timeout or refusal.
        public var failures = 0
    }

    private enum Entry: Sendable {
        case finished(DomainVerdict)
        case pending(PendingVerdict)
    }

    /// - Parameters:
    ///   - concurrency: the most lookups in flight at once, across all threads.
    ///   - persistentCache: verdicts kept across runs (the run store), if any.
    ///   - cacheLifetime: how long a definitive verdict stays in `persistentCache`.
    ///   - now: the run's clock, for expiry.
    public init(configuration: ResolverConfiguration, concurrency: Int, persistentCache: (any DomainVerdictCache)? = nil,
                cacheLifetime: TimeInterval = 7 * 86_400, now: Date = Date()) {
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
        var results: [String: DomainVerdict] = [:]
        var waits: [(String, PendingVerdict)] = []
        var started: [(String, PendingVerdict)] = []
        var runHits = 0, coalesced = 0
        var seen = Set<String>()
        table.withLock { table in
            for domain in domains where seen.insert(domain).inserted {
                switch table[domain] {
                case .finished(let verdict)?:
                    results[domain] = verdict
                    runHits += 1
                case .pending(let pending)?:
                    waits.append((domain, pending))
                    coalesced += 1
                case nil:
                    let pending = PendingVerdict()
                    table[domain] = .pending(pending)
                    started.append((domain, pending))
                }
            }
        }
        if runHits + coalesced > 0 {
            counters.withLock { $0.runHits += runHits; $0.coalesced += coalesced }
        }
        for (domain, pending) in started {
            pool.submit { [self] session in
                let verdict = self.lookUp(domain, session: session)
                self.table.withLock { $0[domain] = .finished(verdict) }
                pending.fulfil(verdict)
            }
        }
        for (domain, pending) in started + waits { results[domain] = pending.wait() }
        return results
    }

    /// Figures so far.
    public var statistics: Counters { counters.withLock { $0 } }

    private func lookUp(_ domain: String, session: ResolverSession?) -> DomainVerdict {
        if let cached = persistentCache?.verdict(for: domain, now: now) {
            counters.withLock { $0.persistentHits += 1 }
            return cached
        }
        guard let session else {
            counters.withLock { $0.failures += 1 }
            return .lookupFailed("resolver_unavailable")
        }
        let verdict = session.verdict(for: domain)
        counters.withLock {
            $0.resolved += 1
            if !verdict.isDefinitive { $0.failures += 1 }
        }
        if verdict.isDefinitive {
            persistentCache?.put(verdict, for: domain, expiresAt: now.addingTimeInterval(cacheLifetime))
        }
        return verdict
    }
}

/// A verdict that one thread is computing and others may wait for.
final class PendingVerdict: Sendable {
    private let group = DispatchGroup()
    private let value = Mutex<DomainVerdict?>(nil)

    init() { group.enter() }

    func fulfil(_ verdict: DomainVerdict) {
        value.withLock { $0 = verdict }
        group.leave()
    }

    func wait() -> DomainVerdict {
        group.wait()
        return value.withLock { $0! }
    }
}

/// A fixed set of threads, each with its own ``ResolverSession``, running lookups in submission order.
///
/// `res_state` must not be shared between threads, and `res_nquery` blocks, so a thread per
/// concurrent lookup is the simplest correct shape. Threads start on the first submission.
final class ResolverPool: Sendable {
    typealias Job = @Sendable (ResolverSession?) -> Void

    private let configuration: ResolverConfiguration
    private let threadCount: Int
    private let queue = JobQueue()
    private let started = Mutex(false)

    init(configuration: ResolverConfiguration, threads: Int) {
        self.configuration = configuration
        threadCount = threads
    }

    func submit(_ job: @escaping Job) {
        startIfNeeded()
        queue.push(job)
    }

    func shutDown() { queue.close(wakeCount: threadCount) }

    private func startIfNeeded() {
        let shouldStart = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard shouldStart else { return }
        let queue = self.queue
        let configuration = self.configuration
        for index in 0..<threadCount {
            let thread = Thread {
                // A resolver that cannot start still drains its jobs, answering "failed".
                let session = try? ResolverSession(configuration)
                while let job = queue.pop() { job(session) }
            }
            thread.name = "email_check.dns.\(index)"
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    /// Jobs waiting for a thread.
    final class JobQueue: Sendable {
        private let state = Mutex<(jobs: [Job], head: Int, closed: Bool)>(([], 0, false))
        private let available = DispatchSemaphore(value: 0)

        func push(_ job: @escaping Job) {
            state.withLock { $0.jobs.append(job) }
            available.signal()
        }

        /// The next job, or `nil` once the queue is closed.
        func pop() -> Job? {
            available.wait()
            return state.withLock { state in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 1024, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
        }

        func close(wakeCount: Int) {
            state.withLock { $0.closed = true }
            for _ in 0..<wakeCount { available.signal() }
        }
    }
}
