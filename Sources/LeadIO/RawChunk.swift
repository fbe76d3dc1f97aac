import LeadRecords

/// A record located in a ``RawChunk`` but not yet split into fields.
public struct RawRecord: Sendable {
    /// Byte range in the chunk, without the line terminator.
    public var start: Int
    public var end: Int
    /// The 1-based input line the record starts on.
    public var line: Int
    /// Set when the reader already knows the record is malformed (too long, unterminated quote).
    public var problem: ReasonCode?
    public var problemDetail: String

    public init(start: Int, end: Int, line: Int, problem: ReasonCode? = nil, problemDetail: String = "") {
        self.start = start
        self.end = end
        self.line = line
        self.problem = problem
        self.problemDetail = problemDetail
    }
}

/// Consecutive input records as bytes: the reader thread only finds where records end, and
/// workers split fields in parallel, so parsing scales with `--jobs`.
public struct RawChunk: Sendable {
    public var sequence: Int
    public var bytes: [UInt8]
    public var records: [RawRecord]

    public init(sequence: Int, bytes: [UInt8], records: [RawRecord]) {
        self.sequence = sequence
        self.bytes = bytes
        self.records = records
    }
}
