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
    /// Each fact's field, as an index into the distinct field names (a run has some fifteen).
    private var factFields: [Int32] = []
    private var fieldIndexes = ByteStringIDs()
    private var fieldNames = ByteStrings()
    /// Each field's place among the field names in BINARY order: a lead's facts are ordered by it, with no
    /// bytes compared per lead.
    private var fieldRanks: [Int32] = []

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

    /// The index of a value given as its key: its field, value, source and as-of, each encoded as a text
    /// (``StagedRowEncoding``), added if new.
    mutating func fact(encoded: UnsafeRawBufferPointer) -> Int {
        // Most values of a new combination are known facts: found from the bytes given, with no copy made.
        if let index = factIndexes.id(of: encoded) { return Int(index) }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: encoded)
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
            var reader = StagingReader(bytes: bytes)
            factFields.append(fieldIndex(reader.text()))
            return index
        }
    }

    /// The index of a field name, added (and the fields ranked again) if new.
    private mutating func fieldIndex(_ name: UnsafeRawBufferPointer) -> Int32 {
        if let index = fieldIndexes.id(of: name) { return Int32(index) }
        let index = fieldNames.count
        fieldNames.append(name)
        fieldIndexes.insert(name, id: Int64(index))
        let names = fieldNames
        let order = (0..<names.count).sorted { a, b in
            names.withBytes(at: a) { first in names.withBytes(at: b) { PreviousVersions.compare(first, $0) < 0 } }
        }
        fieldRanks = Array(repeating: 0, count: names.count)
        for (rank, field) in order.enumerated() { fieldRanks[field] = Int32(rank) }
        return Int32(index)
    }

    private func fieldRank(_ fact: Int) -> Int32 { fieldRanks[Int(factFields[fact])] }

    /// The facts of one lead in field order (BINARY), the last of each field: facts given in staging order.
    func fieldOrdered(_ given: [Int]) -> [Int] {
        // A stable insertion sort by field rank: a lead has some fifteen facts.
        var sorted = given
        for i in sorted.indices.dropFirst() {
            let fact = sorted[i], rank = fieldRank(fact)
            var j = i
            while j > 0, fieldRank(sorted[j - 1]) > rank {
                sorted[j] = sorted[j - 1]
                j -= 1
            }
            sorted[j] = fact
        }
        var kept: [Int] = []
        kept.reserveCapacity(sorted.count)
        for fact in sorted {
            if let last = kept.last, fieldRank(last) == fieldRank(fact) { kept.removeLast() }
            kept.append(fact)
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
            facts.reserveCapacity(bytes.count) // each fact takes at least a byte
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
}
