/// The values a stage adds to a row, built as bytes in one buffer the stage reuses from row to row, then
/// written into the row at once (``PackedFields/replace(_:with:ends:)``): one new buffer per row, no strings.
public struct ColumnValues {
    /// The values' bytes back to back; append a value's bytes, then call ``endValue()``.
    public var text: [UInt8] = []
    private var ends: [UInt32] = []

    public init() {
        text.reserveCapacity(256)
        ends.reserveCapacity(8)
    }

    /// Forgets the last row's values.
    public mutating func start() {
        text.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Ends the value being written: the bytes since the last end are its text.
    public mutating func endValue() { ends.append(UInt32(text.count)) }

    /// Appends `value`'s bytes to the value being written.
    public mutating func append(_ value: String) {
        // `withUTF8` reads a small string's bytes in place too, where `utf8`'s contiguous storage is only a native string's.
        var value = value
        value.withUTF8 { text.append(contentsOf: $0) }
    }

    /// Writes the values into the adjacent columns `run`, one per column.
    public func write(into fields: inout PackedFields, run: Range<Int>) {
        text.withUnsafeBufferPointer { text in ends.withUnsafeBufferPointer { fields.replace(run, with: text, ends: $0) } }
    }

    /// Writes the values one by one into `columns`, for columns that are not adjacent.
    public func write(into fields: inout PackedFields, columns: [Int]) {
        text.withUnsafeBufferPointer { text in
            var start = 0
            for (k, column) in columns.enumerated() {
                let end = Int(ends[k])
                fields.replace(column, with: UnsafeBufferPointer(rebasing: text[start..<end]))
                start = end
            }
        }
    }
}
