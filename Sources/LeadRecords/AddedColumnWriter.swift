/// A stage's added values for a row, gathered in ``values`` and written into the row at once when the stage's
/// columns sit side by side (as when it added them together), or one by one when they do not (a list that already
/// had some of them).
///
/// One per thread, as its ``ColumnValues``. Written one at a time, six values moved the row's text six times and
/// grew its buffer by a quarter at each of the first writes; at once, the row moves and grows once.
public final class AddedColumnWriter {
    /// Where the row's values go, in the order of the columns given at creation.
    public let values = ColumnValues()
    private let run: Range<Int>?
    private let positions: [Int]

    public init(_ columns: [ColumnIndex]) {
        run = ColumnIndex.adjacentRun(columns)
        positions = columns.map(\.position)
    }

    /// Writes the values gathered since `values.start()` into `fields`, one per column.
    public func write(into fields: inout PackedFields) {
        if let run {
            values.write(into: &fields, run: run)
        } else {
            values.write(into: &fields, columns: positions)
        }
    }
}
