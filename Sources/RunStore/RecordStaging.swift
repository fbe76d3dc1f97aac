import Dispatch
import Foundation
import LeadRecords
import Synchronization

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
    ///
    /// With `jobs` above 1 the snapshots and the enrichment values are staged at once on two threads: the two
    /// passes read the records only and write files of their own, so the rows are the same either way.
    public func stageRun(pipeline: String, summaryJSON: String, records: [Record], extractor: SnapshotExtractor,
                         jobs: Int = 1) throws -> StagedRun {
        let clock = ContinuousClock.now
        let folder = stagingFolder
        // Key after run_id: the entity id, the first text staged of each row.
        let snapshotFile = try StagingFile(directory: folder, keyTexts: 1)
        let enrichmentFile = try StagingFile(directory: folder, keyTexts: 1)
        let sets: StagedEnrichmentSets
        if jobs > 1 {
            let snapshotsStaged = Mutex<Result<Void, any Error>?>(nil)
            let valuesStaged = Mutex<Result<StagedEnrichmentSets, any Error>?>(nil)
            DispatchQueue.concurrentPerform(iterations: 2) { task in
                if task == 0 {
                    let result = Result { try Self.stageSnapshots(of: records, extractor: extractor, in: snapshotFile) }
                    snapshotsStaged.withLock { $0 = result }
                } else {
                    let result = Result { try Self.stageEnrichments(of: records, extractor: extractor, in: enrichmentFile) }
                    valuesStaged.withLock { $0 = result }
                }
            }
            try snapshotsStaged.withLock { $0 }?.get()
            guard let staged = try valuesStaged.withLock({ $0 })?.get() else { preconditionFailure("both passes ran") }
            sets = staged
        } else {
            try Self.stageSnapshots(of: records, extractor: extractor, in: snapshotFile)
            sets = try Self.stageEnrichments(of: records, extractor: extractor, in: enrichmentFile)
        }
        return StagedRun(store: self, pipeline: pipeline, summaryJSON: summaryJSON, snapshotFile: snapshotFile,
                         enrichmentFile: enrichmentFile, enrichmentSets: sets, stagedSnapshots: snapshotFile.rows,
                         stagingSeconds: (ContinuousClock.now - clock).seconds)
    }

    /// Stages the snapshot of each record that has an entity id, in list order (the first of an id wins at commit).
    private static func stageSnapshots(of records: [Record], extractor: SnapshotExtractor, in file: StagingFile) throws {
        try appendSnapshots(of: records, extractor: extractor, to: file)
        // The last rows sorted now, on this thread, rather than at the commit.
        try file.finishRows()
    }

    /// Appends the snapshot of each record of `records` that has an entity id, after the rows staged before.
    static func appendSnapshots(of records: [Record], extractor: SnapshotExtractor, to file: StagingFile) throws {
        var key: [UInt8] = []
        for index in records.indices {
            guard extractor.entityKey.key(of: records[index], into: &key) else { continue }
            try key.withUnsafeBufferPointer { entity in
                try file.appendRow { row in extractor.appendStagedSnapshot(of: records[index], entityID: entity, to: &row) }
            }
        }
    }

    /// Stages the enrichment values of each keyed active record as one row per block of consecutive values of one
    /// entity (its entity id and staged set); returns the staged values and sets the rows point into.
    private static func stageEnrichments(of records: [Record], extractor: SnapshotExtractor,
                                         in file: StagingFile) throws -> StagedEnrichmentSets {
        var blocks = EnrichmentBlocks()
        try blocks.stage(records, extractor: extractor, in: file)
        return try blocks.finish(in: file)
    }
}

/// The enrichment values of a run's records as they are staged, list by list in input order: one staged row per
/// block of consecutive values of one entity (its entity id and its set in ``values``).
///
/// A block may span two lists handed one after the other, so it stays open until the next entity or ``finish(in:)``:
/// staged in chunks, the rows are those staged from the whole list at once.
struct EnrichmentBlocks {
    var values = RecordValueSets()
    private var key: [UInt8] = []
    // The entity whose consecutive values make the current block (as in the sequence staging: a record
    // without values does not end it), and the one record's values when it holds one record's only.
    private var blockEntity: [UInt8] = []
    private var block: [Int] = []
    private var blockRecordValues: Int?

    /// Stages the values of `records`, which follow the records staged before.
    mutating func stage(_ records: [Record], extractor: SnapshotExtractor, in file: StagingFile) throws {
        for index in records.indices where records[index].isActive {
            guard extractor.entityKey.key(of: records[index], into: &key),
                  let recordValues = values.recordValues(of: records[index], extractor: extractor) else {
                continue
            }
            // Byte for byte: two spellings Swift calls equal are two entity ids in SQLite.
            if block.isEmpty || blockEntity != key {
                try stageBlock(in: file)
                blockEntity = key
                block.removeAll(keepingCapacity: true)
                blockRecordValues = recordValues
            } else {
                blockRecordValues = nil
            }
            values.appendFacts(ofRecordValues: recordValues, to: &block)
        }
    }

