import GRDB

/// The bulk inserts of a run's snapshots and enrichment values, shared by the direct write
/// (``RunStore/recordRun(_:snapshots:enrichments:)``) and the staged one (``StagedRun``).
enum RunRows {
    /// Inserts snapshots into `table` (`lead_snapshot` or a staging table of the same columns).
    /// - Returns: how many rows were stored (a repeated entity id in the same run is ignored).
    static func insertSnapshots(_ snapshots: some Sequence<LeadSnapshot>, into table: String, runID: Int64,
                                db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO \(table)
            (run_id, entity_id, line, email, first_name, last_name, title, company, domain,
             email_status, web_status, web_redirect_domain, decay_status, decay_score, disposition)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
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
    static func insertEnrichments(_ enrichments: some Sequence<EnrichmentValue>, into table: String, runID: Int64,
                                  db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO \(table) (run_id, entity_id, field, value, source, as_of)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
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
}
