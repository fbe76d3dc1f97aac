import GRDB

/// The bulk inserts of a run's snapshots and enrichment values, shared by the direct write
/// (``RunStore/recordRun(_:snapshots:enrichments:)``) and the staged one (``StagedRun``).
enum RunRows {
    /// One snapshot into `lead_snapshot`; a repeated entity id in the same run is ignored.
    static let snapshotInsert = """
        INSERT OR IGNORE INTO lead_snapshot
        (run_id, entity_id, line, email, first_name, last_name, title, company, domain,
         email_status, web_status, web_redirect_domain, decay_status, decay_score, disposition)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let enrichmentInsert = """
        INSERT OR REPLACE INTO enrichment_value (run_id, entity_id, field, value, source, as_of)
        VALUES (?, ?, ?, ?, ?, ?)
        """

    static func insertSnapshots(_ snapshots: some Sequence<LeadSnapshot>, runID: Int64, db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: snapshotInsert)
        var stored = 0
        // Values are bound with SQLite's own calls: GRDB's per-row argument boxing cost more than the inserts.
        let row = RawRowInsert(statement.sqliteStatement)
        for s in snapshots {
            row.bind(1, runID)
            row.bind(2, s.entityID)
            row.bind(3, Int64(s.line))
            row.bind(4, s.email)
            row.bind(5, s.firstName)
            row.bind(6, s.lastName)
            row.bind(7, s.title)
            row.bind(8, s.company)
            row.bind(9, s.domain)
            row.bind(10, s.emailStatus)
            row.bind(11, s.webStatus)
            row.bind(12, s.webRedirectDomain)
            row.bind(13, s.decayStatus)
            row.bind(14, s.decayScore)
            row.bind(15, s.disposition)
            try row.step(db)
            stored += db.changesCount
        }
        return stored
    }

    /// Inserts enrichment values into `table`; a later value for the same entity and field replaces an earlier one.
    static func insertEnrichments(_ enrichments: some Sequence<EnrichmentValue>, runID: Int64, db: Database) throws {
        let statement = try db.makeStatement(sql: enrichmentInsert)
        let row = RawRowInsert(statement.sqliteStatement)
        for e in enrichments {
            row.bind(1, runID)
            row.bind(2, e.entityID)
            row.bind(3, e.field)
            row.bind(4, e.value)
            row.bind(5, e.source)
            row.bind(6, e.asOf)
            try row.step(db)
        }
    }

    /// Writes a snapshot to a staging file, value by value in binding order.
    static func stage(_ s: LeadSnapshot, in file: StagingFile) throws {
        file.append(s.entityID)
        file.append(Int64(s.line))
        file.append(s.email)
        file.append(s.firstName)
        file.append(s.lastName)
        file.append(s.title)
        file.append(s.company)
        file.append(s.domain)
        file.append(s.emailStatus)
        file.append(s.webStatus)
        file.append(s.webRedirectDomain)
        file.append(s.decayStatus)
        file.append(s.decayScore)
        file.append(s.disposition)
        try file.endRow()
    }

    static func stage(_ e: EnrichmentValue, in file: StagingFile) throws {
        file.append(e.entityID)
        file.append(e.field)
        file.append(e.value)
        file.append(e.source)
        file.append(e.asOf)
        try file.endRow()
    }

    /// Inserts the snapshots a staging file holds, in the order staged.
    /// - Returns: how many rows were stored.
    static func insertStagedSnapshots(_ file: StagingFile, runID: Int64, db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: snapshotInsert)
        let row = RawRowInsert(statement.sqliteStatement)
        var stored = 0
        try file.forEachRow { reader in
            row.bind(1, runID)
            row.bind(2, utf8: reader.text())
            row.bind(3, reader.integer())
            for index in Int32(4)...13 { row.bind(index, utf8: reader.text()) }
            row.bind(14, reader.real())
            row.bind(15, utf8: reader.text())
            try row.step(db)
            stored += db.changesCount
        }
        return stored
    }

    static func insertStagedEnrichments(_ file: StagingFile, runID: Int64, db: Database) throws {
        let statement = try db.makeStatement(sql: enrichmentInsert)
        let row = RawRowInsert(statement.sqliteStatement)
        try file.forEachRow { reader in
            row.bind(1, runID)
            for index in Int32(2)...6 { row.bind(index, utf8: reader.text()) }
            try row.step(db)
        }
    }
}
