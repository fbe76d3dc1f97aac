import LeadIO
import LeadRecords

/// Turns a processed chunk into bytes for the output, rejects and merged files, and counts it.
/// Runs on the workers so the writer only copies bytes.
public struct OutputRenderer: Sendable {
    /// The columns the rejects file puts before the record's own columns.
    package static let rejectColumns = ["reject_line", "reject_stage", "reject_reason", "reject_detail", "reject_raw"]
    /// The column the merged file puts before the record's own columns.
    package static let mergedColumns = ["merged_line", "merged_into_line"]

    let output: RecordSerializer?
    let rejects: RecordSerializer?
    let merged: RecordSerializer?
    let width: Int
    /// The column whose value picks a clean row's split file (`output.split_by`), if any.
    let splitPosition: Int?
    /// Which clean rows the headline counts as flagged and as mailable; `nil` counts neither.
    public var marks: ActiveRowMarks?
    /// Set for a partition of a distributed run: every row, rejected and merged ones too, goes to the
    /// output as one envelope line with its input line as `seq`, its values and its line as the clean,
    /// rejects or merged file would have it (``EnvelopeWriter``).
    public var envelope: EnvelopeWriter?
    /// With ``envelope``, for a segment before a stage that sees every row (decay with a store, `run --carry`): each
    /// row set aside here also goes out as a `carried` line with its values, and so does each row an earlier segment
    /// carried here (``Record/isCarried``), which is otherwise neither counted nor written again.
    public var carriesSetAside = false
    /// The columns of a row's values (every column of the schema).
    package let schemaColumns: [String]

    /// - Parameters: `nil` serializers skip that file (records are still counted).
    /// - Parameter guardsFormulas: in delimited files, put `'` before values a spreadsheet would run as a formula.
    /// - Parameter outputColumns: the columns of the clean output, in order (`output.columns`); `nil` for all.
    ///   Rejects and merged files always keep every column, to trace what happened to a row.
    /// - Parameter rename: header names of the clean output, column → name written (`output.rename`).
    /// - Parameter endsRowsInCRLF, writesByteOrderMark: for delimited files opened in Excel (all three files).
    /// - Parameter splitColumn: clean rows are also rendered into ``Rendered/split``, by this column's value.
    public init(schema: Schema, output: RecordFormat?, rejects: RecordFormat?, merged: RecordFormat?, guardsFormulas: Bool = false,
                outputColumns: [ColumnIndex]? = nil, rename: [String: String] = [:], endsRowsInCRLF: Bool = false,
                writesByteOrderMark: Bool = false, splitColumn: ColumnIndex? = nil) {
        width = schema.count
        schemaColumns = schema.columns
        splitPosition = splitColumn?.position
        // Resolved to positions once here, so workers pick fields by index with nothing to look up per row.
        let positions = outputColumns?.map(\.position)
        let names = (positions.map { $0.map { schema.columns[$0] } } ?? schema.columns).map { rename[$0] ?? $0 }
        self.output = output.map {
            RecordSerializer(format: $0, columns: names, valuePositions: positions, guardsFormulas: guardsFormulas,
                             endsRowsInCRLF: endsRowsInCRLF, writesByteOrderMark: writesByteOrderMark)
        }
        self.rejects = rejects.map {
            RecordSerializer(format: $0, columns: Self.rejectColumns + schema.columns, guardsFormulas: guardsFormulas,
                             endsRowsInCRLF: endsRowsInCRLF, writesByteOrderMark: writesByteOrderMark)
        }
        self.merged = merged.map {
            RecordSerializer(format: $0, columns: Self.mergedColumns + schema.columns, guardsFormulas: guardsFormulas,
                             endsRowsInCRLF: endsRowsInCRLF, writesByteOrderMark: writesByteOrderMark)
        }
    }

    /// The clean output's column names, in order.
    public var outputColumns: [String] { output?.columns ?? [] }

    public func outputHeader() -> [UInt8] {
        if envelope != nil {
            return EnvelopeWriter.outputHeader(columns: schemaColumns, output: output?.header() ?? [],
                                               rejects: rejects?.header() ?? [], merged: merged?.header() ?? [])
        }
        return output?.header() ?? []
    }
    public func rejectsHeader() -> [UInt8] { rejects?.header() ?? [] }
    public func mergedHeader() -> [UInt8] { merged?.header() ?? [] }

