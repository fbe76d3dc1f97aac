/// Where a run's records come from, as ``RawChunk``s that ``RecordParser`` splits on the workers.
///
/// ``RecordReader`` reads delimited text and JSONL; a workbook reader (`SpreadsheetInput`) hands
/// over a sheet's rows written as CSV, so every stage, the rejects file and the report work the same
/// whatever the input's file type.
public protocol RecordSource: AnyObject {
    /// The input's path, for messages.
    var path: String { get }
    /// How ``RecordParser`` splits the chunks' bytes into fields.
    var format: RecordFormat { get }
    /// Column names from the header.
    var columns: [String] { get }
    /// Something the run report should say about how the input was read; read after the last chunk.
    var schemaNote: String? { get }
    /// Input bytes consumed so far, for progress against the file's size.
    var bytesRead: Int { get }
    /// A checksum of the input, for the run store's history; `nil` when none was kept.
    var inputChecksum: String? { get }
    /// How the bytes were decoded, when the summary should say so (detected, not UTF-8).
    var encodingNote: String? { get }
    /// Which delimiter was chosen, when the summary should say so.
    var delimiterNote: String? { get }
    /// Whether the parser reads a row that is not UTF-8 as Windows-1252 rather than rejecting it.
    var readsInvalidUTF8RowsAsWindows1252: Bool { get }
    /// Up to `limit` of the first records' values, without consuming them (for deciding date formats).
    func peekRows(limit: Int) -> [[String]]
    /// The next chunk of records, or `nil` at the end of the input.
    func nextChunk() throws -> RawChunk?
}

extension RecordReader: RecordSource {
    public var encodingNote: String? { encoding.note(for: path) }
}
