import ComplianceStage
import DecayStage
import DedupeStage
import EmailCheckStage
import Foundation
import PipelineSpec
import RouteStage
import RunStore
import ScrapeStage
import Synchronization

/// Plugs the SQLite run store into the caches the stages keep across runs: email_check's DNS verdicts,
/// scrape's pages, dedupe's entity ids, decay's lead history. The stages do not depend on the store; this
/// module sees both and joins them, handing the caches to one run's stages through its ``StageContext``.
public enum RunStoreCaches {
    /// The services of a run whose pipeline has `store: path`.
    /// - Parameter staging: where the run's runner collects what decay and route stage for the store; without one
    ///   (a stage used on its own, in a test or a benchmark) decay records its run itself and route keeps nothing.
    /// - Parameter readOnly: for a run that must leave the store as it is (``RunOverrides/leavesStoreUnchanged``):
    ///   the caches read it but keep nothing, and a missing store is not created (``RunStore/init(path:readOnly:)``).
    /// - Parameter outbox: a distributed run's task, which reads a copy of the store: the caches write what they find
    ///   there (``CacheOutbox``), for `store import` to save, instead of into the store.
    /// - Parameter runsDecay: whether this process runs decay, which then reads last run ahead as it is set up.
    public static func services(storePath: String, staging: RunStagingArea? = nil, readOnly: Bool = false,
                                outbox: CacheOutbox? = nil, runsDecay: Bool = true) -> StageServices {
        var services = StageServices()
        let connection = RunStoreConnection(path: storePath, readOnly: readOnly)
        services.provide(RunStoreConnection.self) { connection }
        if let outbox { connection.beforeClosing { outbox.close() } }
        services.provide((any LeadHistory).self) {
            StoreLeadHistory(store: try connection.store(), staging: staging, readAheadWanted: runsDecay)
        }
        services.provide((any SMTPVerdictCache).self) { StoreSMTPVerdictCache(store: try connection.store(), outbox: outbox) }
        services.provide((any DomainVerdictCache).self) {
            let cache = StoreVerdictCache(store: try connection.store(), outbox: outbox)
            connection.beforeClosing { [weak cache] in cache?.flush() }
            return cache
        }
        services.provide((any PageCache).self) { StorePageCache(store: try connection.store(), outbox: outbox) }
        services.provide((any EntityIDMemory).self) { StoreEntityIDMemory(store: try connection.store(), staging: staging) }
        services.provide((any AssignmentMemory).self) { StoreAssignmentMemory(store: try connection.store(), staging: staging) }
        services.provide((any ErasedSubjects).self) { try StoreErasedSubjects(store: try connection.store()) }
        return services
    }

    /// Saves what the caches still hold and closes the run's store connection (``RunStoreConnection/close()``);
    /// the runner calls it when the run is over.
    public static func close(_ services: StageServices) {
        (try? services.open(RunStoreConnection.self))?.close()
    }
}

/// The one store a run's stages share, opened on first use and closed by the runner when the run is over.
///
/// Closed explicitly rather than when the last stage lets go of it: a stage may be released on a worker thread
/// after the run returns, and a process that exits first never closes the connection, which leaves the store's
/// write-ahead log and shared-memory files beside it (and, for a store that was written, the last writes only
/// in the log, so a copy of the store file alone would lack them).
public final class RunStoreConnection: Sendable {
    private let path: String
    private let readOnly: Bool
    private let state = Mutex<(store: RunStore?, closed: Bool, beforeClosing: [@Sendable () -> Void])>((nil, false, []))

    init(path: String, readOnly: Bool) {
        self.path = path
        self.readOnly = readOnly
    }

    /// The store, opened on the first call.
    func store() throws -> RunStore {
        try state.withLock { state in
            if let store = state.store { return store }
            if state.closed { throw RunStoreError.closed }
            let store = try RunStore(path: path, readOnly: readOnly)
            state.store = store
            return store
        }
    }

    /// Work to do with the store before it closes (saving a cache's last batch).
    func beforeClosing(_ work: @escaping @Sendable () -> Void) {
        state.withLock { $0.beforeClosing.append(work) }
    }

