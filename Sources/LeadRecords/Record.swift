/// One row of a lead list as it moves through a pipeline.
///
/// Values are positional: column `i` of the run's ``Schema`` is `fields[i]`, kept packed in one buffer
/// (``PackedFields``) so that a whole list held for a whole-list stage costs little more than its text.
/// A record never leaves the run silently: its ``disposition`` says whether it is
/// still active, was rejected (with a reason code), or was merged into another record.
public struct Record: Sendable {
    /// The values, one per schema column, packed; an empty value is an empty field.
    public var fields: PackedFields
    /// The values as strings, one per schema column; builds every string, so for code off the per-row path.
    public var values: [String] {
        get { fields.strings }
        set { fields = PackedFields(newValue) }
    }
    /// The 1-based line of the input file on which this record starts.
    public var line: Int
    /// What has happened to the record so far.
    public var disposition: Disposition
    /// Set aside (rejected or merged) by an earlier segment of a distributed run, which already wrote and counted it,
    /// and carried on only so that a later stage that sees every row (decay with a store) sees it as one machine's
    /// stages do: this run neither counts it nor writes it to its files again. (Declared after ``disposition``, so it
    /// takes the padding behind it and a record stays as large as it was.)
    public var isCarried = false
    /// The raw input text, kept only for rows that could not be parsed into fields.
    public var raw: String?

    /// Creates an active record.
    public init(values: [String], line: Int, disposition: Disposition = .active, raw: String? = nil) {
        self.init(fields: PackedFields(values), line: line, disposition: disposition, raw: raw)
    }

    /// Creates a record from packed values.
    public init(fields: PackedFields, line: Int, disposition: Disposition = .active, raw: String? = nil) {
        self.fields = fields
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
            guard let column else { return "" }
            return fields[column.position]
        }
        set {
            guard let column else { return }
            fields[column.position] = newValue
        }
    }

    /// Whether a column is empty (or absent), without building its string.
    @inlinable public func isEmpty(_ column: ColumnIndex?) -> Bool {
        guard let column else { return true }
        return fields.isEmpty(column.position)
    }

    /// Makes the record at least `width` columns wide; the added columns are empty.
    @inlinable public mutating func pad(to width: Int) { fields.pad(to: width) }

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
///
/// A class, so that a ``Disposition`` (held by every record of a whole list, nearly all of them active) is a
/// word wide rather than the 64 bytes of a code, a stage and a detail. (An `indirect` case did the same and
/// crashed the Swift 6.3 build's generated code; kept apart for that reason.)
public final class Rejection: Sendable, Equatable {
    /// The stable reason code users filter on.
    public let reason: ReasonCode
    /// The stage (or `input`) that rejected the record.
    public let stage: String
    /// A human-readable detail, such as the expected and found column counts.
    public let detail: String

    public static func == (a: Rejection, b: Rejection) -> Bool {
        a.reason == b.reason && a.stage == b.stage && a.detail == b.detail
    }

    public init(reason: ReasonCode, stage: String, detail: String) {
        self.reason = reason
        self.stage = stage
        self.detail = detail
    }
}
