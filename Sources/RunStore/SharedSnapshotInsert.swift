import Foundation
import GRDB
import GRDBSQLite

/// Stores a run's staged snapshots in the shared layout (migrations `v-snapshot-sharing`, `v-lead-text`,
/// `v-packed-runs`): a lead whose snapshot is byte for byte the one its entity had in the history's previous
/// run points at that version (`lead_record`, read through the view `lead_version`); only a lead that changed,
/// or is new to the history, gets a new version. A version keeps its entity id and the part of its email
/// before the `@` as text, and the ids of its other texts, which versions share (``LeadTextIDs``). Every lead
/// gets an entry in the run's packed leads (``RunLeadPack``) with what changes every run (its input line,
/// decay status and score).
///
/// An unchanged lead costs a packed entry of about nine bytes instead of a full snapshot, which is what
/// keeps a weekly store from growing by a whole list each week. The previous run's leads are in entity
/// order, as the staged ones are, so finding an entity's last version is a walk beside them rather than a
/// lookup in an index of every version. The lead's enrichment values, staged in another file in the same
/// entity order, are walked alongside too: the entry points at their shared set (``SharedEnrichmentInsert``).
struct SharedSnapshotInsert {
    // The GRDB statements own the SQLite statements the raw calls use: kept for as long as those are.
    private let statements: [Statement]
    private let versionInsert: RawRowInsert
    /// Values of an entity the run has no snapshot of go to `enrichment_value`, per run, as before.
    private let unsharedEnrichmentInsert: RawRowInsert
    private var enrichments: SharedEnrichmentInsert
    private let db: Database

    /// The version's texts, in staging order (the staged row's texts but the entity id and decay status).
    static let versionColumns = ["email", "first_name", "last_name", "title", "company", "domain", "email_status",
                                 "web_status", "web_redirect_domain", "disposition"]
    /// `lead_record`'s text ids: the email's part after its first `@` (NULL: the email has none), then the
    /// other texts of `versionColumns` (NULL: empty).
    static let textIDColumns = ["email_domain_id"] + versionColumns.dropFirst().map { $0 + "_id" }
    private var leadTexts: LeadTextIDs

    private let sets: StagedEnrichmentSets

    init(db: Database, sets: StagedEnrichmentSets) throws {
        self.db = db
        self.sets = sets
        statements = [
            try db.makeStatement(sql: """
                INSERT INTO lead_record (entity_id, email_local, \(Self.textIDColumns.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """),
            try db.makeStatement(sql: RunRows.enrichmentInsert),
        ]
        versionInsert = RawRowInsert(statements[0].sqliteStatement)
        unsharedEnrichmentInsert = RawRowInsert(statements[1].sqliteStatement)
        enrichments = try SharedEnrichmentInsert(db: db, staged: sets)
        leadTexts = try LeadTextIDs(db: db)
    }

    /// Inserts the snapshots a staging file holds (see ``RunRows/stage(_:in:)`` for the row layout),
    /// in entity-id order; of rows with the same entity id the first one staged wins. Each lead's
    /// enrichment values (`enrichmentFile`: per entity, its staged sets in staging order) become its set.
    /// - Parameter previous: the versions of the history's run before this one, which unchanged leads share.
    /// - Returns: how many leads the run stored.
    mutating func insert(_ file: StagingFile, enrichments enrichmentFile: StagingFile, runID: Int64,
                         previous: PreviousVersions) throws -> Int {
        var previous = previous
        var packs = try RunLeadPacks.Writer(runID: runID, db: db)
        // The entity before this one, in a buffer reused from lead to lead (a copy per lead was a million allocations).
        var previousEntity: [UInt8] = []
        var isFirst = true
        var texts = [UnsafeRawBufferPointer](repeating: UnsafeRawBufferPointer(start: nil, count: 0),
                                            count: Self.versionColumns.count)
        var textIDs = [Int64?](repeating: nil, count: Self.textIDColumns.count)
        var stagedSets: [Int] = []
        let values = try enrichmentFile.rowsInKeyOrder()
        var value = try values.next()
        try file.forEachRowInKeyOrder { reader in
            let entity = reader.text()
            // Rows come in key order, so a repeated entity id follows the row it repeats.
            if !isFirst, entity.elementsEqual(previousEntity) { return }
            isFirst = false
            previousEntity.removeAll(keepingCapacity: true)
            previousEntity.append(contentsOf: entity)
            let line = reader.integer()
            for i in 0..<9 { texts[i] = reader.text() }
            let decayStatus = reader.text()
            let decayScore = reader.real()
            texts[9] = reader.text()

            // The values of entities before this one have no snapshot in the run.
            while let row = value, StagedRowKey.compare(firstTextOf: row, with: entity) < 0 {
                try insertUnshared(row, runID: runID)
                value = try values.next()
            }
            stagedSets.removeAll(keepingCapacity: true)
            while let row = value, StagedRowKey.compare(firstTextOf: row, with: entity) == 0 {
                var reader = StagingReader(bytes: row)
                _ = reader.text()
                stagedSets.append(Int(reader.integer()))
                value = try values.next()
            }
            let setID = try enrichments.setID(ofStaged: stagedSets)

            // Most leads equal last run's version: compared text by text with the stored texts, they need no
            // lookup of their texts' ids.
            let versionID: Int64
            if leadTexts.comparesByID, let unchanged = previous.unchangedVersion(of: entity, texts: texts, leadTexts: leadTexts) {
                versionID = unchanged
            } else {
                let emailLocal = try storedForm(texts, ids: &textIDs)
                versionID = try previous.unchangedVersion(of: entity, emailLocal: emailLocal, textIDs: textIDs)
                    ?? newVersion(of: entity, emailLocal: emailLocal, textIDs: textIDs)
            }
            try packs.append(RunLeadEntry(versionID: versionID, line: Int(line),
                                          decayStatus: String(decoding: decayStatus, as: UTF8.self),
                                          decayScore: decayScore, enrichmentSetID: setID))
        }
        while let row = value {
            try insertUnshared(row, runID: runID)
            value = try values.next()
        }
        try packs.finish()
        return packs.written
    }

