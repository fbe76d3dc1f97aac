import Foundation
import GRDB

/// The person `leadhygiene forget` erases, as the store can recognise them: which stored addresses are
/// theirs (the caller's mailbox-identity rule) and which texts in free-form data (cached pages, other
/// tables) mention them.
public struct ErasureSubject: Sendable {
    /// The tombstone's keyed hash of the person's mailbox identity (never the address).
    public var hash: String
    /// Whether a stored address (an email column, a record key) is one of the person's spellings.
    public var isSubjectAddress: @Sendable (String) -> Bool
    /// Lower-case spellings searched for, case-insensitively, in pages and other free text.
    public var spellings: [String]

    public init(hash: String, isSubjectAddress: @escaping @Sendable (String) -> Bool, spellings: [String]) {
        self.hash = hash
        self.isSubjectAddress = isSubjectAddress
        self.spellings = spellings
    }
}

/// What erasing one person deleted, table by table.
public struct ErasureOutcome: Sendable {
    /// Rows deleted per table, in the order they were deleted (tables with none left out).
    public var deleted: [(table: String, rows: Int)] = []
    /// The entity ids the person was stored under.
    public var entityIDs: [String] = []
    /// The stored spellings of the person's address (for finding them in output files).
    public var spellings: [String] = []
    /// The runs that held a snapshot of the person.
    public var runIDs: [Int64] = []
    /// Whether the person already had a tombstone (an earlier request).
    public var wasErasedBefore = false

    public var totalRows: Int { deleted.reduce(0) { $0 + $1.rows } }
}

/// A file a recorded run wrote.
public struct RunOutputFile: Sendable, Hashable {
    public var runID: Int64
    public var role: String
    public var path: String
}

extension RunStore {
    // MARK: Erasure (`leadhygiene forget`, docs/privacy.md)

    /// The store's secret key for tombstone hashes, generated when the store was created.
    public func erasureKey() throws -> [UInt8] {
        try pool.read { db in
            guard let key = try Data.fetchOne(db, sql: "SELECT key FROM erasure_key WHERE id = 1") else {
                throw RunStoreError.missingErasureKey
            }
            return [UInt8](key)
        }
    }

    /// Every tombstone's hash, for checking a run's rows without a query per row.
    public func tombstoneHashes() throws -> Set<String> {
        try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT subject_hash FROM erasure_tombstone")) }
    }

