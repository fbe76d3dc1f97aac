/// A record's enriched values as one lookup key, made from the record's bytes on any thread: what the store's
/// staging looks a lead's values up by (a company's contacts share one combination), without calling a closure
/// per value or splitting each value's provenance again.
///
/// Per value, in the order ``SnapshotExtractor/forEachEnrichment(of:_:)`` gives them: its enriched column's
/// position shifted 32 bits left, or'd with its provenance's index in ``EnrichmentKeyProvenances``, as an
/// integer (``StagedRowEncoding/appendInteger(_:to:)``), then its value as a text.
extension SnapshotExtractor {
    /// The enriched fields' names, by position (the `column` ``forEachEnrichment(of:_:)`` gives).
    public var enrichedFieldNames: [String] { enriched.map(\.name) }

    /// Appends the key of an active record's enriched values to `key`; appends nothing for a record without
    /// one (inactive, or no value with a provenance).
    public func appendEnrichmentKey(of record: Record, provenances: inout EnrichmentKeyProvenances, to key: inout [UInt8]) {
        guard record.isActive else { return }
        let fields = record.fields
        for (position, column) in enriched.enumerated()
        where !fields.isEmpty(column.value.position) && !fields.isEmpty(column.source.position) {
            let provenance = fields.withUTF8(column.source.position) { provenances.index(of: $0) }
            StagedRowEncoding.appendInteger(Int64(position) << 32 | Int64(provenance), to: &key)
            StagedRowEncoding.appendText(column: column.value, of: fields, to: &key)
        }
    }
}

/// The provenances an enrichment key numbers (``SnapshotExtractor/appendEnrichmentKey(of:provenances:to:)``),
/// in the order they first appear: each as its source and as-of, each encoded as a text.
public struct EnrichmentKeyProvenances: Sendable {
    /// Each provenance's source and as-of (``StagedRowEncoding/appendText(_:to:)`` each), by index.
    public private(set) var keys: [[UInt8]] = []
    private var indexOfKey: [[UInt8]: Int] = [:]
    /// The last provenance column's bytes and its index: nearly every value repeats it.
    private var lastProvenance: [UInt8] = []
    private var lastIndex = -1
    private var scratch: [UInt8] = []

    public init() {}

    /// The index of a `source@as_of` provenance, numbered if new.
    mutating func index(of provenance: UnsafeBufferPointer<UInt8>) -> Int {
        if lastIndex >= 0, provenance.elementsEqual(lastProvenance) { return lastIndex }
        scratch.removeAll(keepingCapacity: true)
        SnapshotExtractor.withProvenanceParts(provenance) { source, asOf in
            StagedRowEncoding.appendText(source, to: &scratch)
            StagedRowEncoding.appendText(asOf, to: &scratch)
        }
        // Two spellings can split alike (`x@` and `x`): numbered by what they split into.
        let index: Int
        if let known = indexOfKey[scratch] {
            index = known
        } else {
            index = keys.count
            keys.append(scratch)
            indexOfKey[scratch] = index
        }
        lastProvenance = Array(provenance)
        lastIndex = index
        return index
    }
}
