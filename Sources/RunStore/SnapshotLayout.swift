import GRDB
import LeadRecords

/// Where a run's lead snapshots are: runs recorded since migration `v-packed-runs` keep their leads in
/// `run_lead_pack` blobs pointing at shared versions (``PackedRunRead``); runs recorded before
/// `v-snapshot-sharing` keep their full rows in `lead_snapshot`. A run's rows are in one layout only.
enum SnapshotLayout {
    /// Every column of a snapshot, in `lead_snapshot`'s order.
    static let allColumns = ["entity_id", "line", "email", "first_name", "last_name", "title", "company", "domain",
                             "email_status", "web_status", "web_redirect_domain", "decay_status", "decay_score", "disposition"]

    /// A run's snapshots in entity-id order (SQLite's BINARY order), from whichever layout holds them.
    static func snapshots(runID: Int64, db: Database) throws -> [LeadSnapshot] {
        if try RunLeadPacks.hasLeads(runID: runID, db: db) { return try PackedRunRead.snapshots(runID: runID, db: db) }
        return try LeadSnapshot.fetchAll(db, sql: """
            SELECT \(allColumns.joined(separator: ", ")) FROM lead_snapshot WHERE run_id = ? ORDER BY entity_id
            """, arguments: [runID])
    }
}