    /// Stages the values of a chunk encoded by ``StagedChunk``, which follows the records staged before: the rows
    /// ``stage(_:extractor:in:)`` stages for its records.
    mutating func stage(_ chunk: StagedChunk, in file: StagingFile) throws {
        let provenances = values.provenanceIndexes(of: chunk.provenances)
        // The chunk numbered its provenances as the run does (nearly always): its keys are the run's as they are.
        let renumbered = provenances.indices.contains { provenances[$0] != Int64($0) }
        try chunk.valueBytes.withUnsafeBytes { bytes in
            var start = 0
            for (index, (entityEnd, keyEnd)) in zip(chunk.valueEntityEnds, chunk.valueKeyEnds).enumerated() {
                let entity = UnsafeRawBufferPointer(rebasing: bytes[start..<entityEnd])
                var recordKey = UnsafeRawBufferPointer(rebasing: bytes[entityEnd..<keyEnd])
                start = keyEnd
                if renumbered {
                    key.removeAll(keepingCapacity: true)
                    RecordValueSets.renumber(recordKey, provenances: provenances, into: &key)
                }
                let recordValues = renumbered ? key.withUnsafeBytes { values.recordValues(ofKey: $0) }
                                              : values.recordValues(ofKey: recordKey, hash: chunk.valueKeyHashes[index])
                recordKey = UnsafeRawBufferPointer(start: nil, count: 0)
                // Byte for byte: two spellings Swift calls equal are two entity ids in SQLite.
                if block.isEmpty || !blockEntity.elementsEqual(entity) {
                    try stageBlock(in: file)
                    blockEntity.removeAll(keepingCapacity: true)
                    blockEntity.append(contentsOf: entity)
                    block.removeAll(keepingCapacity: true)
                    blockRecordValues = recordValues
                } else {
                    blockRecordValues = nil
                }
                values.appendFacts(ofRecordValues: recordValues, to: &block)
            }
        }
    }

    /// Stages the last block and sorts the file's last rows; returns the staged values and sets.
    mutating func finish(in file: StagingFile) throws -> StagedEnrichmentSets {
        try stageBlock(in: file)
        block.removeAll()
        try file.finishRows()
        return values.sets
    }

    private mutating func stageBlock(in file: StagingFile) throws {
        guard !block.isEmpty else { return }
        let set = Int64(values.set(ofBlock: block, recordValues: blockRecordValues))
        try file.appendRow { row in
            blockEntity.withUnsafeBufferPointer { StagedRowEncoding.appendText($0, to: &row) }
            StagedRowEncoding.appendInteger(set, to: &row)
            return true
        }
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
    /// Each distinct combination of a record's values, by index: per value its column and provenance (8 bytes)
    /// and its text, not the fact's whole key (field name, source and as-of repeated for every lead would
    /// hold some 200 MB at a million leads).
    private var combinations = ByteStringIDs()
    /// The provenances (source and as-of) seen, and the last one, which nearly every value repeats.
    private var provenances = ByteStringIDs()
    private var lastSource: [UInt8] = []
    private var lastAsOf: [UInt8] = []
    private var lastProvenanceIndex: Int64 = -1
    private var provenanceKey: [UInt8] = []
    /// Each provenance's key (its source and as-of as texts), by index.
    private var provenanceKeys: [[UInt8]] = []
    /// The enriched fields' names, by column (``SnapshotExtractor/enrichedFieldNames``), for keys made elsewhere.
    var fieldNames: [String] = [] {
        didSet { encodedFieldNames = fieldNames.map { Self.encodedText($0) } }
    }
    /// Each field's name as a staged text, copied into a value's key as it is rather than encoded for every value.
    private var encodedFieldNames: [[UInt8]] = []
    private var compact: [UInt8] = []
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
        compact.removeAll(keepingCapacity: true)
        extractor.forEachEnrichment(of: record) { column, _, value, source, asOf in
            StagedRowEncoding.appendInteger(Int64(column) << 32 | provenanceIndex(source: source, asOf: asOf), to: &compact)
            StagedRowEncoding.appendText(value, to: &compact)
        }
        guard !compact.isEmpty else { return nil }
        let combination = compact // read while the tables change
        return combination.withUnsafeBytes { key in
            if let index = combinations.id(of: key) { return Int(index) }
            // A combination not seen before (about one record in five): its values' keys, field names included.
            encoded.removeAll(keepingCapacity: true)
            valueEnds.removeAll(keepingCapacity: true)
            extractor.forEachEnrichment(of: record) { _, field, value, source, asOf in
                StagedRowEncoding.appendText(field, to: &encoded)
                StagedRowEncoding.appendText(value, to: &encoded)
                StagedRowEncoding.appendText(source, to: &encoded)
                StagedRowEncoding.appendText(asOf, to: &encoded)
                valueEnds.append(encoded.count)
            }
            return addCombination(key)
        }
    }

