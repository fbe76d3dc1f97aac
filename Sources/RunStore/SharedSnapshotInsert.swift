import Foundation
import GRDB
import GRDBSQLite

/// Stores a run's staged snapshots in the shared layout (migrations `v-snapshot-sharing`, `v-lead-text`):
/// a lead whose snapshot is byte for byte the one its entity last stored points at that version
/// (`lead_record`, read through the view `lead_version`); only a lead that changed, or is new, gets a
/// new version. A version keeps its entity id and the part of its email before the `@` as text, and
/// the ids of its other texts, which versions share (``LeadTextIDs``). Every lead gets a `run_lead` row with
/// what changes every run (its input line, decay status and score).
///
/// An unchanged lead costs a `run_lead` row of a few integers instead of a full snapshot, which is
/// what keeps a weekly store from growing by a whole list each week. The lead's enrichment values,
/// staged in another file in the same entity order, are walked alongside: the row points at their
/// shared set (``SharedEnrichmentInsert``).
struct SharedSnapshotInsert {
    // The GRDB statements own the SQLite statements the raw calls use: kept for as long as those are.
    private let statements: [Statement]
    private let latestVersion: SQLiteStatement
    private let versionInsert: RawRowInsert
    private let runLeadInsert: RawRowInsert
    /// Values of an entity the run has no snapshot of go to `enrichment_value`, per run, as before.
    private let unsharedEnrichmentInsert: RawRowInsert
    private let enrichments: SharedEnrichmentInsert
    private let db: Database

    /// The version's texts, in staging order (the staged row's texts but the entity id and decay status).
    static let versionColumns = ["email", "first_name", "last_name", "title", "company", "domain", "email_status",
                                 "web_status", "web_redirect_domain", "disposition"]
    /// `lead_record`'s text ids: the email's part after its first `@` (NULL: the email has none), then the
    /// other texts of `versionColumns` (NULL: empty).
    static let textIDColumns = ["email_domain_id"] + versionColumns.dropFirst().map { $0 + "_id" }
    private let leadTexts: LeadTextIDs

    init(db: Database) throws {
        self.db = db
        statements = [
            try db.makeStatement(sql: """
                SELECT id, email_local, \(Self.textIDColumns.joined(separator: ", ")) FROM lead_record
                WHERE entity_id = ? ORDER BY id DESC LIMIT 1
                """),
            try db.makeStatement(sql: """
                INSERT INTO lead_record (entity_id, email_local, \(Self.textIDColumns.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """),
            try db.makeStatement(sql: """
                INSERT INTO run_lead (run_id, version_id, line, decay_status, decay_score, enrichment_set_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """),
            try db.makeStatement(sql: RunRows.enrichmentInsert),
        ]
        latestVersion = statements[0].sqliteStatement
        versionInsert = RawRowInsert(statements[1].sqliteStatement)
        runLeadInsert = RawRowInsert(statements[2].sqliteStatement)
        unsharedEnrichmentInsert = RawRowInsert(statements[3].sqliteStatement)
        enrichments = try SharedEnrichmentInsert(db: db)
        leadTexts = try LeadTextIDs(db: db)
    }