    /// Runs the work registered with ``beforeClosing(_:)``, then closes the store; a store never opened stays unopened.
    public func close() {
        let (store, work) = state.withLock { state in
            defer { state.closed = true; state.beforeClosing = [] }
            return (state.store, state.beforeClosing)
        }
        for item in work { item() }
        try? store?.close()
    }
}

/// email_check's ``DomainVerdictCache`` on the run store's `dns_verdict` table.
///
/// Verdicts are written in batches (one transaction per 256, and the rest when the stage lets go of
/// the cache at the end of the run): a transaction per domain would cost more than the lookup.
final class StoreVerdictCache: DomainVerdictCache {
    private let store: RunStore
    private let outbox: CacheOutbox?
    private let pending = Mutex<[DNSVerdictEntry]>([])

    init(store: RunStore, outbox: CacheOutbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    deinit { flush() }

    func verdict(for domain: String, now: Date) -> DomainVerdict? {
        (try? store.dnsVerdict(for: domain, now: now)).flatMap { $0.flatMap { DomainVerdict(storageForm: $0.verdictJSON) } }
    }

    func put(_ verdict: DomainVerdict, for domain: String, expiresAt: Date) {
        let entry = DNSVerdictEntry(domain: domain, verdictJSON: verdict.storageForm, resolvedAt: Date(), expiresAt: expiresAt)
        if let outbox { return outbox.add(.dns(entry)) }
        let batch: [DNSVerdictEntry]? = pending.withLock { pending in
            pending.append(entry)
            guard pending.count >= 256 else { return nil }
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        if let batch { try? store.saveDNSVerdicts(batch) }
    }

    func flush() {
        let rest = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        if !rest.isEmpty { try? store.saveDNSVerdicts(rest) }
    }
}

/// email_check's ``SMTPVerdictCache`` on the run store's `smtp_address_verdict` and `smtp_domain_verdict` tables.
///
/// Each answer is written as it arrives: a mail server takes far longer to answer than a transaction takes, and
/// a run stopped half way keeps what it already asked.
final class StoreSMTPVerdictCache: SMTPVerdictCache {
    private let store: RunStore
    private let outbox: CacheOutbox?

    init(store: RunStore, outbox: CacheOutbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    func verdict(forAddress address: String, now: Date) -> SMTPVerdict? {
        guard let entry = (try? store.smtpAddressVerdict(for: address, now: now)) ?? nil else { return nil }
        return SMTPVerdict(storedOutcome: entry.outcome, reply: entry.reply)
    }

    func verdict(forDomain domain: String, now: Date) -> AcceptAllVerdict? {
        guard let entry = (try? store.smtpDomainVerdict(for: domain, now: now)) ?? nil else { return nil }
        return entry.acceptsAnyMailbox ? .acceptsAnyMailbox(entry.reply) : .refusesUnknownMailboxes
    }

    func put(_ verdict: SMTPVerdict, forAddress address: String, expiresAt: Date) {
        guard let (outcome, reply) = verdict.storedOutcome else { return }
        let entry = SMTPAddressVerdictEntry(address: address, outcome: outcome, reply: reply, probedAt: Date(), expiresAt: expiresAt)
        if let outbox { return outbox.add(.smtpAddress(entry)) }
        try? store.saveSMTPAddressVerdicts([entry])
    }

    func put(_ verdict: AcceptAllVerdict, forDomain domain: String, expiresAt: Date) {
        let entry: SMTPDomainVerdictEntry
        switch verdict {
        case .acceptsAnyMailbox(let reply):
            entry = SMTPDomainVerdictEntry(domain: domain, acceptsAnyMailbox: true, reply: reply, probedAt: Date(), expiresAt: expiresAt)
        case .refusesUnknownMailboxes:
            entry = SMTPDomainVerdictEntry(domain: domain, acceptsAnyMailbox: false, reply: "", probedAt: Date(), expiresAt: expiresAt)
        }
        if let outbox { return outbox.add(.smtpDomain(entry)) }
        try? store.saveSMTPDomainVerdict(entry)
    }
}

/// scrape's ``PageCache`` on the run store's `http_page` table. Each page is written as it arrives,
/// so a run that crashes resumes from what it already fetched.
final class StorePageCache: PageCache {
    private let store: RunStore
    private let outbox: CacheOutbox?

    init(store: RunStore, outbox: CacheOutbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    func page(for url: String) -> ScrapedPage? {
        // The stage applies max_age itself, so ask for the newest answer whatever its age.
        guard let stored = try? store.cachedPage(url: url, maxAge: .greatestFiniteMagnitude, now: Date()),
              let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(stored.headersJSON.utf8)) else { return nil }
        return ScrapedPage(url: stored.url, finalURL: envelope.finalURL, status: stored.status,
                                      headers: envelope.headers.map { ScrapedHeader(name: $0[0], value: $0[1]) },
                                      body: Array(stored.body), fetchedAt: stored.fetchedAt)
    }

    func store(_ page: ScrapedPage) {
        let envelope = Envelope(finalURL: page.finalURL, headers: page.headers.map { [$0.name, $0.value] })
        guard let json = try? JSONEncoder().encode(envelope) else { return }
        let stored = StoredPage(url: page.url, status: page.status, headersJSON: String(decoding: json, as: UTF8.self),
                                body: Data(page.body), fetchedAt: page.fetchedAt)
        if let outbox { return outbox.add(.page(stored)) }
        try? store.savePages([stored])
    }

    /// What the store's `headers_json` holds for a page: the answering URL and the ordered headers.
    struct Envelope: Codable {
        var finalURL: String
        var headers: [[String]]
    }
}

/// dedupe's ``EntityIDMemory`` on the run store's `entity_key_pack` table: an entity keeps its id next week.
///
/// The ids of a run wait in its ``RunStagingArea`` until the runner records the run (``RunRecorder``), and are
/// written in the same transaction as the run's row: a run that fails or is not recorded (a dry run, `--limit`,
/// `explain-match`) leaves last week's ids as they were. Without a staging area (the stage used on its own) they
/// are written at once.
final class StoreEntityIDMemory: EntityIDMemory {
    private let store: RunStore
    private let staging: RunStagingArea?

    init(store: RunStore, staging: RunStagingArea?) {
        self.store = store
        self.staging = staging
    }

    func entityIDs(forRecordKeys recordKeys: [String]) throws -> [String: String] {
        try store.entityIDs(forRecordKeys: recordKeys, staged: staging?.entityKeys ?? [])
    }

    func remember(_ entityIDByRecordKey: [String: String]) throws {
        guard let staging else { return try store.rememberEntityIDs(entityIDByRecordKey) }
        staging.stageEntityKeys(StagedEntityKeys(entityIDByRecordKey, at: Date()))
    }
}

/// route's ``AssignmentMemory`` on the run store's `route_assignment` table.
///
/// The stage's assignments wait in the run's ``RunStagingArea`` until the runner records the run
/// (``RunRecorder``), and are written then, in the same transaction as the run's row, with its id: a run
/// that fails, or is not recorded (a dry run, `--limit`), leaves last week's owners as they were. Without a
/// staging area (the stage used on its own) nothing is kept.
final class StoreAssignmentMemory: AssignmentMemory {
    private let store: RunStore
    private let staging: RunStagingArea?

    init(store: RunStore, staging: RunStagingArea?) {
        self.store = store
        self.staging = staging
    }

    func previousAssignments() throws -> [String: PreviousAssignment] {
        try store.routeAssignments().mapValues { PreviousAssignment(owner: $0.owner, pool: $0.pool) }
    }

    func stage(_ assignments: [LeadAssignment]) throws {
        staging?.stageRouteAssignments(assignments.map { RouteAssignmentEntry(leadKey: $0.key, owner: $0.owner, pool: $0.pool) })
    }
}

/// compliance's ``ErasedSubjects`` on the run store's `erasure_tombstone` table: the tombstones and the
/// store's key are read once, when the stage opens the service; each row costs one HMAC, and none while
/// nobody was ever erased.
final class StoreErasedSubjects: ErasedSubjects {
    private let key: [UInt8]
    private let hashes: Set<String>

    init(store: RunStore) throws {
        hashes = try store.tombstoneHashes()
        key = hashes.isEmpty ? [] : try store.erasureKey()
    }

    func isErased(identityKey: String) -> Bool {
        !hashes.isEmpty && hashes.contains(SubjectHash.hex(identityKey: identityKey, key: key))
    }
}
