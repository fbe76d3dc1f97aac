import LeadRecords

/// A packed row read with a run of adjacent columns taken from elsewhere: values a stage has worked out for
/// the row but not written yet (route's account columns, written with its routing columns in one move of
/// the row's text), read by conditions exactly as they would read them once written.
///
/// Column `run.lowerBound + k` is `text[ends[k - 1] ..< ends[k]]` (from 0 for the first), the layout
/// ``ColumnValues`` writes.
public struct OverlaidRow {
    let fields: PackedFields
    /// The columns the overlay gives.
    let run: Range<Int>
    let text: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<UInt32>

    /// `fields` with the columns `run` read from `text` and `ends`, which must stay valid while the row is read.
    public init(_ fields: PackedFields, run: Range<Int>, text: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>) {
        precondition(ends.count == run.count, "one end offset per column")
        self.fields = fields
        self.run = run
        self.text = text
        self.ends = ends
    }

    /// Calls `body` with column `i`'s UTF-8 bytes, from the overlay when it gives the column.
    @inline(__always) public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard run.contains(i) else { return fields.withUTF8(i, body) }
        let k = i &- run.lowerBound
        let start = k == 0 ? 0 : Int(ends[k &- 1])
        return body(UnsafeBufferPointer(rebasing: text[start..<Int(ends[k])]))
    }
}

extension OverlaidRow: CellRow {
    @inline(__always) func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUTF8(column, body)
    }
}

extension UnretainedExpression {
    /// ``BoundExpression/evaluate(row:scratch:)`` on a row with columns overlaid.
    @inline(__always) public func evaluate(row values: OverlaidRow, scratch: inout RowScratch) -> Truth {
        program._withUnsafeGuaranteedRef { $0.evaluate(values, &scratch) }
    }
}
