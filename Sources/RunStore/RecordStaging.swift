import Foundation
import LeadRecords

extension RunStore {
    /// Writes a run's snapshots and enrichment values to staging files beside the store straight from its
    /// records, to be committed with ``commit(_:as:)`` or ``commit(_:staging:outputs:)`` once the run has
    /// succeeded: the rows ``stageRun(pipeline:summaryJSON:snapshots:enrichments:)`` stages for
    /// `records.compactMap(extractor.snapshot(of:))` and each keyed record's `extractor.enrichments(of:entityID:)`,
    /// byte for byte, without making those values.
    ///
    /// One pass over the array, each value copied from the record's packed bytes to the staging buffer:
    /// through `some Sequence` chains of ``LeadSnapshot`` and ``EnrichmentValue`` the same rows cost about
    /// twenty strings per lead and generic iteration across modules.
    public func stageRun(pipeline: String, summaryJSON: String, records: [Record], extractor: SnapshotExtractor) throws -> StagedRun {
        let clock = ContinuousClock.now
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // Key after run_id: the entity id, the first text staged of each row.
        let snapshotFile = try StagingFile(directory: folder, keyTexts: 1)
        let enrichmentFile = try StagingFile(directory: folder, keyTexts: 1)
        var sets = StagedEnrichmentSets()
        var key: [UInt8] = []
        // The entity whose consecutive values make the current block (as in the sequence staging: a record
        // without values does not end it).
        var blockEntity: [UInt8] = []
        var block: [Int] = []
        func stageBlock() throws {
            guard !block.isEmpty else { return }
            let set = Int64(sets.set(sets.fieldOrdered(block)))
            try enrichmentFile.appendRow { row in
                blockEntity.withUnsafeBufferPointer { StagedRowEncoding.appendText($0, to: &row) }
                StagedRowEncoding.appendInteger(set, to: &row)
                return true
            }
        }
        for index in records.indices {
            guard extractor.entityKey.key(of: records[index], into: &key) else { continue }
            try key.withUnsafeBufferPointer { entity in
                try snapshotFile.appendRow { row in extractor.appendStagedSnapshot(of: records[index], entityID: entity, to: &row) }
            }
            guard records[index].isActive else { continue }
            var isFirstValue = true
            try extractor.forEachEnrichment(of: records[index]) { field, value, source, asOf in
                if isFirstValue {
                    isFirstValue = false
                    // Byte for byte: two spellings Swift calls equal are two entity ids in SQLite.
                    if block.isEmpty || blockEntity != key {
                        try stageBlock()
                        blockEntity = key
                        block.removeAll(keepingCapacity: true)
                    }
                }
                block.append(sets.fact(field: field, value: value, source: source, asOf: asOf))
            }
        }
        try stageBlock()
        return StagedRun(store: self, pipeline: pipeline, summaryJSON: summaryJSON, snapshotFile: snapshotFile,
                         enrichmentFile: enrichmentFile, enrichmentSets: sets, stagedSnapshots: snapshotFile.rows,
                         stagingSeconds: (ContinuousClock.now - clock).seconds)
    }
}
