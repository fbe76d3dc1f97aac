import GRDB
import LeadRecords

/// The bulk writes of a run's snapshots and enrichment values: staged to files (``StagingFile``),
/// then inserted from them in key order (through ``SharedSnapshotInsert``), by ``RunStore/recordRun(_:snapshots:enrichments:)`` and
/// ``StagedRun`` alike.
enum RunRows {
    static let enrichmentInsert = """
        INSERT OR REPLACE INTO enrichment_value (run_id, entity_id, field, value, source, as_of)
        VALUES (?, ?, ?, ?, ?, ?)
        """

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

    /// Inserts the snapshots a staging file holds, in entity-id order (equal ids: the first staged wins),
    /// sharing each unchanged lead's stored version and each lead's set of enrichment values (see
    /// ``SharedSnapshotInsert``).
    /// - Returns: how many leads were stored.
    /// - Parameter previous: the history's previous run's versions (``PreviousVersions``), asked for once the texts
    ///   and enrichment ids are loaded (they may be loading on another thread meanwhile).
    static func insertStaged(snapshots: StagingFile, enrichments: StagingFile, sets: StagedEnrichmentSets, runID: Int64,
                             previous: () throws -> PreviousVersions, db: Database) throws -> Int {
        var insert = try SharedSnapshotInsert(db: db, sets: sets)
        return try insert.insert(snapshots, enrichments: enrichments, runID: runID, previous: try previous())
    }
}
