/// Where a run's lead snapshots are: runs recorded since migration `v-snapshot-sharing` have a
/// `run_lead` row per lead pointing at a shared `lead_version`; runs recorded before it keep their
/// full rows in `lead_snapshot`. A run's rows are in one layout only, so every read asks both.
enum SnapshotLayout {
    /// A run's snapshots with the columns named as `lead_snapshot` names them, `selected` of them,
    /// in entity-id order (SQLite's BINARY order, the order `lead_snapshot`'s key gave them), for run `?1`.
    static func query(selecting selected: [String]) -> String {
        let shared = selected.map { column -> String in
            let table = perRunColumns.contains(column) ? "r" : "v"
            return "\(table).\(column) AS \(column)"
        }
        return """
            SELECT \(selected.joined(separator: ", ")) FROM lead_snapshot WHERE run_id = ?1
            UNION ALL
            SELECT \(shared.joined(separator: ", ")) FROM run_lead r JOIN lead_version v ON v.id = r.version_id
            WHERE r.run_id = ?1
            ORDER BY entity_id
            """
    }

    /// The columns `run_lead` keeps for each run; the rest are the version's.
    static let perRunColumns: Set<String> = ["line", "decay_status", "decay_score"]

    /// Every column of a snapshot, in `lead_snapshot`'s order.
    static let allColumns = ["entity_id", "line", "email", "first_name", "last_name", "title", "company", "domain",
                             "email_status", "web_status", "web_redirect_domain", "decay_status", "decay_score", "disposition"]
}
