import Foundation
import GRDB
import LeadRecords

extension RunStore {
    /// The enrichment values a run stored for one entity, by field.
    ///
    /// Runs recorded since migration `v-shared-enrichment` point at the lead's shared set from its
    /// packed lead (`run_lead_pack`); runs recorded before, and entities a run has no snapshot of, keep their values in
    /// `enrichment_value`. Both are asked: an entity's values in a run are in one of them.
    public func enrichmentValues(runID: Int64, entityID: String) throws -> [EnrichmentValue] {
        try pool.read { db in
            var values = try EnrichmentValue.fetchAll(db, sql: """
                SELECT entity_id, field, value, source, as_of FROM enrichment_value
                WHERE run_id = ? AND entity_id = ? ORDER BY field
                """, arguments: [runID, entityID])
            // The run's lead with this entity id, among its packed leads.
            let versions = Set(try Int64.fetchAll(db, sql: "SELECT id FROM lead_record WHERE entity_id = ?", arguments: [entityID]))
            var setID: Int64?
            if !versions.isEmpty {
                try RunLeadPacks.forEachBlob(db, runID: runID) { _, _, leads in
                    try RunLeadPack.decode(leads) { lead in
                        if versions.contains(lead.versionID), let set = lead.enrichmentSetID { setID = set }
                    }
                }
            }
            guard let setID, let blob = try Data.fetchOne(db, sql: "SELECT fact_ids FROM enrichment_set WHERE id = ?",
                                                          arguments: [setID]) else { return values }
            let fact = try db.cachedStatement(sql: """
                SELECT p.field, f.value, p.source, p.as_of FROM enrichment_fact f
                JOIN enrichment_provenance p ON p.id = f.provenance_id WHERE f.id = ?
                """)
            for id in blob.withUnsafeBytes(EnrichmentSetBlob.factIDs) {
                guard let row = try Row.fetchOne(fact, arguments: [id]) else { continue }
                values.append(EnrichmentValue(entityID: entityID, field: row[0], value: row[1], source: row[2], asOf: row[3]))
            }
            // In `ORDER BY field` order (SQLite's BINARY: the UTF-8 bytes).
            return values.sorted { $0.field.utf8.lexicographicallyPrecedes($1.field.utf8) }
        }
    }

    /// Deletes the enrichment sets no packed lead points at (their runs were pruned), then the facts
    /// no remaining set holds and the provenances no remaining fact has.
    static func deleteUnreferencedEnrichments(_ db: Database, referenced: Set<Int64>) throws {
        let unreferenced = try Int64.fetchAll(db, sql: "SELECT id FROM enrichment_set").filter { !referenced.contains($0) }
        guard !unreferenced.isEmpty else { return }
        let deleteSet = try db.makeStatement(sql: "DELETE FROM enrichment_set WHERE id = ?")
        for id in unreferenced { try deleteSet.execute(arguments: [id]) }
        // A set's facts are in its blob, out of SQL's reach: collect the ids the remaining sets hold.
        var held = Set<Int64>()
        let sets = try Row.fetchCursor(db, sql: "SELECT fact_ids FROM enrichment_set")
        while let row = try sets.next() {
            let blob: Data = row[0]
            blob.withUnsafeBytes { held.formUnion(EnrichmentSetBlob.factIDs($0)) }
        }
        let unheld = try Int64.fetchAll(db, sql: "SELECT id FROM enrichment_fact").filter { !held.contains($0) }
        let delete = try db.makeStatement(sql: "DELETE FROM enrichment_fact WHERE id = ?")
        for id in unheld { try delete.execute(arguments: [id]) }
        try db.execute(sql: "DELETE FROM enrichment_provenance WHERE id NOT IN (SELECT provenance_id FROM enrichment_fact)")
    }
}
