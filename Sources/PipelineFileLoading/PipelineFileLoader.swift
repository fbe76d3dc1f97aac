import Foundation
import LeadRecords
import PipelineSpec
import Yams

/// Reads a pipeline file into a ``PipelineFile``, reporting every problem with its `line:col`.
///
/// This checks the file on its own (syntax, keys, types, stage names and options). Checks that
/// need the input file, such as whether mapped columns exist, are the linter's.
public struct PipelineFileLoader {
    /// The stages a pipeline may name.
    public let stages: [StageDescriptor]

    public init(stages: [StageDescriptor]) { self.stages = stages }

    /// Loads and decodes a file; throws ``PipelineFileError`` carrying every diagnostic when it has errors.
    public func load(path: String) throws -> PipelineFile {
        try decode(PipelineFileText.read(path: path), file: path)
    }

    /// Decodes pipeline-file text; `file` names it in diagnostics.
    public func decode(_ text: String, file: String) throws -> PipelineFile {
        let (pipeline, diagnostics) = decodeCollecting(text, file: file)
        if let pipeline, !diagnostics.contains(where: { $0.severity == .error }) { return pipeline }
        throw PipelineFileError(diagnostics)
    }

    /// Decodes as far as possible, returning what could be decoded and every diagnostic.
    public func decodeCollecting(_ text: String, file: String) -> (PipelineFile?, [Diagnostic]) {
        var decoder = OptionDecoder(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [Self.diagnostic(for: error, file: file)])
        } catch {
            return (nil, [Diagnostic(file: file, location: .start, message: "cannot parse YAML: \(error)")])
        }
        guard let root, case .mapping(let mapping) = root else {
            decoder.report(at: .start, "a pipeline file is a mapping with at least `input:` and `stages:`")
            return (nil, decoder.diagnostics)
        }

        var stagesNode: Node?
        var stagesLocation: SourceLocation?
        var columnsNode: Node?
        var storeNode: (key: Node, value: Node)?
        var others: [(Node, Node)] = []
        for (key, value) in mapping {
            if key.scalar?.string == "stages" {
                if stagesNode != nil { decoder.report(at: OptionDecoder.location(key), "`stages:` is set twice") }
                stagesNode = value
                stagesLocation = OptionDecoder.location(key)
            } else if key.scalar?.string == "columns" {
                // Decoded apart: an entry is a column name or `{ column:, format: }`.
                if columnsNode != nil { decoder.report(at: OptionDecoder.location(key), "`columns:` is set twice") }
                columnsNode = value
            } else if key.scalar?.string == "store" {
                // Decoded apart: a path, or `{ path:, keep_runs:, keep_days: }`.
                if storeNode != nil { decoder.report(at: OptionDecoder.location(key), "`store:` is set twice") }
                storeNode = (key, value)
            } else if let name = key.scalar?.string, PipelineFile.schema.spec(named: name) == nil {
                decoder.report(at: OptionDecoder.location(key), "unknown key '\(name)' in pipeline file"
                               + NearestName.hint(for: name, among: PipelineFile.schema.names + ["stages"]))
            } else {
                others.append((key, value))
            }
        }
        let top = decoder.decodeObject(.mapping(Node.Mapping(others, .implicit, .any, mapping.mark)),
                                       schema: PipelineFile.schema, context: "pipeline file")
        let stageList = decodeStages(stagesNode, decoder: &decoder)
        if stagesNode == nil {
            decoder.report(at: .start, "the pipeline file has no `stages:` list")
        }

        let input = top.object("input")
        let output = top.object("output")
        let columns = decodeColumns(columnsNode, decoder: &decoder)
        let store = decodeStore(storeNode, decoder: &decoder)
        var failIf: [FailCondition] = []
        for entry in top.entries("fail_if") {
            guard case .string(let text) = entry.value else { continue }
            guard FailCondition.isKnownMetric(entry.key) else {
                decoder.report(at: entry.location, "unknown fail_if metric '\(entry.key)'"
                               + NearestName.hint(for: entry.key, among: FailCondition.metrics.keys.sorted())
                               + "; use one of \(FailCondition.metrics.keys.sorted().joined(separator: ", ")) or reject_reasons.<code>")
                continue
            }
            guard let condition = FailCondition(metric: entry.key, condition: text, location: entry.location) else {
                decoder.report(at: entry.location, "fail_if '\(entry.key)' needs a condition such as \"> 0.05\" or \">= 5%\", found '\(text)'")
                continue
            }
            failIf.append(condition)
        }
        if let delimiter = input.string("delimiter"), delimiter != "auto", Self.delimiterByte(delimiter) == nil {
            decoder.report(at: input.location(of: "delimiter"), "input delimiter must be one ASCII character or \\t, found '\(delimiter)'")
        }
        if let delimiter = output.string("delimiter"), Self.delimiterByte(delimiter) == nil {
            decoder.report(at: output.location(of: "delimiter"), "output delimiter must be one ASCII character or \\t, found '\(delimiter)'")
        }
        let outputColumns = decodeOutputColumns(output, decoder: &decoder)
        var maxMemory: Int?
        if let text = top.string("max_memory") {
            maxMemory = ByteSize.parse(text)
            if maxMemory.map({ $0 < 1 << 20 }) ?? true {
                decoder.report(at: top.location(of: "max_memory"),
                               "max_memory must be a size of at least 1MiB, such as 800MiB or 3GiB; found '\(text)'")
                maxMemory = nil
            }
        }