    /// The files recorded runs wrote, oldest run first.
    public func outputFiles() throws -> [RunOutputFile] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, role, path FROM run_output ORDER BY run_id, path").map {
                RunOutputFile(runID: $0["run_id"], role: $0["role"], path: $0["path"])
            }
        }
    }

    /// Records the files a run wrote (absolute paths), so a later erasure can list them.
    ///
    /// The runner records them with the run row instead (``commit(_:staging:outputs:)``).
    public func recordOutputFiles(runID: Int64, files: [(role: String, path: String)]) throws {
        try pool.write { db in try Self.insertOutputFiles(files, runID: runID, db: db) }
    }

    /// Inserts a run's output files (inside the caller's transaction).
    static func insertOutputFiles(_ files: [(role: String, path: String)], runID: Int64, db: Database) throws {
        for file in files {
            try db.execute(sql: "INSERT OR REPLACE INTO run_output (run_id, role, path) VALUES (?, ?, ?)",
                           arguments: [runID, file.role, file.path])
        }
    }

    /// Deletes every row about `subject` in one transaction and keeps its tombstone, then checkpoints the
    /// WAL into the database and truncates it, so the person's bytes are in neither file (`secure_delete`
    /// zeroes what the deletes free).
    ///
    /// Rows about the person: lead snapshots of both layouts (by entity id or address), their enrichment
    /// values, dedupe's entity keys, SMTP verdicts for the address, cached pages that mention it, and rows
    /// of any other table (such as a later stage's) with a text column that mentions it or names one of
    /// the person's entity ids.
    /// - Throws: ``RunStoreError/checkpointIncomplete`` when another process kept the WAL from being emptied
    ///   (the deletion itself is committed; run `forget` again when the other process has finished).
    @discardableResult
    public func erase(_ subject: ErasureSubject, requestID: String, at time: Date = Date()) throws -> ErasureOutcome {
        let outcome = try pool.write { db in try Self.erase(subject, requestID: requestID, at: time, in: db) }
        try checkpointTruncating()
        return outcome
    }

    /// Copies every WAL frame into the database and truncates the WAL to zero bytes.
    public func checkpointTruncating() throws {
        try pool.writeWithoutTransaction { db in
            guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") else { return }
            let busy: Int = row[0]
            if busy != 0 { throw RunStoreError.checkpointIncomplete }
        }
    }

    private static let erasureTablesHandled: Set<String> = [
        "run", "run_output", "lead_snapshot", "lead_record", "lead_text", "run_lead_pack", "enrichment_value", "entity_key_pack",
        // A company's facts, shared by every lead and run that has them (v-shared-enrichment): nothing about one person.
        "enrichment_fact", "enrichment_set", "enrichment_provenance",
        "smtp_address_verdict", "smtp_domain_verdict", "dns_verdict", "http_page", "erasure_key", "erasure_tombstone",
        "grdb_migrations",
    ]

    private static func erase(_ subject: ErasureSubject, requestID: String, at time: Date, in db: Database) throws -> ErasureOutcome {
        var outcome = ErasureOutcome()
        let spellings = subject.spellings.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        db.add(function: DatabaseFunction("leadhygiene_is_subject", argumentCount: 1, pure: true) { values in
            guard let text = String.fromDatabaseValue(values[0]) else { return false }
            return subject.isSubjectAddress(text)
        })
        db.add(function: DatabaseFunction("leadhygiene_mentions", argumentCount: 1, pure: true) { values in
            let bytes: [UInt8]
            if let text = String.fromDatabaseValue(values[0]) {
                bytes = Array(text.utf8)
            } else if let data = Data.fromDatabaseValue(values[0]) {
                bytes = [UInt8](data)
            } else {
                return false
            }
            return ErasureText.mentions(bytes, anyOf: spellings)
        })

        // Who the person is in the store: their entity ids and the spellings of their address.
        var entityIDs = Set<String>()
        var found = Set(subject.spellings.map { $0.lowercased() })
        for table in ["lead_snapshot", "lead_version"] {
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT entity_id, email FROM \(table) WHERE leadhygiene_is_subject(email)") {
                entityIDs.insert(row["entity_id"])
                found.insert((row["email"] as String).lowercased())
            }
        }
        // dedupe's remembered keys are packed (v-packed-runs): matched here, in Swift.
        let rememberedKeys = try EntityKeyPacks.entries(db)
        func isSubjectKey(_ key: String) -> Bool {
            subject.isSubjectAddress(key) || ErasureText.mentions(Array(key.utf8), anyOf: spellings)
        }
        for entry in rememberedKeys where isSubjectKey(entry.recordKey) { entityIDs.insert(entry.entityID) }
        let emailKeyed = try String.fetchAll(db, sql: "SELECT DISTINCT entity_id FROM lead_version WHERE entity_id LIKE 'email:%'")
            + String.fetchAll(db, sql: "SELECT DISTINCT entity_id FROM lead_snapshot WHERE entity_id LIKE 'email:%'")
        for id in emailKeyed where subject.isSubjectAddress(String(id.dropFirst("email:".count))) { entityIDs.insert(id) }
        outcome.entityIDs = entityIDs.sorted()
        outcome.spellings = found.sorted()

        try db.execute(sql: "CREATE TEMP TABLE erased_entity (entity_id TEXT PRIMARY KEY) WITHOUT ROWID")
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.erased_entity") }
        for id in entityIDs { try db.execute(sql: "INSERT INTO erased_entity VALUES (?)", arguments: [id]) }
        let isErased = "(entity_id IN (SELECT entity_id FROM erased_entity) OR leadhygiene_is_subject(email))"
        let erasedVersions = Set(try Int64.fetchAll(db, sql: "SELECT id FROM lead_version WHERE \(isErased)"))
        // The packed leads that point at the person's versions: each blob that holds one is rewritten without them.
        var rewrittenPacks: [(packID: Int64, leads: [RunLeadEntry])] = []
        var packedRuns = Set<Int64>()
        var packedLeadsErased = 0
        if !erasedVersions.isEmpty {
            try RunLeadPacks.forEachBlob(db) { packID, runID, blob in
                let leads = try RunLeadPack.decode(blob)
                let kept = leads.filter { !erasedVersions.contains($0.versionID) }
                guard kept.count < leads.count else { return }
                rewrittenPacks.append((packID, kept))
                packedRuns.insert(runID)
                packedLeadsErased += leads.count - kept.count
            }
        }
        outcome.runIDs = Array(Set(try Int64.fetchAll(db, sql: "SELECT run_id FROM lead_snapshot WHERE \(isErased)"))
            .union(packedRuns)).sorted()

        func delete(_ table: String, _ sql: String) throws {
            try db.execute(sql: sql)
            if db.changesCount > 0 { outcome.deleted.append((table, db.changesCount)) }
        }
        try delete("lead_snapshot", "DELETE FROM lead_snapshot WHERE \(isErased)")
        for pack in rewrittenPacks {
            if pack.leads.isEmpty {
                try db.execute(sql: "DELETE FROM run_lead_pack WHERE id = ?", arguments: [pack.packID])
            } else {
                try db.execute(sql: "UPDATE run_lead_pack SET lead_count = ?, leads = ? WHERE id = ?",
                               arguments: [pack.leads.count, Data(RunLeadPack.encode(pack.leads)), pack.packID])
            }
        }
        // Named as the rows were before they were packed: the person's leads, one per run.
        if packedLeadsErased > 0 { outcome.deleted.append(("run_lead", packedLeadsErased)) }
        // `lead_version` is a view (v-lead-text): the person's versions go from `lead_record`, then every text no
        // version names any more (a surname only they had), so no byte of theirs is left in `lead_text`.
        try delete("lead_record", "DELETE FROM lead_record WHERE id IN (SELECT id FROM lead_version WHERE \(isErased))")
        let textColumns = (["email_domain"] + StoreMigrations.textColumns).map { "SELECT \($0)_id FROM lead_record" }
        try delete("lead_text", """
            DELETE FROM lead_text WHERE id NOT IN (\(textColumns.map { "\($0) WHERE \($0.split(separator: " ")[1]) IS NOT NULL" }
                .joined(separator: " UNION ")))
            """)
        try delete("enrichment_value", "DELETE FROM enrichment_value WHERE entity_id IN (SELECT entity_id FROM erased_entity)")
        let keptKeys = rememberedKeys.filter { !entityIDs.contains($0.entityID) && !isSubjectKey($0.recordKey) }
        if keptKeys.count < rememberedKeys.count {
            try EntityKeyPacks.replace(with: keptKeys, db: db)
            outcome.deleted.append(("entity_key", rememberedKeys.count - keptKeys.count))
        }
        try delete("smtp_address_verdict", "DELETE FROM smtp_address_verdict WHERE leadhygiene_is_subject(address)")
        try delete("http_page", """
            DELETE FROM http_page WHERE leadhygiene_mentions(body) OR leadhygiene_mentions(url) OR leadhygiene_mentions(headers_json)
            """)
        // Tables this version does not know by name (a later stage's, such as route's assignments): a row
        // whose text names the person or one of their entity ids goes.
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        where !erasureTablesHandled.contains(table) {
            let columns = try db.columns(in: table).map(\.name)
            guard !columns.isEmpty else { continue }
            let quoted = columns.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            let condition = quoted.map { "leadhygiene_mentions(\($0)) OR \($0) IN (SELECT entity_id FROM erased_entity)" }
                .joined(separator: " OR ")
            try delete(table, "DELETE FROM \"\(table)\" WHERE \(condition)")
        }
        for runID in outcome.runIDs {
            try db.execute(sql: """
                UPDATE run SET snapshot_count = (SELECT count(*) FROM lead_snapshot WHERE run_id = ?1)
                    + (SELECT COALESCE(sum(lead_count), 0) FROM run_lead_pack WHERE run_id = ?1) WHERE id = ?1
                """, arguments: [runID])
        }
        outcome.wasErasedBefore = try Bool.fetchOne(db, sql: "SELECT 1 FROM erasure_tombstone WHERE subject_hash = ?",
                                                    arguments: [subject.hash]) ?? false
        try db.execute(sql: """
            INSERT INTO erasure_tombstone (subject_hash, erased_at, request_id) VALUES (?, ?, ?)
            ON CONFLICT(subject_hash) DO UPDATE SET erased_at = excluded.erased_at, request_id = excluded.request_id
            """, arguments: [subject.hash, time, requestID])
        return outcome
    }
}

/// Case-insensitive (ASCII) search for any of several byte strings (given in lower case): how erasure finds
/// a person's address in pages, free text and output files.
public enum ErasureText {
    public static func mentions(_ haystack: [UInt8], anyOf needles: [[UInt8]]) -> Bool {
        guard !needles.isEmpty else { return false }
        let lowered = haystack.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for needle in needles where needle.count <= lowered.count {
            let first = needle[0]
            var i = 0
            let last = lowered.count - needle.count
            while i <= last {
                if lowered[i] == first, lowered[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
        }
        return false
    }
}
