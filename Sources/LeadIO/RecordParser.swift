import Foundation
import LeadRecords

/// Turns a ``RawChunk`` into records; pure and thread-safe, so workers parse chunks in parallel.
public struct RecordParser: Sendable {
    public let format: RecordFormat
    public let columns: [String]
    private let keyPositions: [String: Int]
    /// Each column's name as UTF-8, for finding a JSONL key by its bytes; `nil` for a name that an
    /// earlier column already has (the earlier one takes the key).
    private let columnKeyBytes: [[UInt8]?]
    /// Whether a row that is not valid UTF-8 is read as Windows-1252 (and counted) instead of rejected
    /// as `invalid_utf8`; see ``RecordReader/readsInvalidUTF8RowsAsWindows1252``.
    public var readsInvalidUTF8AsWindows1252 = false

    public init(format: RecordFormat, columns: [String]) {
        self.format = format
        self.columns = columns
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() where positions[c] == nil { positions[c] = i }
        keyPositions = positions
        columnKeyBytes = columns.enumerated().map { i, c in positions[c] == i ? Array(c.utf8) : nil }
    }

    /// The column of the JSONL key written as `span` (the bytes between its quotes), the key's `ordinal`-th
    /// in its object, or `nil` when it names no column.
    ///
    /// An exporter writes its keys in the same order on every line, so the column at the same ordinal is
    /// tried first, byte for byte; only a key elsewhere, or one with an escape, is decoded and looked up.
    private func column(ofKey span: Range<Int>, ordinal: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = span.count
        if ordinal < columnKeyBytes.count, let nameBytes = columnKeyBytes[ordinal] {
            let matches = nameBytes.withUnsafeBufferPointer { name -> Bool in
                guard name.count == count, let nameBase = name.baseAddress, let base = bytes.baseAddress else { return count == 0 && name.isEmpty }
                return memcmp(base + span.lowerBound, nameBase, count) == 0
                    && memchr(base + span.lowerBound, Int32(UInt8(ascii: "\\")), count) == nil
            }
            if matches { return ordinal }
        }
        return keyPositions[JSONLineParser.key(bytes, at: span)]
    }

    /// Parses every record of `chunk`; each record's values are padded to `width` columns so stages
    /// can fill their added columns without reallocating. Malformed rows come back already rejected.
    public func parse(_ chunk: RawChunk, width: Int) -> RecordChunk {
        var records: [Record] = []
        records.reserveCapacity(chunk.records.count)
        var transcodedRows = 0
        // JSONL: which record last set each column, to find a key given twice in one object without
        // clearing anything per line (one array per chunk, stamped with the record's index + 1).
        var setBy = [Int32](repeating: 0, count: format == .jsonl ? columns.count : 0)
        // One builder for the chunk: its buffers are reused row after row.
        var builder = PackedFieldsBuilder()
        chunk.bytes.withUnsafeBufferPointer { bytes in
            for (index, raw) in chunk.records.enumerated() {
                records.append(parse(raw, problem: chunk.problems.isEmpty ? nil : chunk.problems[index], in: bytes, width: width,
                                     stamp: Int32(truncatingIfNeeded: index + 1), setBy: &setBy, builder: &builder,
                                     transcodedRows: &transcodedRows))
            }
        }
        for (index, carried) in chunk.carried {
            records[index].disposition = carried.disposition
            records[index].raw = carried.raw
            records[index].isCarried = true
        }
        var parsed = RecordChunk(sequence: chunk.sequence, records: records)
        parsed.rowsReadAsWindows1252 = transcodedRows
        parsed.carriedRows = chunk.carried.count
        return parsed
    }

    private func parse(_ raw: RawRecord, problem: RawRecordProblem?, in bytes: UnsafeBufferPointer<UInt8>, width: Int,
                       stamp: Int32, setBy: inout [Int32], builder: inout PackedFieldsBuilder,
                       transcodedRows: inout Int) -> Record {
        /// The row read again as Windows-1252. Rare (only rows past the block the encoding was decided on),
        /// so copying the row costs nothing overall.
        func asWindows1252(setBy: inout [Int32], builder: inout PackedFieldsBuilder) -> Record {
            transcodedRows += 1
            let converted = Transcoder.windows1252ToUTF8(UnsafeBufferPointer(rebasing: bytes[raw.start..<raw.end]))
            var ignored = 0
            return converted.withUnsafeBufferPointer {
                parse(RawRecord(start: 0, end: $0.count, line: raw.line), problem: nil, in: $0, width: width,
                      stamp: stamp, setBy: &setBy, builder: &builder, transcodedRows: &ignored)
            }
        }
        func rejected(_ reason: ReasonCode, _ detail: String) -> Record {
            var record = Record(values: [], line: raw.line,
                                raw: String(decoding: UnsafeBufferPointer(rebasing: bytes[raw.start..<raw.end]), as: UTF8.self))
            record.reject(reason, stage: "input", detail: detail)
            return record
        }
        if let problem { return rejected(problem.reason, problem.detail) }
        switch format {
        case .delimited(let delimiter):
            do throws(DelimitedFieldParser.Failure) {
                try DelimitedFieldParser(delimiter: delimiter).fields(bytes, raw.start, raw.end, into: &builder)
            } catch {
                builder.discard()
                switch error {
                case .invalidUTF8:
                    if readsInvalidUTF8AsWindows1252 { return asWindows1252(setBy: &setBy, builder: &builder) }
                    return rejected(.invalidUTF8, "the row is not valid UTF-8")
                case .strayQuote(let field):
                    return rejected(.csvStrayQuote, "field \(field): text after a closing quote")
                }
            }
            guard builder.count == columns.count else {
                let found = builder.count
                builder.discard()
                return rejected(.csvWrongColumnCount, "expected \(columns.count) fields, found \(found)")
            }
            return Record(fields: builder.finish(width: width), line: raw.line)
        case .jsonl:
            if !UTF8Validation.isASCII(bytes, raw.start, raw.end), !UTF8Validation.isValid(bytes, raw.start, raw.end) {
                if readsInvalidUTF8AsWindows1252 { return asWindows1252(setBy: &setBy, builder: &builder) }
                return rejected(.invalidUTF8, "the line is not valid UTF-8")
            }
            var parser = JSONLineParser(bytes, start: raw.start, end: raw.end)
            var values = [String](repeating: "", count: columns.count)
            var unexpectedKey: Range<Int>?
            var repeatedKey: Range<Int>?
            do {
                try parser.parseValues { span, ordinal, value in
                    guard unexpectedKey == nil, repeatedKey == nil else { return }
                    if let position = column(ofKey: span, ordinal: ordinal, in: bytes) {
                        // A key given twice would keep one value and drop the other without a trace.
                        if setBy[position] == stamp { repeatedKey = span; return }
                        setBy[position] = stamp
                        values[position] = value
                    } else {
                        unexpectedKey = span
                    }
                }
            } catch {
                return rejected(.jsonlInvalid, error.message)
            }
            if let repeatedKey {
                return rejected(.jsonlDuplicateKey, "key '\(JSONLineParser.key(bytes, at: repeatedKey))' is given twice; which value is meant cannot be known")
            }
            if let unexpectedKey {
                let key = JSONLineParser.key(bytes, at: unexpectedKey)
                return rejected(.jsonlUnexpectedField, "key '\(key)' is not among the columns learned from the first lines (input.schema_sample_lines); "
                                + "`schema_sample_lines: all` on a file learns every key")
            }
            var fields = PackedFields(values)
            fields.pad(to: width)
            return Record(fields: fields, line: raw.line)
        }
    }
}