    /// The values of an entity without a snapshot in this run, kept per run in `enrichment_value` (the last
    /// one of a field wins).
    private func insertUnshared(_ row: UnsafeRawBufferPointer, runID: Int64) throws {
        var reader = StagingReader(bytes: row)
        let entity = reader.text()
        for fact in try sets.facts(ofSet: Int(reader.integer())) {
            try sets.withFact(fact) { field, value, source, asOf in
                unsharedEnrichmentInsert.bind(1, runID)
                unsharedEnrichmentInsert.bind(2, utf8: entity)
                unsharedEnrichmentInsert.bind(3, utf8: field)
                unsharedEnrichmentInsert.bind(4, utf8: value)
                unsharedEnrichmentInsert.bind(5, utf8: source)
                unsharedEnrichmentInsert.bind(6, utf8: asOf)
                try unsharedEnrichmentInsert.step(db)
            }
        }
    }

    /// A version's texts as `lead_record` keeps them: returns the email's part before its first `@` (all
    /// of it without one) and sets `ids` to the ids of the part after it and of the other texts.
    private mutating func storedForm(_ texts: [UnsafeRawBufferPointer], ids: inout [Int64?]) throws -> UnsafeRawBufferPointer {
        let email = texts[0]
        var local = email
        ids[0] = nil
        if let at = email.firstIndex(of: UInt8(ascii: "@")) {
            local = UnsafeRawBufferPointer(rebasing: email[..<at])
            ids[0] = try leadTexts.id(of: UnsafeRawBufferPointer(rebasing: email[(at + 1)...]))
        }
        for i in 1..<texts.count { ids[i] = try leadTexts.idUnlessEmpty(texts[i]) }
        return local
    }

    private func newVersion(of entity: UnsafeRawBufferPointer, emailLocal: UnsafeRawBufferPointer,
                            textIDs: [Int64?]) throws -> Int64 {
        versionInsert.bind(1, utf8: entity)
        versionInsert.bind(2, utf8: emailLocal)
        for (i, id) in textIDs.enumerated() { versionInsert.bind(Int32(i + 3), optional: id) }
        try versionInsert.step(db)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }
}

/// The versions the history's previous run pointed at, in its entity order, walked beside this run's
/// staged leads (in the same order) to find the leads that did not change.
struct PreviousVersions {
    private let leads: [RunLeadEntry]
    private let rows: LeadRecordRows
    private var next = 0

    init(runID: Int64?, db: Database) throws {
        leads = try runID.map { try RunLeadPacks.leads(runID: $0, db: db) } ?? []
        rows = try LeadRecordRows(ids: leads.map(\.versionID), db: db)
    }

    /// The previous run's version of `entity` when it holds this email part and these text ids, else `nil`.
    /// Entities must be asked in increasing BINARY order.
    mutating func unchangedVersion(of entity: UnsafeRawBufferPointer, emailLocal: UnsafeRawBufferPointer,
                                   textIDs: [Int64?]) throws -> Int64? {
        guard let row = row(of: entity) else { return nil }
        guard rows.withEmailLocal(row, { $0.elementsEqual(emailLocal) }) else { return nil }
        for (column, id) in textIDs.enumerated() where rows.textID(row, column) != id { return nil }
        return leads[next].versionID
    }

    /// The previous run's version of `entity` when its texts are these staged ones (in
    /// ``SharedSnapshotInsert/versionColumns`` order): the answer of ``unchangedVersion(of:emailLocal:textIDs:)``
    /// for the ids `leadTexts` would give them, found by comparing bytes. Only when `leadTexts.comparesByID`.
    /// Entities must be asked in increasing BINARY order.
    mutating func unchangedVersion(of entity: UnsafeRawBufferPointer, texts: [UnsafeRawBufferPointer],
                                   leadTexts: LeadTextIDs) -> Int64? {
        guard let row = row(of: entity) else { return nil }
        let email = texts[0]
        var local = email
        if let at = email.firstIndex(of: UInt8(ascii: "@")) {
            local = UnsafeRawBufferPointer(rebasing: email[..<at])
            guard let domain = rows.textID(row, 0),
                  leadTexts.storedID(domain, isIDOf: UnsafeRawBufferPointer(rebasing: email[(at + 1)...])) else { return nil }
        } else if rows.textID(row, 0) != nil {
            return nil
        }
        guard rows.withEmailLocal(row, { $0.elementsEqual(local) }) else { return nil }
        for column in 1..<texts.count where !leadTexts.storedID(rows.textID(row, column), isIDUnlessEmptyOf: texts[column]) {
            return nil
        }
        return leads[next].versionID
    }

    /// The loaded row of the previous run's lead with this entity id (`next` is then its position), or `nil`.
    private mutating func row(of entity: UnsafeRawBufferPointer) -> Int? {
        while next < leads.count {
            guard let row = rows.row(at: next) else { next += 1; continue }
            let order = rows.withEntity(row) { Self.compare($0, entity) }
            if order < 0 { next += 1; continue }
            return order == 0 ? row : nil
        }
        return nil
    }

    /// SQLite's BINARY order: bytes compared as unsigned, then the shorter first.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
