/// A run's rows for the store written straight from the records' packed bytes (``StagedRowEncoding``):
/// staging a million leads through ``LeadSnapshot`` and ``EnrichmentValue`` values built some twenty
/// strings per lead, which was most of decay's store time.
extension SnapshotExtractor {
    /// Appends the snapshot of `record` as the store stages it (the fields of ``LeadSnapshot`` in declaration
    /// order, the entity id first), the same values ``snapshot(of:)`` gives; `false`, with nothing appended,
    /// for merged rows and erased subjects.
    /// - Parameter entityID: the record's key, from ``EntityKey/key(of:into:)``.
    public func appendStagedSnapshot(of record: Record, entityID: UnsafeBufferPointer<UInt8>, to row: inout [UInt8]) -> Bool {
        let disposition: String
        switch record.disposition {
        case .active: disposition = "active"
        case .rejected(let rejection) where rejection.reason == .erasedSubject: return false
        case .rejected(let rejection): disposition = "rejected:" + rejection.reason.code
        case .merged: return false
        }
        let fields = record.fields
        StagedRowEncoding.appendText(entityID, to: &row)
        StagedRowEncoding.appendInteger(Int64(record.line), to: &row)
        StagedRowEncoding.appendText(column: email, of: fields, to: &row)
        StagedRowEncoding.appendText(column: firstName, of: fields, to: &row)
        StagedRowEncoding.appendText(column: lastName, of: fields, to: &row)
        StagedRowEncoding.appendText(column: title, of: fields, to: &row)
        StagedRowEncoding.appendText(column: company, of: fields, to: &row)
        // The first of norm_domain, domain and website that is not empty.
        func isFilled(_ column: ColumnIndex?) -> Bool { column.map { !fields.isEmpty($0.position) } ?? false }
        let domainColumn = isFilled(normDomain) ? normDomain : isFilled(domain) ? domain : website
        StagedRowEncoding.appendText(column: domainColumn, of: fields, to: &row)
        StagedRowEncoding.appendText(column: emailStatus, of: fields, to: &row)
        StagedRowEncoding.appendText(column: webStatus, of: fields, to: &row)
        StagedRowEncoding.appendText(column: webRedirectDomain, of: fields, to: &row)
        StagedRowEncoding.appendText(column: decayStatus, of: fields, to: &row)
        StagedRowEncoding.appendReal(decayScore.flatMap { Double(fields[$0.position]) }, to: &row)
        StagedRowEncoding.appendText(disposition, to: &row)
        return true
    }

    /// Calls `body` with each enriched value of an active record (field, value, source, as-of), the values
    /// ``enrichments(of:entityID:)`` gives, in the same order, as bytes; `column` tells the enriched columns apart
    /// (0, 1, … in their order).
    public func forEachEnrichment(of record: Record, _ body: (_ column: Int, _ field: UnsafeBufferPointer<UInt8>,
                                                              _ value: UnsafeBufferPointer<UInt8>, _ source: UnsafeBufferPointer<UInt8>,
                                                              _ asOf: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard record.isActive else { return }
        let fields = record.fields
        for (position, column) in enriched.enumerated()
        where !fields.isEmpty(column.value.position) && !fields.isEmpty(column.source.position) {
            var name = column.name
            try name.withUTF8 { name in
                try fields.withUTF8(column.value.position) { value in
                    try fields.withUTF8(column.source.position) { provenance in
                        try Self.withProvenanceParts(provenance) { source, asOf in try body(position, name, value, source, asOf) }
                    }
                }
            }
        }
    }

    /// Calls `body` with a `source@as_of` provenance's source and as-of, split as ``enrichments(of:entityID:)`` splits it.
    static func withProvenanceParts<T>(_ provenance: UnsafeBufferPointer<UInt8>,
                                       _ body: (_ source: UnsafeBufferPointer<UInt8>, _ asOf: UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        if let at = provenanceSplit(provenance) {
            return try body(UnsafeBufferPointer(rebasing: provenance[..<at]), UnsafeBufferPointer(rebasing: provenance[(at + 1)...]))
        } else if provenance.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "@") }) {
            return try body(provenance, UnsafeBufferPointer(start: nil, count: 0))
        }
        // Anything else (leading or trailing `@`, text beyond ASCII): as the string split does it.
        let parts = String(decoding: provenance, as: UTF8.self).split(separator: "@", maxSplits: 1)
        var source = parts.first.map { String($0) } ?? "", asOf = parts.count > 1 ? String(parts[1]) : ""
        return try source.withUTF8 { source in try asOf.withUTF8 { asOf in try body(source, asOf) } }
    }

    /// Where a `source@as_of` provenance of ASCII splits: its first `@` when it is neither the first nor the last byte.
    private static func provenanceSplit(_ provenance: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let at = provenance.firstIndex(of: UInt8(ascii: "@")), at > 0, at < provenance.count - 1,
              provenance.allSatisfy({ $0 < 0x80 }) else { return nil }
        return at
    }

    /// Calls `body` with the bytes of the field of `record` the next run compares (``ComparableSnapshots/Field``),
    /// the text ``snapshot(of:)`` would give it.
    public func withComparedText<T>(_ field: ComparableSnapshots.Field, of record: Record,
                                    _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let column: ColumnIndex?
        switch field {
        case .email: column = email
        case .title: column = title
        case .company: column = company
        case .emailStatus: column = emailStatus
        }
        guard let column else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try record.fields.withUTF8(column.position, body)
    }
}

extension EntityKey {
    /// The lead's stable id as ``key(of:)`` gives it, as UTF-8 bytes in `key` (what it held is replaced);
    /// `false` when the row has nothing stable to key on.
    public func key(of record: Record, into key: inout [UInt8]) -> Bool {
        key.removeAll(keepingCapacity: true)
        let fields = record.fields
        if let entityColumn, !fields.isEmpty(entityColumn.position) {
            fields.withUTF8(entityColumn.position) { key.append(contentsOf: $0) }
            return true
        }
        if let normalizedEmailColumn, !fields.isEmpty(normalizedEmailColumn.position) {
            key.append(contentsOf: "email:".utf8)
            fields.withUTF8(normalizedEmailColumn.position) { key.append(contentsOf: $0) }
            return true
        }
        // Rare (no normalize stage): trimmed and lower-cased as `String`s are.
        let email = Self.normalizedEmail(record[emailColumn])
        if !email.isEmpty {
            key.append(contentsOf: "email:".utf8)
            key.append(contentsOf: email.utf8)
            return true
        }
        if let recordIDColumn, !fields.isEmpty(recordIDColumn.position) {
            key.append(contentsOf: "record:".utf8)
            fields.withUTF8(recordIDColumn.position) { key.append(contentsOf: $0) }
            return true
        }
        return false
    }
}
