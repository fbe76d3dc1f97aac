import Foundation
import GRDB
import LeadRecords

/// The SQLite file that gives weekly runs a memory: runs, per-run lead snapshots, enrichment
/// values with provenance, and the DNS and HTTP caches.
///
/// The pipeline file names it (`store: out/leadhygiene.sqlite`); stages receive the path as
/// `StageContext.storePath` and open it with ``init(path:)``. The file and its folder are created
/// on first use and migrated in place (see `docs/store.md`).
///
/// Crash safety: the database runs in WAL mode and a run's rows (``RunRecord``, its snapshots and
/// enrichment values) are written by ``recordRun(_:snapshots:enrichments:)`` in one transaction,
/// so a process killed mid-write leaves the store as it was before the run. Cache entries are
/// committed as they are saved: each entry is atomic, and a cache that outlives a failed run is
/// still correct.
///
/// `RunStore` is thread-safe: reads run concurrently (WAL readers), writes are serialized.
public final class RunStore: Sendable {
    /// The store file's path.
    public let path: String
    /// A `DatabasePool` (readers beside one writer); one connection, a `DatabaseQueue`, when opened read-only.
    let pool: StoreDatabase
    /// Whether writes are refused (``init(path:readOnly:)``).
    public let isReadOnly: Bool
    /// The private folder of the empty store a read-only open stands in for a missing file with; removed with the store.
    private let standInFolder: URL?

    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    ///
    /// - Throws: ``RunStoreError/newerSchema(_:)`` when the file was written by a newer LeadHygiene,
    ///   or the underlying SQLite error when the file is not a database.
    public convenience init(path: String) throws {
        try self.init(path: path, readOnly: false)
    }

