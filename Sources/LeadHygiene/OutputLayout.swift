import LeadIO
import PipelineExecution
import PipelineFileLoading
import PipelineSpec

/// The formats of the files a run writes and how they are rendered, from `output:` and the input read.
///
/// A delimited output keeps the input's delimiter unless `output.delimiter` says otherwise: a `;` list
/// stays a `;` list whether it is written to `clean.csv` or to standard output. Rejects and merged files
/// follow the clean output, so one run writes one dialect.
struct OutputLayout {
    var outputFormat: RecordFormat
    var rejectsFormat: RecordFormat?
    var mergedFormat: RecordFormat?

    init(output: OutputSettings, outputPath: String, rejectsPath: String?, mergedPath: String?, prepared: PreparedPipeline) {
        let stated = output.delimiter.flatMap(PipelineFileLoader.delimiterByte)
        // The input's delimiter is kept by CSV-like outputs only: a `.tsv` output (or `format: tsv`) means tabs.
        var kept: UInt8?
        if case .delimited(let inputDelimiter) = prepared.inputFormat { kept = inputDelimiter }
        func format(name: String, path: String, fallback: RecordFormat) -> RecordFormat {
            let plain = RecordFormat.resolve(name: name, path: path, delimiter: stated, fallback: fallback)
            let lower = path.lowercased()
            let tabByName = name == "tsv" || (name == "auto" && (lower.hasSuffix(".tsv") || lower.hasSuffix(".tab")))
            guard stated == nil, !tabByName, let kept, case .delimited = plain else { return plain }
            return .delimited(delimiter: kept)
        }
        outputFormat = format(name: output.format, path: outputPath,
                              fallback: stated.map { .delimited(delimiter: $0) } ?? prepared.inputFormat)
        if case .delimited(let written) = outputFormat { kept = written }
        rejectsFormat = rejectsPath.map { format(name: "auto", path: $0, fallback: outputFormat) }
        mergedFormat = mergedPath.map { format(name: "auto", path: $0, fallback: outputFormat) }
    }

    func renderer(for prepared: PreparedPipeline) -> OutputRenderer {
        let output = prepared.pipeline.output
        return OutputRenderer(schema: prepared.schema, output: outputFormat, rejects: rejectsFormat, merged: mergedFormat,
                              guardsFormulas: output.guardsFormulas, outputColumns: prepared.outputColumns,
                              rename: Dictionary(output.rename.map { ($0.column, $0.name) }, uniquingKeysWith: { $1 }),
                              endsRowsInCRLF: output.crlfLineEndings, writesByteOrderMark: output.byteOrderMark,
                              splitColumn: prepared.files.split.flatMap { prepared.schema.index(of: $0.column) })
    }
}
