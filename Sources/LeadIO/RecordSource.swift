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
    /// The next chunk of records, or `nil` at the end of the input.
    func nextChunk() throws -> RawChunk?
}

extension RecordReader: RecordSource {}
