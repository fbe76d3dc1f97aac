import LeadRecords

/// A chunk's rows for the store, encoded from its records on any thread (``StagedRunWriter/prepare(_:)``), so
/// that the in-order step (``StagedRunWriter/add(_:)-(StagedChunk)``) only appends bytes and looks values up.
///
/// Encoding each lead's snapshot and the key of its enrichment values was most of the staging time; done in the
/// in-order step, the chunks queued behind it while the other thread waited.
public struct StagedChunk: Sendable {
    /// The snapshot rows as a staging file holds them (a 4-byte length, then the values), one after the other.
    var snapshotRows: [UInt8] = []
    /// Where each snapshot row ends in `snapshotRows`.
    var snapshotRowEnds: [Int] = []
    /// Per keyed active record with enriched values: its entity id, then its values' key
    /// (``SnapshotExtractor/appendEnrichmentKey(of:provenances:to:)``), numbering provenances as `provenances` does.
    var valueBytes: [UInt8] = []
    var valueEntityEnds: [Int] = []
    var valueKeyEnds: [Int] = []
    /// Each values' key's ``ByteStringIDs/hash(_:)``: hashing a lead's some fifteen values was most of the
    /// in-order step's lookup of them.
    var valueKeyHashes: [UInt64] = []
    /// The chunk's provenances, in the order the keys number them.
    var provenances: [[UInt8]] = []

    /// Encodes the snapshot of each record with an entity id and the enriched values of each keyed active record,
    /// as they are at the in-order step (the records must not change in between).
    init(records: [Record], extractor: SnapshotExtractor) {
        var key: [UInt8] = []
        var provenanceNumbers = EnrichmentKeyProvenances()
        for index in records.indices {
            guard extractor.entityKey.key(of: records[index], into: &key) else { continue }
            let rowStart = snapshotRows.count
            snapshotRows.append(contentsOf: [0, 0, 0, 0])
            let kept = key.withUnsafeBufferPointer { entity in
                extractor.appendStagedSnapshot(of: records[index], entityID: entity, to: &snapshotRows)
            }
            if kept {
                let length = UInt32(snapshotRows.count - rowStart - 4).littleEndian
                withUnsafeBytes(of: length) { bytes in
                    for i in 0..<4 { snapshotRows[rowStart + i] = bytes[i] }
                }
                snapshotRowEnds.append(snapshotRows.count)
            } else {
                snapshotRows.removeSubrange(rowStart...)
            }
            guard records[index].isActive else { continue }
            let valuesStart = valueBytes.count
            valueBytes.append(contentsOf: key)
            let entityEnd = valueBytes.count
            extractor.appendEnrichmentKey(of: records[index], provenances: &provenanceNumbers, to: &valueBytes)
            guard valueBytes.count > entityEnd else {
                valueBytes.removeSubrange(valuesStart...)
                continue
            }
            valueEntityEnds.append(entityEnd)
            valueKeyEnds.append(valueBytes.count)
            valueKeyHashes.append(valueBytes.withUnsafeBytes { ByteStringIDs.hash(UnsafeRawBufferPointer(rebasing: $0[entityEnd...])) })
        }
        provenances = provenanceNumbers.keys
    }
}
