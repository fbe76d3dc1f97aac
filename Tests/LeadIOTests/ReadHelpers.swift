import LeadIO
import LeadRecords
import TestSupport

/// Reads a whole file through the same reader and parser the executor uses.
func readAll(_ path: String, format: RecordFormat = .csv, maxRecordBytes: Int = 1 << 20, chunkSize: Int = 4096,
             hasHeader: Bool = true) throws -> (columns: [String], records: [Record]) {
    let reader = try RecordReader(path: path, format: format, hasHeader: hasHeader, maxRecordBytes: maxRecordBytes,
                                  chunkSize: chunkSize)
    let parser = RecordParser(format: format, columns: reader.columns)
    var records: [Record] = []
    while let chunk = try reader.nextChunk() {
        records += parser.parse(chunk, width: reader.columns.count).records
    }
    return (reader.columns, records)
}

extension Record {
    var rejection: Rejection? {
        if case .rejected(let r) = disposition { return r }
        return nil
    }
}
