import LeadRecords

/// A run's enrichment values as staged: each distinct value (field, value, source, as-of) once and each
/// distinct set of a lead's values once, in memory, while the staging file holds one row per lead (its
/// entity id and set) instead of one per value.
///
/// firmographic_merge gives every lead about fifteen values, a company's facts repeated for each of its
/// contacts: staged a row per value, a million leads made fifteen million rows to write, sort and merge,
/// which cost most of a weekly run's store time. A run has a few hundred thousand distinct values and sets.
struct StagedEnrichmentSets {
    private var factIndexes = ByteStringIDs()
    /// Each fact's key: field, value, source and as-of, each as a 4-byte length and its bytes (``StagingReader``).
    private var facts = ByteStrings()
    private var setIndexes = ByteStringIDs()
    /// Each set's fact indexes as varints, in field order (BINARY), one fact per field.
    private var sets = ByteStrings()
    private var key: [UInt8] = []

    var factCount: Int { facts.count }
    var setCount: Int { sets.count }

    /// The index of a value, added if new.
    mutating func fact(_ value: EnrichmentValue) -> Int {
        key.removeAll(keepingCapacity: true)
        StagedRowEncoding.appendText(value.field, to: &key)
        StagedRowEncoding.appendText(value.value, to: &key)
        StagedRowEncoding.appendText(value.source, to: &key)
        StagedRowEncoding.appendText(value.asOf, to: &key)
        return indexOfKey()
    }

    /// The index of a value given as its texts' bytes, added if new.
    mutating func fact(field: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>,
                       asOf: UnsafeBufferPointer<UInt8>) -> Int {
        key.removeAll(keepingCapacity: true)
        StagedRowEncoding.appendText(field, to: &key)
        StagedRowEncoding.appendText(value, to: &key)
        StagedRowEncoding.appendText(source, to: &key)
        StagedRowEncoding.appendText(asOf, to: &key)
        return indexOfKey()
    }

    /// The index of the fact in `key`, added if new.
    private mutating func indexOfKey() -> Int {
        let key = self.key // read while `facts` and `factIndexes` change
        return key.withUnsafeBytes { bytes in
            if let index = factIndexes.id(of: bytes) { return Int(index) }
            let index = facts.count
            facts.append(bytes)
            factIndexes.insert(bytes, id: Int64(index))
            return index
        }
    }

    /// The facts of one lead in field order (BINARY), the last of each field: facts given in staging order.
    func fieldOrdered(_ given: [Int]) -> [Int] {
        let order = given.indices.sorted { a, b in
            let comparison = compareFields(given[a], given[b])
            return comparison != 0 ? comparison < 0 : a < b
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        for position in order {
            if let last = kept.last, compareFields(last, given[position]) == 0 { kept.removeLast() }
            kept.append(given[position])
        }
        return kept
    }

    /// The index of a set of facts already in field order, added if new.
    mutating func set(_ facts: [Int]) -> Int {
        var writer = PackedWriter(capacity: facts.count * 3)
        for fact in facts { writer.append(unsigned: UInt64(fact)) }
        return writer.bytes.withUnsafeBytes { bytes in
            if let index = setIndexes.id(of: bytes) { return Int(index) }
            let index = sets.count
            sets.append(bytes)
            setIndexes.insert(bytes, id: Int64(index))
            return index
        }
    }

    /// A set's facts, in field order.
    func facts(ofSet index: Int) throws -> [Int] {
        try sets.withBytes(at: index) { bytes in
            var reader = PackedReader(bytes)
            var facts: [Int] = []
            while !reader.isAtEnd {
                let fact = try reader.unsigned()
                guard fact < UInt64(self.facts.count) else { throw PackedBlobError.truncated }
                facts.append(Int(fact))
            }
            return facts
        }
    }

    /// Calls `body` with a fact's field, value, source and as-of.
    func withFact<T>(_ index: Int, _ body: (_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer,
                                             _ source: UnsafeRawBufferPointer, _ asOf: UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try facts.withBytes(at: index) { bytes in
            var reader = StagingReader(bytes: bytes)
            return try body(reader.text(), reader.text(), reader.text(), reader.text())
        }
    }

    /// How two facts' fields sort (SQLite's BINARY order).
    private func compareFields(_ a: Int, _ b: Int) -> Int {
        facts.withBytes(at: a) { first in
            facts.withBytes(at: b) { second in
                var fieldA = StagingReader(bytes: first), fieldB = StagingReader(bytes: second)
                return PreviousVersions.compare(fieldA.text(), fieldB.text())
            }
        }
    }
}