    /// Inserts the snapshots a staging file holds (see ``RunRows/stage(_:in:)`` for the row layout),
    /// in entity-id order; of rows with the same entity id the first one staged wins. Each lead's
    /// enrichment values (`enrichmentFile`, in entity then field order) become its set.
    /// - Returns: how many leads the run stored (its `run_lead` rows).
    func insert(_ file: StagingFile, enrichments enrichmentFile: StagingFile, runID: Int64) throws -> Int {
        var stored = 0
        var previousEntity: [UInt8]?
        var texts = [UnsafeRawBufferPointer](repeating: UnsafeRawBufferPointer(start: nil, count: 0),
                                            count: Self.versionColumns.count)
        var textIDs = [Int64?](repeating: nil, count: Self.textIDColumns.count)
        let values = try enrichmentFile.rowsInKeyOrder()
        var value = try values.next()
        try file.forEachRowInKeyOrder { reader in
            let entity = reader.text()
            // Rows come in key order, so a repeated entity id follows the row it repeats.
            if let previousEntity, entity.elementsEqual(previousEntity) { return }
            previousEntity = Array(entity)
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
            while let row = value, StagedRowKey.compare(firstTextOf: row, with: entity) == 0 {
                var reader = StagingReader(bytes: row)
                _ = reader.text()
                enrichments.add(field: reader.text(), value: reader.text(), source: reader.text(), asOf: reader.text())
                value = try values.next()
            }
            let setID = try enrichments.finishLead()

            let emailLocal = try storedForm(texts, ids: &textIDs)
            let versionID = try unchangedVersion(of: entity, emailLocal: emailLocal, textIDs: textIDs)
                ?? newVersion(of: entity, emailLocal: emailLocal, textIDs: textIDs)
            runLeadInsert.bind(1, runID)
            runLeadInsert.bind(2, versionID)
            runLeadInsert.bind(3, line)
            runLeadInsert.bind(4, utf8: decayStatus)
            runLeadInsert.bind(5, decayScore)
            runLeadInsert.bind(6, optional: setID)
            try runLeadInsert.step(db)
            stored += 1
        }
        while let row = value {
            try insertUnshared(row, runID: runID)
            value = try values.next()
        }
        return stored
    }

    /// A value of an entity without a snapshot in this run, kept per run in `enrichment_value` (the last one of a field wins).
    private func insertUnshared(_ row: UnsafeRawBufferPointer, runID: Int64) throws {
        var reader = StagingReader(bytes: row)
        unsharedEnrichmentInsert.bind(1, runID)
        for index in Int32(2)...6 { unsharedEnrichmentInsert.bind(index, utf8: reader.text()) }
        try unsharedEnrichmentInsert.step(db)
    }

    /// A version's texts as `lead_record` keeps them: returns the email's part before its first `@` (all
    /// of it without one) and sets `ids` to the ids of the part after it and of the other texts.
    private func storedForm(_ texts: [UnsafeRawBufferPointer], ids: inout [Int64?]) throws -> UnsafeRawBufferPointer {
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

    /// The entity's newest version when it holds this email part and these text ids, else `nil`.
    private func unchangedVersion(of entity: UnsafeRawBufferPointer, emailLocal: UnsafeRawBufferPointer,
                                  textIDs: [Int64?]) throws -> Int64? {
        defer { sqlite3_reset(latestVersion) }
        bindText(latestVersion, 1, entity)
        let code = sqlite3_step(latestVersion)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        // The bytes as stored (a TEXT column read as a blob is not converted), then their count.
        let stored = sqlite3_column_blob(latestVersion, 1)
        let count = Int(sqlite3_column_bytes(latestVersion, 1))
        guard count == emailLocal.count else { return nil }
        if count > 0, let stored, memcmp(stored, emailLocal.baseAddress!, count) != 0 { return nil }
        for (i, id) in textIDs.enumerated() {
            let column = Int32(i + 2)
            let storedID: Int64? = sqlite3_column_type(latestVersion, column) == SQLITE_NULL ? nil : sqlite3_column_int64(latestVersion, column)
            guard storedID == id else { return nil }
        }
        return sqlite3_column_int64(latestVersion, 0)
    }

    private func newVersion(of entity: UnsafeRawBufferPointer, emailLocal: UnsafeRawBufferPointer,
                            textIDs: [Int64?]) throws -> Int64 {
        versionInsert.bind(1, utf8: entity)
        versionInsert.bind(2, utf8: emailLocal)
        for (i, id) in textIDs.enumerated() { versionInsert.bind(Int32(i + 3), optional: id) }
        try versionInsert.step(db)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    private func bindText(_ statement: SQLiteStatement, _ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        if let base = bytes.baseAddress, bytes.count > 0 {
            sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        } else {
            sqlite3_bind_text(statement, index, "", 0, transient)
        }
    }
}
