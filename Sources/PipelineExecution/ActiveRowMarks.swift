import LeadRecords

/// What the report's headline counts among the clean rows as they are rendered: rows a stage flagged
/// (kept, but with `email_action` or `decay_action` set to `flag`) and rows that may be mailed.
///
/// Counted per row, once, so a row that two stages flagged is one flagged row and the headline adds up:
/// `rows_out = usable + flagged`.
public struct ActiveRowMarks: Sendable {
    /// Positions of the columns whose value ``flagValue`` means a stage flagged the row.
    public var flagPositions: [Int]
    public var flagValue: String
    /// The column, and its value, that make a row mailable; `nil` when no stage decides it.
    public var mailable: (position: Int, value: String)?

    public init(flagPositions: [Int], flagValue: String, mailable: (position: Int, value: String)?) {
        self.flagPositions = flagPositions
        self.flagValue = flagValue
        self.mailable = mailable
    }

    func isFlagged(_ fields: PackedFields) -> Bool {
        flagPositions.contains { fields.equals($0, flagValue) }
    }

    func isMailable(_ fields: PackedFields) -> Bool {
        guard let mailable else { return false }
        return fields.equals(mailable.position, mailable.value)
    }
}