    /// The index of the combination of a record's values given as their key
    /// (``SnapshotExtractor/appendEnrichmentKey(of:provenances:to:)``, numbered as this run numbers provenances),
    /// added if new: what ``recordValues(of:extractor:)`` gives the record.
    mutating func recordValues(ofKey key: UnsafeRawBufferPointer) -> Int {
        recordValues(ofKey: key, hash: ByteStringIDs.hash(key))
    }

    /// ``recordValues(ofKey:)`` for a key whose ``ByteStringIDs/hash(_:)`` is `hash` (taken on a worker).
    mutating func recordValues(ofKey key: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        if let index = combinations.id(of: key, hash: hash) { return Int(index) }
        // A combination not seen before: its values' keys, field names included, from the key's parts.
        encoded.removeAll(keepingCapacity: true)
        valueEnds.removeAll(keepingCapacity: true)
        var reader = StagingReader(bytes: key)
        while reader.offset < key.count {
            let tag = reader.integer()
            let value = reader.text()
            encoded.append(contentsOf: encodedFieldNames[Int(tag >> 32)])
            StagedRowEncoding.appendText(value.assumingMemoryBound(to: UInt8.self), to: &encoded)
            encoded.append(contentsOf: provenanceKeys[Int(tag & 0xFFFF_FFFF)])
            valueEnds.append(encoded.count)
        }
        return addCombination(key, hash: hash)
    }

    /// Adds the combination `key` whose values' keys are in `encoded` (each ending at its `valueEnds`); its index.
    private mutating func addCombination(_ key: UnsafeRawBufferPointer, hash: UInt64? = nil) -> Int {
        let index = factEnds.count
        let values = encoded
        values.withUnsafeBytes { bytes in
            var start = 0
            for end in valueEnds {
                facts.append(sets.fact(encoded: UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
                start = end
            }
        }
        factEnds.append(facts.count)
        setOfCombination.append(-1)
        combinations.insert(key, id: Int64(index), hash: hash ?? ByteStringIDs.hash(key))
        return index
    }

    /// This run's index of each of a chunk's provenances (each its source and as-of as texts), added if new,
    /// in the chunk's order: the order a pass over the records meets them.
    mutating func provenanceIndexes(of chunkProvenances: [[UInt8]]) -> [Int64] {
        chunkProvenances.map { key in
            key.withUnsafeBytes { bytes in
                if let index = provenances.id(of: bytes) { return index }
                let index = Int64(provenances.count)
                provenances.insert(bytes, id: index)
                provenanceKeys.append(key)
                return index
            }
        }
    }

    private static func encodedText(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        StagedRowEncoding.appendText(text, to: &bytes)
        return bytes
    }

    /// Copies a record's values' key with its provenances numbered as the run numbers them.
    static func renumber(_ key: UnsafeRawBufferPointer, provenances: [Int64], into renumbered: inout [UInt8]) {
        var reader = StagingReader(bytes: key)
        while reader.offset < key.count {
            let tag = reader.integer()
            let value = reader.text()
            StagedRowEncoding.appendInteger(tag & ~0xFFFF_FFFF | provenances[Int(tag & 0xFFFF_FFFF)], to: &renumbered)
            StagedRowEncoding.appendText(value.assumingMemoryBound(to: UInt8.self), to: &renumbered)
        }
    }

    /// The index of a value's provenance, added if new.
    private mutating func provenanceIndex(source: UnsafeBufferPointer<UInt8>, asOf: UnsafeBufferPointer<UInt8>) -> Int64 {
        // Compared in place: building the key of every value to compare it cost more than the rest of its staging.
        if lastProvenanceIndex >= 0, Self.bytes(source, equal: lastSource), Self.bytes(asOf, equal: lastAsOf) {
            return lastProvenanceIndex
        }
        provenanceKey.removeAll(keepingCapacity: true)
        StagedRowEncoding.appendText(source, to: &provenanceKey)
        StagedRowEncoding.appendText(asOf, to: &provenanceKey)
        let key = provenanceKey
        let index = key.withUnsafeBytes { bytes in
            if let index = provenances.id(of: bytes) { return index }
            let index = Int64(provenances.count)
            provenances.insert(bytes, id: index)
            provenanceKeys.append(key)
            return index
        }
        lastSource = Array(source)
        lastAsOf = Array(asOf)
        lastProvenanceIndex = index
        return index
    }

    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equal stored: [UInt8]) -> Bool {
        guard bytes.count == stored.count else { return false }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return stored.withUnsafeBufferPointer { memcmp(base, $0.baseAddress!, bytes.count) == 0 }
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
