import LeadRecords

/// Turns a ``RawChunk`` into records; pure and thread-safe, so workers parse chunks in parallel.
public struct RecordParser: Sendable {
    public let format: RecordFormat
    public let columns: [String]
    private let keyPositions: [String: Int]

    public init(format: RecordFormat, columns: [String]) {
        self.format = format
        self.columns = columns
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() where positions[c] == nil { positions[c] = i }
        keyPositions = positions
    }

    /// Parses every record of `chunk`; each record's values are padded to `width` columns so stages
    /// can fill their added columns without reallocating. Malformed rows come back already rejected.
    public func parse(_ chunk: RawChunk, width: Int) -> RecordChunk {
        var records: [Record] = []
        records.reserveCapacity(chunk.records.count)
        chunk.bytes.withUnsafeBufferPointer { bytes in
            for (index, raw) in chunk.records.enumerated() {
                records.append(parse(raw, problem: chunk.problems.isEmpty ? nil : chunk.problems[index], in: bytes, width: width))
            }
        }
        return RecordChunk(sequence: chunk.sequence, records: records)
    }

    private func parse(_ raw: RawRecord, problem: RawRecordProblem?, in bytes: UnsafeBufferPointer<UInt8>, width: Int) -> Record {
        func rejected(_ reason: ReasonCode, _ detail: String) -> Record {
            var record = Record(values: [], line: raw.line,
                                raw: String(decoding: UnsafeBufferPointer(rebasing: bytes[raw.start..<raw.end]), as: UTF8.self))
            record.reject(reason, stage: "input", detail: detail)
            return record
        }
        if let problem { return rejected(problem.reason, problem.detail) }
        var values: [String] = []
        values.reserveCapacity(max(width, columns.count))
        switch format {
        case .delimited(let delimiter):
            do throws(DelimitedFieldParser.Failure) {
                try DelimitedFieldParser(delimiter: delimiter).fields(bytes, raw.start, raw.end, into: &values)
            } catch {
                switch error {
                case .invalidUTF8:
                    return rejected(.invalidUTF8, "the row is not valid UTF-8")
                case .strayQuote(let field):
                    return rejected(.csvStrayQuote, "field \(field): text after a closing quote")
                }
            }
            guard values.count == columns.count else {
                return rejected(.csvWrongColumnCount, "expected \(columns.count) fields, found \(values.count)")
            }
        case .jsonl:
            if !UTF8Validation.isASCII(bytes, raw.start, raw.end), !UTF8Validation.isValid(bytes, raw.start, raw.end) {
                return rejected(.invalidUTF8, "the line is not valid UTF-8")
            }
            var parser = JSONLineParser(bytes, start: raw.start, end: raw.end)
            let pairs: [(key: String, value: String)]
            do {
                pairs = try parser.parseObject()
            } catch {
                return rejected(.jsonlInvalid, error.message)
            }
            values.append(contentsOf: repeatElement("", count: columns.count))
            for pair in pairs {
                guard let position = keyPositions[pair.key] else {
                    return rejected(.jsonlUnexpectedField, "key '\(pair.key)' is not among the columns learned from the first lines (input.schema_sample_lines); "
                                    + "`schema_sample_lines: all` on a file learns every key")
                }
                values[position] = pair.value
            }
        }
        while values.count < width { values.append("") }
        return Record(values: values, line: raw.line)
    }
}
