import LeadRecords

/// The columns a whole-list stage reads or writes, when it touches fewer than all of a row: while the stage
/// holds the list, the executor keeps only those values in each row and sets the others aside (in a temporary
/// file), then puts them back before the rows go on. A million held rows then cost their touched text, not
/// their whole text.
///
/// A wrong declaration loses values silently (the stage would see empty columns), so a stage declares only
/// what its code reads and writes, per row where that depends on the row.
public struct TouchedColumns: Sendable {
    /// How much of one row the stage reads or writes.
    /// (Its raw value marks each row's entry where the executor sets values aside.)
    public enum RowNeed: UInt8, Sendable {
        /// Any column: the row is held whole.
        case wholeRow
        /// Only ``TouchedColumns/positions``.
        case touchedColumns
        /// None: the stage leaves the row alone (an inactive row, for most stages).
        case nothing
    }

    /// The touched columns' positions in the run's schema.
    public let positions: [Int]
    /// What the stage needs of a row, asked once per row as it is gathered.
    public let need: @Sendable (Record) -> RowNeed
    /// Bytes of text the stage usually writes into a row: a held row is made with that much room, so most writes
    /// happen in place.
    public let writtenBytes: Int

    public init(positions: [Int], writtenBytes: Int = 0, need: @escaping @Sendable (Record) -> RowNeed) {
        self.positions = positions
        self.writtenBytes = writtenBytes
        self.need = need
    }

    /// One flag per column of a `width`-column schema: whether the stage touches it.
    public func mask(width: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: max(width, (positions.max() ?? -1) + 1))
        for position in positions { mask[position] = true }
        return mask
    }
}
