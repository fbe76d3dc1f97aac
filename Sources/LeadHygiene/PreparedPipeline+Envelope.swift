import LeadIO
import LeadRecords

extension PreparedPipeline {
    /// What ``encodeEnvelope(into:)`` wrote.
    public struct EncodedInput: Sendable {
        /// Rows written as `row` lines.
        public var rows = 0
        /// Rows the reader refused, written as `reject` lines.
        public var rejected = 0
        /// Rows read as Windows-1252 although the input's first block was UTF-8 (a note in the run's report).
        public var rowsReadAsWindows1252 = 0
    }

    /// Reads the input as a run reads it (encoding, delimiter, header, the reader's rejects) and writes it as
    /// the envelope `leadhygiene run --envelope` reads: an `input` header with the columns, the format and the
    /// first rows (which decide date formats), then one line per record with its input line as `seq`.
    ///
    /// Every partition of a distributed run then reads rows exactly as one run over the whole file would.
    public func encodeEnvelope(into write: ([UInt8]) throws -> Void) throws -> EncodedInput {
        guard let reader else { throw InputOutputError(path: inputPath, "the input could not be opened") }
        let parser = parser(for: reader)
        // Which stages need every row at once: a driver runs them in one task, the others in every partition.
        let stages = zip(pipeline.stages, boundStages).map { (name: $0.0.name, wholeList: $0.1.isWholeList) }
        let fields = binding?.mapped.map { (field: $0.field.name, column: $0.column) } ?? []
        try write(EnvelopeWriter.inputHeader(columns: reader.columns, format: inputFormat,
                                             sample: reader.peekRows(limit: DateColumns.sampleRows), stages: stages, fields: fields,
                                             usesStore: declaresStore))
        let writer = EnvelopeWriter(columns: reader.columns)
        var encoded = EncodedInput()
        while let chunk = try reader.nextChunk() {
            var out: [UInt8] = []
            let parsed = parser.parse(chunk, width: reader.columns.count)
            encoded.rowsReadAsWindows1252 += parsed.rowsReadAsWindows1252
            for record in parsed.records {
                switch record.disposition {
                case .active:
                    encoded.rows += 1
                    writer.appendRow(seq: record.line, fields: record.fields, text: nil, to: &out)
                case .rejected(let rejection):
                    encoded.rejected += 1
                    writer.appendReject(seq: record.line, rejection: rejection, raw: record.raw, text: nil, to: &out)
                case .merged:
                    break  // the reader merges nothing
                }
            }
            try write(out)
        }
        return encoded
    }
}
