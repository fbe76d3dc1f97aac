/// A stable, `snake_case` code saying why a record was rejected or flagged.
///
/// Users build filters and `fail_if` thresholds on these strings, so a code never changes
/// once published. Each module declares its codes as static members in an extension, and
/// `leadhygiene reasons` lists every code with its summary.
public struct ReasonCode: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The code as written to the rejects file and the report.
    public let code: String
    /// One sentence for `leadhygiene reasons` and the README.
    public let summary: String

    public init(_ code: String, _ summary: String) {
        self.code = code
        self.summary = summary
    }

    public var description: String { code }

    public static func == (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.code < rhs.code }
}

extension ReasonCode {
    /// A quoted CSV field is still open at the end of the file or after the record size cap.
    public static let csvUnterminatedQuote = ReasonCode(
        "csv_unterminated_quote", "A quoted field never closes; the line is set aside and reading resumes on the next line.")
    /// A CSV row has more or fewer fields than the header.
    public static let csvWrongColumnCount = ReasonCode(
        "csv_wrong_column_count", "The row has more or fewer fields than the header.")
    /// A quote appears inside an unquoted field or after a closing quote.
    public static let csvStrayQuote = ReasonCode(
        "csv_stray_quote", "A quote character appears inside an unquoted field or right after a closing quote.")
    /// The row's bytes are not valid UTF-8.
    public static let invalidUTF8 = ReasonCode("invalid_utf8", "The row's bytes are not valid UTF-8 and input.encoding: utf-8 was stated.")
    /// The row is longer than `input.max_record_bytes`.
    public static let recordTooLong = ReasonCode(
        "record_too_long", "The row is longer than input.max_record_bytes.")
    /// A JSONL line is not a JSON object.
    public static let jsonlInvalid = ReasonCode("jsonl_invalid", "The JSONL line is not a valid JSON object.")
    /// A JSONL object has a key that is not among the columns learned from the head of the input:
    /// `input.schema_sample_lines` is a number, or the input is a pipe that could only be sampled.
    public static let jsonlUnexpectedField = ReasonCode(
        "jsonl_unexpected_field",
        "The JSONL object has a key not seen in the lines the columns were learned from: the first input.schema_sample_lines lines, or the first 1000 of standard input or a pipe.")

    /// A JSONL object gives one key twice (`{"id":"L1","id":"L2"}`).
    public static let jsonlDuplicateKey = ReasonCode(
        "jsonl_duplicate_key", "The JSONL object gives the same key twice; the detail names the key.")

    /// The codes the readers emit.
    public static let inputCodes: [ReasonCode] = [
        .csvUnterminatedQuote, .csvWrongColumnCount, .csvStrayQuote, .invalidUTF8, .recordTooLong,
        .jsonlInvalid, .jsonlUnexpectedField, .jsonlDuplicateKey,
    ]
}
