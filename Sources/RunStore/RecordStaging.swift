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
        var values = RecordValueSets()
        var key: [UInt8] = []
        // The entity whose consecutive values make the current block (as in the sequence staging: a record
        // without values does not end it), and the one record's values when it holds one record's only.
        var blockEntity: [UInt8] = []
        var block: [Int] = []
        var blockRecordValues: Int?
        func stageBlock() throws {
            guard !block.isEmpty else { return }
            let set = Int64(values.set(ofBlock: block, recordValues: blockRecordValues))
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
            guard records[index].isActive, let recordValues = values.recordValues(of: records[index], extractor: extractor) else {
                continue
            }
            // Byte for byte: two spellings Swift calls equal are two entity ids in SQLite.
            if block.isEmpty || blockEntity != key {
                try stageBlock()
                blockEntity = key
                block.removeAll(keepingCapacity: true)
                blockRecordValues = recordValues
            } else {
                blockRecordValues = nil
            }
            values.appendFacts(ofRecordValues: recordValues, to: &block)
        }
        try stageBlock()
        return StagedRun(store: self, pipeline: pipeline, summaryJSON: summaryJSON, snapshotFile: snapshotFile,
                         enrichmentFile: enrichmentFile, enrichmentSets: values.sets, stagedSnapshots: snapshotFile.rows,
                         stagingSeconds: (ContinuousClock.now - clock).seconds)
    }
}

/// A run's enrichment values as ``StagedEnrichmentSets`` keeps them, found once per distinct combination of a
/// record's values rather than once per value.
///
/// A company's contacts carry the same firmographic values: a million leads have about a fifth as many
/// distinct combinations. Looking each of their fifteen values up, then sorting and looking up the set, was
/// most of the staging time; a record's values are now one key, and its facts and set are remembered for it.
struct RecordValueSets {
    private(set) var sets = StagedEnrichmentSets()
    /// Each distinct combination of a record's values (its facts' keys one after the other), by index.
    private var combinations = ByteStringIDs()
    /// The facts of each combination, in the record's order: `facts[factEnds[i - 1]..<factEnds[i]]`.
    private var facts: [Int] = []
    private var factEnds: [Int] = []
    /// The staged set of each combination when a block holds it alone, or -1 before one did.
    private var setOfCombination: [Int] = []
    /// Scratch: the record's values encoded, and where each value's key ends.
    private var encoded: [UInt8] = []
    private var valueEnds: [Int] = []

    /// The index of the combination of an active record's enriched values, added if new; `nil` when it has none.
    mutating func recordValues(of record: Record, extractor: SnapshotExtractor) -> Int? {
        encoded.removeAll(keepingCapacity: true)
        valueEnds.removeAll(keepingCapacity: true)
        extractor.forEachEnrichment(of: record) { field, value, source, asOf in
            StagedRowEncoding.appendText(field, to: &encoded)
            StagedRowEncoding.appendText(value, to: &encoded)
            StagedRowEncoding.appendText(source, to: &encoded)
            StagedRowEncoding.appendText(asOf, to: &encoded)
            valueEnds.append(encoded.count)
        }
        guard !valueEnds.isEmpty else { return nil }
        let combination = encoded // read while the tables change
        return combination.withUnsafeBytes { bytes in
            if let index = combinations.id(of: bytes) { return Int(index) }
            let index = factEnds.count
            var start = 0
            for end in valueEnds {
                facts.append(sets.fact(encoded: UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
                start = end
            }
            factEnds.append(facts.count)
            setOfCombination.append(-1)
            combinations.insert(bytes, id: Int64(index))
            return index
        }
    }

    /// Appends a combination's facts, in the record's order.
    func appendFacts(ofRecordValues index: Int, to block: inout [Int]) {
        block.append(contentsOf: facts[(index == 0 ? 0 : factEnds[index - 1])..<factEnds[index]])
    }

    /// The staged set of a block's facts (the last value of each field); `recordValues` is the combination the
    /// block holds alone, if it does.
    mutating func set(ofBlock block: [Int], recordValues: Int?) -> Int {
        if let recordValues, setOfCombination[recordValues] >= 0 { return setOfCombination[recordValues] }
        let set = sets.set(sets.fieldOrdered(block))
        if let recordValues { setOfCombination[recordValues] = set }
        return set
    }
}
