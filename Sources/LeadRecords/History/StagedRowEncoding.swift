/// How the run store stages a row's values before it binds them: text as a 4-byte little-endian length
/// and its UTF-8 bytes, integers as 8 bytes, a real as a 1 flag byte and its 8 bytes (a 0 byte when
/// missing).
///
/// It lives beside the records so that whoever produces a run's rows (``SnapshotExtractor``) writes them
/// straight from a record's packed bytes, with no `String` or ``LeadSnapshot`` in between; the store's
/// staging file writes and reads the same encoding.
public enum StagedRowEncoding {
    /// Appends a text's bytes after their length.
    @inlinable public static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to row: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { row.append(contentsOf: $0) }
        row.append(contentsOf: bytes)
    }

    /// Appends a text.
    @inlinable public static func appendText(_ text: String, to row: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendText($0, to: &row) }
    }

    /// Appends the bytes of column `column` of `fields` as a text (empty when there is no such column).
    @inlinable public static func appendText(column: ColumnIndex?, of fields: PackedFields, to row: inout [UInt8]) {
        guard let column else { appendText(UnsafeBufferPointer(start: nil, count: 0), to: &row); return }
        fields.withUTF8(column.position) { appendText($0, to: &row) }
    }

    /// Appends an integer.
    @inlinable public static func appendInteger(_ value: Int64, to row: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { row.append(contentsOf: $0) }
    }

    /// Appends a real, or the flag of a missing one.
    @inlinable public static func appendReal(_ value: Double?, to row: inout [UInt8]) {
        guard let value else { row.append(0); return }
        row.append(1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { row.append(contentsOf: $0) }
    }
}