    /// The bytes and counts of one chunk.
    public struct Rendered: Sendable {
        public var output: [UInt8] = []
        public var rejects: [UInt8] = []
        public var merged: [UInt8] = []
        /// With a split column: the clean rows again, rendered like `output`, by the column's value.
        public var split: [String: [UInt8]] = [:]
        /// With a split column: how many clean rows have each value.
        public var splitRows: [String: Int] = [:]
        public var rowsOut = 0
        public var rowsMerged = 0
        /// Clean rows a stage flagged, and clean rows that may be mailed (``marks``).
        public var rowsFlagged = 0
        public var rowsMailable = 0
        public var rejectReasons: [String: Int] = [:]
        /// The first rejected rows of each reason in this chunk, at most ``RejectSample/limit`` each.
        public var rejectSamples: [String: [RejectSample]] = [:]
    }

    public func render(_ records: [Record]) -> Rendered {
        var rendered = Rendered()
        rendered.output.reserveCapacity(records.count * 160)
        for record in records {
            if carriesSetAside, !record.isActive, let envelope {
                envelope.appendCarried(seq: record.line, disposition: record.disposition, raw: record.raw, fields: record.fields,
                                       to: &rendered.output)
            }
            // Counted and written by the segment that set it aside.
            if record.isCarried { continue }
            switch record.disposition {
            case .active:
                rendered.rowsOut += 1
                if let marks {
                    if marks.isFlagged(record.fields) { rendered.rowsFlagged += 1 }
                    if marks.isMailable(record.fields) { rendered.rowsMailable += 1 }
                }
                if let envelope {
                    envelope.appendRow(seq: record.line, fields: record.fields,
                                       text: output.map { line([], record.fields, $0) }, to: &rendered.output)
                    continue
                }
                output?.append(record.fields, to: &rendered.output)
                if let splitPosition {
                    let value = record.fields[splitPosition]
                    rendered.splitRows[value, default: 0] += 1
                    output?.append(record.fields, to: &rendered.split[value, default: []])
                }
            case .rejected(let rejection):
                rendered.rejectReasons[rejection.reason.code, default: 0] += 1
                if rendered.rejectSamples[rejection.reason.code, default: []].count < RejectSample.limit {
                    rendered.rejectSamples[rejection.reason.code, default: []].append(
                        RejectSample(line: record.line, stage: rejection.stage, detail: rejection.detail))
                }
                let fields = [String(record.line), rejection.stage, rejection.reason.code, rejection.detail, record.raw ?? ""]
                if let envelope {
                    envelope.appendReject(seq: record.line, rejection: rejection, raw: record.raw,
                                          text: rejects.map { line(fields, record.fields, $0) }, to: &rendered.output)
                    continue
                }
                rejects?.append(fields, then: record.fields, to: &rendered.rejects)
            case .merged(let survivor):
                rendered.rowsMerged += 1
                if let envelope {
                    envelope.appendMerged(seq: record.line, into: survivor, fields: record.fields,
                                          text: merged.map { line([String(record.line), String(survivor)], record.fields, $0) },
                                          to: &rendered.output)
                    continue
                }
                merged?.append([String(record.line), String(survivor)], then: record.fields, to: &rendered.merged)
            }
        }
        return rendered
    }

    /// One row (after `prefix`'s values) as `serializer` writes it.
    private func line(_ prefix: [String], _ fields: PackedFields, _ serializer: RecordSerializer) -> [UInt8] {
        var bytes: [UInt8] = []
        if prefix.isEmpty { serializer.append(fields, to: &bytes) } else { serializer.append(prefix, then: fields, to: &bytes) }
        return bytes
    }
}

/// One rejected row shown in the report, so a reader sees examples of a reason without opening the rejects file.
public struct RejectSample: Sendable, Equatable {
    /// How many rows of each reason the report shows.
    public static let limit = 5
    public var line: Int
    public var stage: String
    public var detail: String
}
