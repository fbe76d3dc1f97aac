
/// The stable id a lead is remembered by across runs.
///
/// Rule, in order: dedupe's `entity_id` column when the run has it and the row has a value;
/// else `email:` plus the normalized email (`norm_email` when normalize ran, else the email
/// trimmed and lower-cased); else `record:` plus the source's record id. A row with none of
/// these has no stable id and is not snapshotted.
public struct EntityKey: Sendable {
    // Internal, not private: ``key(of:into:)`` (SnapshotExtractor+Staging.swift) reads them too.
    let entityColumn: ColumnIndex?
    let normalizedEmailColumn: ColumnIndex?
    let emailColumn: ColumnIndex?
    let recordIDColumn: ColumnIndex?

    /// Resolves the columns the key is built from.
    public init(schema: Schema, columns: ColumnBindings) {
        entityColumn = schema.index(of: "entity_id")
        normalizedEmailColumn = schema.index(of: "norm_email")
        emailColumn = columns[.email]
        recordIDColumn = columns[.recordID]
    }

    /// The lead's stable id, or `nil` when the row has nothing stable to key on.
    public func key(of record: Record) -> String? {
        if entityColumn != nil {
            let entity = record[entityColumn]
            if !entity.isEmpty { return entity }
        }
        let normalized = record[normalizedEmailColumn]
        if !normalized.isEmpty { return "email:" + normalized }
        let email = Self.normalizedEmail(record[emailColumn])
        if !email.isEmpty { return "email:" + email }
        let recordID = record[recordIDColumn]
        if !recordID.isEmpty { return "record:" + recordID }
        return nil
    }

    /// Trimmed and lower-cased; the whole address is lower-cased because mailbox providers treat
    /// local parts case-insensitively in practice even though RFC 5321 §2.4 allows otherwise.
    package static func normalizedEmail(_ email: String) -> String {
        var text = Substring(email)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        if text.hasPrefix("mailto:") { text = text.dropFirst(7) }
        return text.lowercased()
    }
}
