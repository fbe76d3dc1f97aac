import LeadRecords

/// A record located in a ``RawChunk`` but not yet split into fields.
public struct RawRecord: Sendable {
    /// Byte range in the chunk, without the line terminator.
    public var start: Int
    public var end: Int
    /// The 1-based input line the record starts on.
    public var line: Int

    public init(start: Int, end: Int, line: Int) {
        self.start = start
        self.end = end
        self.line = line
    }
}

/// Why the reader already knows a record is malformed (too long, an unterminated quote).
public struct RawRecordProblem: Sendable {
    public var reason: ReasonCode
    public var detail: String

    public init(reason: ReasonCode, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// A row an earlier segment of a distributed run set aside, read from its envelope's `carried` line: its values are
/// the record's bytes, and it comes back with the disposition that segment gave it (``Record/isCarried``).
public struct CarriedRow: Sendable {
    public var disposition: Disposition
    /// The raw text of a row the input's reader refused; `nil` for any other.
    public var raw: String?

    public init(disposition: Disposition, raw: String?) {
        self.disposition = disposition
        self.raw = raw
    }
}

/// Consecutive input records as bytes: the reader thread only finds where records end, and
/// workers split fields in parallel, so parsing scales with `--jobs`.
public struct RawChunk: Sendable {
    public var sequence: Int
    public var bytes: [UInt8]
    /// Plain positions, so that the reader thread appends a million of them without retaining anything.
    public var records: [RawRecord]
    /// The records (by index in `records`) the reader found malformed; nearly always empty.
    public var problems: [Int: RawRecordProblem]
    /// The records (by index in `records`) an earlier segment set aside and carried here; empty but in a later
    /// segment of a distributed run with a store.
    public var carried: [Int: CarriedRow]

    public init(sequence: Int, bytes: [UInt8], records: [RawRecord], problems: [Int: RawRecordProblem] = [:],
                carried: [Int: CarriedRow] = [:]) {
        self.sequence = sequence
        self.bytes = bytes
        self.records = records
        self.problems = problems
        self.carried = carried
    }
}