    /// Opens the store at `path`; with `readOnly`, for a run that must leave it as it is (a dry run, explain-match).
    ///
    /// A read-only open creates nothing at `path` and migrates nothing, and every write to it throws
    /// (``RunStoreError/readOnly``, ``StoreDatabase``), so caches that save as they go keep nothing. When `path` does not exist yet, it opens an empty store in a private
    /// temporary folder instead, removed with this object, so the run's stages see the first run's empty store.
    ///
    /// - Throws: ``RunStoreError/olderSchema(_:)`` when the file needs migrations a read-only open cannot apply.
    public init(path: String, readOnly: Bool) throws {
        self.path = path
        isReadOnly = readOnly
        var openedPath = path
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadhygiene-store-\(UUID().uuidString)")
            standInFolder = folder
            openedPath = folder.appendingPathComponent("store.sqlite").path
        } else {
            standInFolder = nil
        }
        let opensFile = readOnly && standInFolder == nil
        if !opensFile {
            let folder = URL(fileURLWithPath: openedPath).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        // Another process (a second run, a reader) may hold the write lock briefly.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL keeps every committed transaction across a process crash
            // (only a power loss can drop the last commits), which is the guarantee runs need.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Deleted rows are overwritten with zeros, so `leadhygiene forget` leaves no copy of a person in
            // free pages (Debian's SQLite turns this on by default; other builds do not). docs/privacy.md.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        // Read-only, one connection (StoreDatabase refuses its writes): a pool writes a table into the file as it
        // opens, to make sure the write-ahead log exists.
        pool = opensFile ? StoreDatabase(connections: try DatabaseQueue(path: openedPath, configuration: configuration), refusesWrites: true)
            : StoreDatabase(connections: try DatabasePool(path: openedPath, configuration: configuration), refusesWrites: false)
        let applied = try pool.read { db in try StoreMigrations.migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(StoreMigrations.knownIdentifiers)
        if !unknown.isEmpty { throw RunStoreError.newerSchema(unknown.sorted()) }
        if opensFile {
            let pending = Set(StoreMigrations.knownIdentifiers).subtracting(applied)
            if !pending.isEmpty { throw RunStoreError.olderSchema(pending.sorted()) }
        } else {
            try StoreMigrations.migrator.migrate(pool.connections)
        }
    }

    /// Closes the store's connections; using the store afterwards throws. A store is closed when released too: this is
    /// for a caller that must know it is closed at a given point (the end of a run).
    public func close() throws {
        // Readers first (releasing memory closes them): GRDB closes the writer first, and SQLite removes the
        // write-ahead log and shared-memory files only when the last connection to close may write.
        (pool.connections as? DatabasePool)?.releaseMemory()
        try pool.connections.close()
    }

    /// Where a run's staging files go (unlinked as soon as made): beside the store, on its file system.
    var stagingFolder: String {
        standInFolder?.path ?? URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    deinit {
        if let standInFolder { try? FileManager.default.removeItem(at: standInFolder) }
    }

    // MARK: Runs

    /// Records a finished run with its lead snapshots and enrichment values, all in one transaction.
    ///
    /// Either everything is stored or, if the process dies or an error is thrown, nothing is.
    /// Snapshots with an entity id already seen in this run are skipped (the first one wins), and
    /// the run's ``RunRecord/snapshotCount`` is the number actually stored.
    ///
    /// - Returns: the run as saved, with its ``RunRecord/id``.
    @discardableResult
    public func recordRun(_ run: RunRecord, snapshots: some Sequence<LeadSnapshot>,
                          enrichments: some Sequence<EnrichmentValue> = [EnrichmentValue]()) throws -> RunRecord {
        // Through staging files, outside the write transaction, so the rows reach SQLite in key
        // order (see StagingFile); the run row and all rows are still one transaction.
        let staged = try stageRun(pipeline: run.pipeline, summaryJSON: run.summaryJSON, snapshots: snapshots,
                                  enrichments: enrichments)
        return try commit(staged, as: run)
    }

    /// The most recent run of a pipeline history, or `nil` before its first run.
    public func latestRun(pipeline: String) throws -> RunRecord? {
        try pool.read { db in
            try RunRecord.fetchOne(db, sql: "SELECT * FROM run WHERE pipeline = ? ORDER BY id DESC LIMIT 1",
                                   arguments: [pipeline])
        }
    }

    /// Every run, oldest first; only one pipeline's history when `pipeline` is given.
    public func runs(pipeline: String? = nil) throws -> [RunRecord] {
        try pool.read { db in
            if let pipeline {
                return try RunRecord.fetchAll(db, sql: "SELECT * FROM run WHERE pipeline = ? ORDER BY id", arguments: [pipeline])
            }
            return try RunRecord.fetchAll(db, sql: "SELECT * FROM run ORDER BY id")
        }
    }

    /// A run's lead snapshots, in entity-id order.
    public func snapshots(runID: Int64) throws -> [LeadSnapshot] {
        try pool.read { db in try SnapshotLayout.snapshots(runID: runID, db: db) }
    }

    /// A run's lead snapshots by entity id, for comparing the next run against it.
    public func snapshotsByEntity(runID: Int64) throws -> [String: LeadSnapshot] {
        try pool.read { db in
            var byEntity: [String: LeadSnapshot] = [:]
            for snapshot in try SnapshotLayout.snapshots(runID: runID, db: db) { byEntity[snapshot.entityID] = snapshot }
            return byEntity
        }
    }

    /// A run's leads as the store keeps them since `v-packed-runs` (what its `run_lead` rows held before), in
    /// entity-id order; empty for a run in the earlier layout (`lead_snapshot`).
    public func runLeads(runID: Int64) throws -> [RunLeadEntry] {
        try pool.read { db in try RunLeadPacks.leads(runID: runID, db: db) }
    }

    /// How many leads one run, or every run, keeps in the packed layout.
    public func packedLeadCount(runID: Int64? = nil) throws -> Int {
        try pool.read { db in
            if let runID { return try RunLeadPacks.count(runID: runID, db: db) }
            return try Int.fetchOne(db, sql: "SELECT COALESCE(sum(lead_count), 0) FROM run_lead_pack") ?? 0
        }
    }

    /// Deletes the runs of a pipeline history beyond the newest `count` (with their snapshots), in one transaction;
    /// with `days`, only those of them whose reference time is also more than `days` days before `now`.
    ///
    /// A lead version goes only when no remaining run points at it: a kept run that shares an
    /// unchanged lead's snapshot with a pruned one still reads it.
    /// - Returns: how many runs were deleted.
    @discardableResult
    public func pruneRuns(pipeline: String, keepingLast count: Int, keepingDays days: Int? = nil,
                          now: Date = Date()) throws -> Int {
        try pool.write { db in
            var sql = """
                DELETE FROM run WHERE pipeline = ? AND id NOT IN
                (SELECT id FROM run WHERE pipeline = ? ORDER BY id DESC LIMIT ?)
                """
            var arguments: StatementArguments = [pipeline, pipeline, max(0, count)]
            if let days {
                sql += " AND reference_time < ?"
                _ = arguments.append(contentsOf: [now.addingTimeInterval(-Double(days) * 86_400)])
            }
            try db.execute(sql: sql, arguments: arguments)
            let removed = db.changesCount
            if removed > 0 {
                // What the kept runs' packed leads point at (the pruned runs' packs went with them).
                let references = try RunLeadPacks.references(db)
                try Self.deleteUnreferencedVersions(db, referenced: references.versions)
                try Self.deleteUnreferencedEnrichments(db, referenced: references.sets)
            }
            return removed
        }
    }

    /// Deletes the lead versions no packed lead points at (their runs were pruned), then the texts no
    /// remaining version has.
    static func deleteUnreferencedVersions(_ db: Database, referenced: Set<Int64>) throws {
        let unreferenced = try Int64.fetchAll(db, sql: "SELECT id FROM lead_record").filter { !referenced.contains($0) }
        guard !unreferenced.isEmpty else { return }
        let deleteVersion = try db.makeStatement(sql: "DELETE FROM lead_record WHERE id = ?")
        for id in unreferenced { try deleteVersion.execute(arguments: [id]) }
        // Ten id columns: gathered in one pass over the versions rather than a ten-way union in SQL.
        var held = Set<Int64>()
        let columns = SharedSnapshotInsert.textIDColumns
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM lead_record")
        while let row = try rows.next() {
            for index in columns.indices { if let id: Int64 = row[index] { held.insert(id) } }
        }
        let unheld = try Int64.fetchAll(db, sql: "SELECT id FROM lead_text").filter { !held.contains($0) }
        let delete = try db.makeStatement(sql: "DELETE FROM lead_text WHERE id = ?")
        for id in unheld { try delete.execute(arguments: [id]) }
    }

    /// Prunes every pipeline's history as ``pruneRuns(pipeline:keepingLast:keepingDays:now:)`` does (their
    /// snapshots and enrichment values go with the runs); returns how many runs were removed.
    @discardableResult
    public func pruneAllRuns(keepingLast count: Int, keepingDays days: Int? = nil, now: Date = Date()) throws -> Int {
        var removed = 0
        for pipeline in try pipelines() {
            removed += try pruneRuns(pipeline: pipeline, keepingLast: count, keepingDays: days, now: now)
        }
        return removed
    }

    /// The pipelines (histories) that have recorded runs, by name.
    public func pipelines() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT pipeline FROM run ORDER BY pipeline") }
    }

    /// Rows per table and the file's size, for `leadhygiene store stats`.
    public func statistics() throws -> StoreStatistics {
        try pool.read { db in
            var rows: [(table: String, rows: Int)] = []
            // `run_lead` and `entity_key` count the leads and keys their packed tables hold (v-packed-runs).
            let packed = [
                "run_lead": "SELECT COALESCE(sum(lead_count), 0) FROM run_lead_pack",
                "entity_key": "SELECT COALESCE(sum(key_count), 0) FROM entity_key_pack",
            ]
            for table in ["run", "lead_snapshot", "lead_record", "lead_text", "run_lead", "enrichment_value", "enrichment_set", "enrichment_fact",
                          "enrichment_provenance", "dns_verdict", "http_page", "entity_key", "smtp_address_verdict",
                          "smtp_domain_verdict", "erasure_tombstone", "run_output"] {
                if let sql = packed[table] {
                    rows.append((table, try Int.fetchOne(db, sql: sql) ?? 0))
                    continue
                }
                guard try db.tableExists(table) else { continue }
                rows.append((table, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0))
            }
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return StoreStatistics(rows: rows, bytes: pages * pageSize, freeBytes: free * pageSize)
        }
    }

    /// Gives the space of deleted rows back to the file system (SQLite's VACUUM); returns the bytes saved.
    @discardableResult
    public func vacuum() throws -> Int {
        let before = try statistics().bytes
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return before - (try statistics().bytes)
    }

    // MARK: DNS verdict cache (email_check)

    /// The cached verdict for a domain, or `nil` when there is none or it expired before `now`.
    public func dnsVerdict(for domain: String, now: Date) throws -> DNSVerdictEntry? {
        try pool.read { db in
            try DNSVerdictEntry.fetchOne(db, sql: "SELECT * FROM dns_verdict WHERE domain = ? AND expires_at > ?",
                                         arguments: [domain, now])
        }
    }

    /// Every unexpired verdict at `now`, by domain: one read to warm an in-memory cache at stage start.
    public func dnsVerdicts(validAt now: Date) throws -> [String: DNSVerdictEntry] {
        try pool.read { db in
            var byDomain: [String: DNSVerdictEntry] = [:]
            let cursor = try DNSVerdictEntry.fetchCursor(db, sql: "SELECT * FROM dns_verdict WHERE expires_at > ?",
                                                         arguments: [now])
            while let entry = try cursor.next() { byDomain[entry.domain] = entry }
            return byDomain
        }
    }

    /// The entity id each of `recordKeys` was last given by dedupe (keys never seen are absent), with the ids
    /// `staged` for this run (not committed yet) over the stored ones.
    public func entityIDs(forRecordKeys recordKeys: [String], staged: [StagedEntityKeys] = []) throws -> [String: String] {
        let wanted = Set(recordKeys)
        var found: [String: String] = [:]
        found.reserveCapacity(wanted.count)
        try pool.read { db in
            try EntityKeyPacks.forEachEntry(db) { entry in
                if wanted.contains(entry.recordKey) { found[entry.recordKey] = entry.entityID }
            }
        }
        for set in staged { try set.entityIDs(forRecordKeys: wanted, into: &found) }
        return found
    }

    /// Remembers record key → entity id (replacing earlier ids) in one transaction of its own. A pipeline run
    /// stages its ids instead (``RunStagingArea/stageEntityKeys(_:)``), for the commit that records the run.
    public func rememberEntityIDs(_ entityIDByRecordKey: [String: String], at time: Date = Date()) throws {
        let staged = StagedEntityKeys(entityIDByRecordKey, at: time)
        try pool.write { db in try EntityKeyPacks.merge([staged], db: db) }
    }

    /// Saves verdicts (replacing older ones for the same domains) in one transaction.
    public func saveDNSVerdicts(_ entries: some Sequence<DNSVerdictEntry>) throws {
        try pool.write { db in
            for entry in entries { try entry.save(db) }
        }
    }

    /// Deletes verdicts that expired before `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func purgeExpiredDNSVerdicts(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM dns_verdict WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    // MARK: HTTP page cache (scrape)

    /// The cached response for `url` if it was fetched less than `maxAge` seconds before `now`.
    public func cachedPage(url: String, maxAge: TimeInterval, now: Date) throws -> CachedPage? {
        try pool.read { db in
            try CachedPage.fetchOne(db, sql: "SELECT * FROM http_page WHERE url = ? AND fetched_at > ?",
                                    arguments: [url, now.addingTimeInterval(-maxAge)])
        }
    }

    /// Saves responses (replacing older ones for the same URLs) in one transaction.
    public func savePages(_ pages: some Sequence<CachedPage>) throws {
        try pool.write { db in
            for page in pages { try page.save(db) }
        }
    }

    // MARK: Maintenance

    /// SQLite's `PRAGMA integrity_check` result: `["ok"]` for a sound file.
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The identifiers of the migrations applied to the file, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    /// Whether the store holds nothing but its schema: no run, no cached verdict or page, no entity id, no tombstone.
    /// A store a failed first run created is this (its stages migrated it as they were set up), and is removed. What
    /// the migrations write (their list, the erasure key no subject was hashed with yet) does not count.
    public func holdsNothing() throws -> Bool {
        try pool.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                  AND name NOT IN ('grdb_migrations', 'erasure_key')
                """)
            for table in tables where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.quotedDatabaseIdentifier))") == true {
                return false
            }
            return true
        }
    }

    /// Runs a read-only SQL query and returns its first column as integers (for reports and tests).
    public func integers(_ sql: String, arguments: [any DatabaseValueConvertible & Sendable] = []) throws -> [Int] {
        try pool.read { db in try Int.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
    }
}

/// Why the store could not be used.
public enum RunStoreError: Error, CustomStringConvertible, Sendable {
    /// The file has migrations this build does not know: it was written by a newer LeadHygiene.
    case newerSchema([String])
    /// The file lacks migrations this build applies, and it was opened read-only, so they were not applied.
    case olderSchema([String])
    /// The store was opened read-only (a dry run, explain-match), and something tried to write to it.
    case readOnly
    /// The run's store connection was closed when the run ended, and a stage asked for it afterwards.
    case closed
    /// SQLite did not return an id for the new run row.
    case noRunID
    /// The store has no erasure key (the `v-erasure` migration creates it; a file edited by hand may lack it).
    case missingErasureKey
    /// `wal_checkpoint(TRUNCATE)` could not copy every frame: another connection is reading or writing.
    case checkpointIncomplete

    public var description: String {
        switch self {
        case .newerSchema(let ids):
            "the store was written by a newer LeadHygiene (unknown migrations: \(ids.joined(separator: ", ")))"
        case .olderSchema:
            "the store was written by an older LeadHygiene and needs upgrading, which this run may not do "
                + "(it leaves the store as it is); a recorded run upgrades it"
        case .readOnly: "the store was opened read-only (a dry run or explain-match leaves it as it is)"
        case .closed: "the run is over and its store connection closed"
        case .noRunID: "the store did not assign an id to the run"
        case .missingErasureKey: "the store has no erasure key (table erasure_key is empty)"
        case .checkpointIncomplete:
            "the deletion is committed, but another process is using the store, so its write-ahead log could not be emptied; "
                + "run the command again once that process has finished"
        }
    }
}

/// What a store holds: rows per table and its size.
public struct StoreStatistics: Sendable {
    public var rows: [(table: String, rows: Int)]
    /// The database's size (pages × page size).
    public var bytes: Int
    /// Of which free pages, reclaimed by ``RunStore/vacuum()``.
    public var freeBytes: Int
}