        let pipeline = PipelineFile(
            path: file,
            name: top.defaultedString("name"),
            input: InputSettings(
                path: input.string("path"), pathLocation: input.isSet("path") ? input.location(of: "path") : nil,
                format: input.defaultedString("format"), delimiter: input.string("delimiter"),
                encoding: input.defaultedString("encoding"), dateOrder: input.defaultedString("date_order"),
                hasHeader: input.bool("header"), skipLines: input.integer("skip_lines"),
                maxRecordBytes: input.defaultedInteger("max_record_bytes"),
                schemaSampleLines: input.integer("schema_sample_lines"), sheet: input.string("sheet")),
            output: OutputSettings(
                path: output.string("path"), format: output.defaultedString("format"),
                delimiter: output.string("delimiter"), rejectsPath: output.string("rejects"),
                reportPath: output.string("report"), htmlReportPath: output.string("html_report"),
                mergedPath: output.string("merged"),
                guardsFormulas: output.bool("formula_guard"),
                columns: outputColumns,
                columnsLocation: output.isSet("columns") ? output.location(of: "columns") : nil,
                byteOrderMark: output.bool("bom"), crlfLineEndings: output.string("line_ending") == "crlf",
                rename: decodeRename(output, decoder: &decoder),
                pathLocations: Dictionary(uniqueKeysWithValues: ["path", "rejects", "report", "html_report", "merged"]
                    .filter { output.isSet($0) }.compactMap { key in output.location(of: key).map { (key, $0) } }),
                splitBy: output.string("split_by"),
                splitByLocation: output.isSet("split_by") ? output.location(of: "split_by") : nil),
            columns: columns,
            autoColumns: top.bool("auto_columns"),
            stages: stageList,
            failIf: failIf,
            storePath: store.path,
            storeLocation: store.location,
            storeKeepRuns: store.keepRuns,
            storeKeepDays: store.keepDays,
            maxMemory: maxMemory,
            jobs: top.integer("jobs"),
            chunkSize: top.defaultedInteger("chunk_size"),
            stagesLocation: stagesLocation,
            inputLocation: top.isSet("input") ? top.location(of: "input") : nil)
        return (pipeline, decoder.diagnostics)
    }

    /// `output.columns` as written; `nil` when unset. Whether each name exists needs the input's header
    /// and the stages' columns, so ``PreparedPipeline`` checks that; an empty list or a name given twice
    /// is wrong whatever the input.
    private func decodeOutputColumns(_ output: OptionValues, decoder: inout OptionDecoder) -> [OutputColumn]? {
        guard output.isSet("columns") else { return nil }
        let names = output.strings("columns")
        let locations = output.itemLocations(of: "columns")
        guard !names.isEmpty else {
            decoder.report(at: output.location(of: "columns"),
                           "output columns is empty; list the columns the output should have, or remove `columns:` to keep them all")
            return []
        }
        var columns: [OutputColumn] = []
        var seen: [String: SourceLocation] = [:]
        for (i, name) in names.enumerated() {
            let location = i < locations.count ? locations[i] : output.location(of: "columns")
            if let first = seen[name] {
                decoder.report(at: location, "output column '\(name)' is listed twice (first at \(first))")
                continue
            }
            seen[name] = location ?? .start
            columns.append(OutputColumn(name: name, location: location))
        }
        return columns
    }

    /// `columns:`: canonical field → input column, or → `{ column: NAME, format: PATTERN }` for a date field.
    private func decodeColumns(_ node: Node?, decoder: inout OptionDecoder) -> [ColumnMapping] {
        guard let node, !OptionDecoder.isNull(node) else { return [] }
        guard case .mapping(let mapping) = node else {
            decoder.report(at: OptionDecoder.location(node), "`columns:` maps fields to input columns, found \(OptionDecoder.describe(node))")
            return []
        }
        var columns: [ColumnMapping] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else { continue }
            let location = OptionDecoder.location(keyNode)
            guard let field = CanonicalField.named(key) else {
                decoder.report(at: location, "unknown field '\(key)' under columns"
                               + NearestName.hint(for: key, among: CanonicalField.all.map(\.name))
                               + " (fields: \(CanonicalField.all.map(\.name).joined(separator: ", ")))")
                continue
            }
            if columns.contains(where: { $0.field == field }) {
                decoder.report(at: location, "key '\(key)' is set twice in columns")
                continue
            }
            if case .mapping = valueNode {
                let entry = decoder.decodeObject(valueNode, schema: PipelineFile.columnSchema, context: "columns '\(key)'")
                guard let column = entry.string("column") else { continue }
                var pattern: DatePattern?
                if let format = entry.string("format") {
                    if !CanonicalField.dates.contains(field) {
                        decoder.report(at: entry.location(of: "format"), "format is for date fields (\(CanonicalField.dates.map(\.name).joined(separator: ", "))), not \(key)")
                    } else if let parsed = DatePattern(format) {
                        pattern = parsed
                    } else {
                        decoder.report(at: entry.location(of: "format"), "date format '\(format)' needs a year, month and day, written with "
                                       + "yyyy or yy, MM or M, dd or d (and HH, mm, ss, a for the time), e.g. \"dd.MM.yyyy HH:mm\"")
                    }
                }
                columns.append(ColumnMapping(field: field, column: column, location: location, dateFormat: pattern))
            } else if case .string(let column)? = decoder.decodeValue(valueNode, type: .string, context: "'\(key)' in option 'columns' of pipeline file") {
                columns.append(ColumnMapping(field: field, column: column, location: location))
            }
        }
        return columns
    }

    /// `store:` as a path, or as `{ path:, keep_runs:, keep_days: }`.
    private func decodeStore(_ entry: (key: Node, value: Node)?, decoder: inout OptionDecoder)
        -> (path: String?, location: SourceLocation?, keepRuns: Int, keepDays: Int?) {
        let keepRunsDefault = PipelineFile.defaultKeepRuns
        guard let entry, !OptionDecoder.isNull(entry.value) else { return (nil, nil, keepRunsDefault, nil) }
        let location = OptionDecoder.location(entry.key)
        if case .mapping = entry.value {
            let values = decoder.decodeObject(entry.value, schema: PipelineFile.storeSchema, context: "store")
            let keepDays = values.integer("keep_days")
            // keep_days alone: the age decides, and the last run, which decay compares with, always stays.
            let keepRuns = keepDays != nil && !values.isSet("keep_runs") ? 1 : values.defaultedInteger("keep_runs")
            return (values.string("path"), values.location(of: "path") ?? location, keepRuns, keepDays)
        }
        guard case .string(let path)? = decoder.decodeValue(entry.value, type: .path, context: "option 'store' of pipeline file") else {
            return (nil, nil, keepRunsDefault, nil)
        }
        return (path, location, keepRunsDefault, nil)
    }

    /// `output.rename` as written: whether each column exists is checked when the pipeline is prepared.
    private func decodeRename(_ output: OptionValues, decoder: inout OptionDecoder) -> [OutputRename] {
        var renames: [OutputRename] = []
        for entry in output.entries("rename") {
            guard case .string(let name) = entry.value else { continue }
            if name.isEmpty {
                decoder.report(at: entry.location, "output rename of '\(entry.key)' is empty; give the header name to write")
                continue
            }
            renames.append(OutputRename(column: entry.key, name: name, location: entry.location))
        }
        return renames
    }

    private func decodeStages(_ node: Node?, decoder: inout OptionDecoder) -> [StageInvocation] {
        guard let node else { return [] }
        guard case .sequence(let sequence) = node else {
            decoder.report(at: OptionDecoder.location(node),
                           "`stages:` is a list, one `- name: {options}` per stage; found \(OptionDecoder.describe(node))")
            return []
        }
        var result: [StageInvocation] = []
        for item in sequence {
            let name: String
            let nameLocation = OptionDecoder.location(item)
            let optionsNode: Node?
            switch item {
            case .scalar(let scalar):
                name = scalar.string
                optionsNode = nil
            case .mapping(let mapping) where mapping.count == 1:
                guard let key = mapping.first?.key.scalar?.string else { continue }
                name = key
                optionsNode = mapping.first?.value
            default:
                decoder.report(at: nameLocation, "each stage is written `- name: {options}` (one key), found \(OptionDecoder.describe(item))")
                continue
            }
            guard let descriptor = stages.first(where: { $0.name == name }) else {
                decoder.report(at: nameLocation, "unknown stage '\(name)'" + NearestName.hint(for: name, among: stages.map(\.name))
                               + " (stages: \(stages.map(\.name).joined(separator: ", ")))")
                continue
            }
            let options = decoder.decodeObject(optionsNode, schema: descriptor.options, context: "stage '\(name)'")
            result.append(StageInvocation(descriptor: descriptor, options: options, location: nameLocation))
        }
        return result
    }

    /// The byte a delimiter setting stands for: one ASCII character, or `\t`.
    public static func delimiterByte(_ text: String) -> UInt8? {
        if text == "\\t" || text == "\t" || text.lowercased() == "tab" { return UInt8(ascii: "\t") }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80,
              byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else { return nil }
        return byte
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Diagnostic(file: file, location: SourceLocation(line: mark.line, column: mark.column),
                              message: "YAML syntax: \(problem)")
        case .reader(let problem, _, _, _):
            return Diagnostic(file: file, location: .start, message: "YAML: \(problem)")
        default:
            return Diagnostic(file: file, location: .start, message: "YAML: \(error)")
        }
    }
}
