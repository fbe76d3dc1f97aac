/// One row of a lead list as it moves through a pipeline.
///
/// Values are positional: `values[i]` belongs to column `i` of the run's ``Schema``.
/// A record never leaves the run silently: its ``disposition`` says whether it is
/// still active, was rejected (with a reason code), or was merged into another record.
public struct Record: Sendable {
    /// The values, one per schema column; an empty string is an empty field.
    public var values: [String]
    /// The 1-based line of the input file on which this record starts.
    public var line: Int
    /// What has happened to the record so far.
    public var disposition: Disposition
    /// The raw input text, kept only for rows that could not be parsed into fields.
    public var raw: String?

    /// Creates an active record.
    public init(values: [String], line: Int, disposition: Disposition = .active, raw: String? = nil) {
        self.values = values
        self.line = line
        self.disposition = disposition
        self.raw = raw
    }

    /// Whether later stages should still work on this record.
    @inlinable public var isActive: Bool {
        if case .active = disposition { return true }
        return false
    }

    /// Reads a column, or the empty string when the column is absent.
    @inlinable public subscript(column: ColumnIndex?) -> String {
        get {
            guard let column, column.position < values.count else { return "" }
            return values[column.position]
        }
        set {
            guard let column else { return }
            if column.position >= values.count {
                values.append(contentsOf: repeatElement("", count: column.position - values.count + 1))
            }
            values[column.position] = newValue
        }
    }

    /// Sets the record aside with a reason; later stages skip it and the writer sends it to the rejects file.
    public mutating func reject(_ reason: ReasonCode, stage: String, detail: String = "") {
        disposition = .rejected(Rejection(reason: reason, stage: stage, detail: detail))
    }
}

/// Why a record left the main output.
public enum Disposition: Sendable, Equatable {
    /// Still flowing through the pipeline; will be written to the output.
    case active
    /// Set aside; written to the rejects file.
    case rejected(Rejection)
    /// Folded into another record (for example a dedupe golden record); counted as `rows_merged`.
    case merged(intoLine: Int)
}

/// The reason a record was set aside.
public struct Rejection: Sendable, Equatable {
    /// The stable reason code users filter on.
    public var reason: ReasonCode
    /// The stage (or `input`) that rejected the record.
    public var stage: String
    /// A human-readable detail, such as the expected and found column counts.
    public var detail: String

    public init(reason: ReasonCode, stage: String, detail: String) {
        self.reason = reason
        self.stage = stage
        self.detail = detail
    }
}
