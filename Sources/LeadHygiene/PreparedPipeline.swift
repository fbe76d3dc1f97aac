import Foundation
import LeadFacts
import LeadIO
import LeadRecords
import PipelineFileLoading
import PipelineSpec
import RunStore
import SpreadsheetInput

/// Flags that override what the pipeline file says (`leadhygiene run --input … --output …`).
public struct RunOverrides: Sendable {
    public var input: String?
    public var output: String?
    public var rejects: String?
    public var report: String?
    /// The merged rows' file and the HTML report, in place of the pipeline's (`envelope encode` checks a Spark run's
    /// files with them; `run` has no flag for them).
    public var merged: String?
    public var htmlReport: String?
    public var jobs: Int?
    /// The run's reference time; fixed in tests so ages and decay are reproducible.
    public var now: Date?
    /// `--limit N`: only the first N rows are read; such a run is not recorded in the store.
    public var limit: Int?
    /// `--dry-run`: read and run every stage, write nothing (no output, rejects, report or store).
    public var dryRun = false
    /// `--store` (or `LEADHYGIENE_STORE`): the run store's path, relative to the working directory,
    /// in place of the pipeline's `store:` path (its `keep_runs` still applies).
    public var store: String?
    /// `--stages FIRST-LAST` with `--envelope`: only these stages (1-based, in pipeline order) run; every stage
    /// is still bound, so the rows keep the columns of the whole pipeline from one segment to the next.
    public var stageRange: ClosedRange<Int>?
    /// `--envelope`: one partition of a distributed run. The input is an encoded envelope
    /// (``EnvelopeReader``), every row goes to standard output as an envelope line, and nothing else is
    /// written or recorded: `output`, `rejects` only name the files whose format the lines are rendered in.
    public var envelope = false
    /// `--envelope --carry`: the rows this segment sets aside, and those an earlier one carried here, also go out as
    /// `carried` lines for a later segment whose stage sees every row (decay with a store), as on one machine.
    public var carriesSetAside = false
    /// Whether the run store is left closed (as for `--envelope`, or `leadhygiene envelope encode`, which only reads).
    public var leavesStoreClosed = false
    /// Whether the run store is only read (explain-match): no cache entry is kept and a missing store is not created.
    /// A dry run leaves it unchanged too.
    public var leavesStoreUnchanged = false
    /// `--envelope --staged FILE`: the segment opens the store to read it and hands what its stages stage to the runner's
    /// ``PipelineRunner/exportStaging`` (for `leadhygiene store import`) instead of leaving the store closed.
    public var exportsStaging = false
    /// `--staged FILE`: where the segment's staged rows go; the cache entries its stages find go beside it (``CacheOutbox``).
    public var stagedPath: String?
    /// `--wait-for-store SECONDS`: how long a recorded run waits for another process to let its store go (0: it fails
    /// at once).
    public var storeWaitSeconds: Double = 0
    /// Whether this run opens the store read-only (a segment that stages for `store import` never writes it).
    var readsStoreOnly: Bool { dryRun || leavesStoreUnchanged || exportsStaging }
    /// Whether a run with these overrides is recorded in its store (if its pipeline has one): not a dry run, a
    /// partition of a distributed run, or a run of the first `--limit` rows.
    var recordsRun: Bool { !readsStoreOnly && !envelope && !leavesStoreClosed && limit == nil }

    public init(input: String? = nil, output: String? = nil, rejects: String? = nil, report: String? = nil,
                jobs: Int? = nil, now: Date? = nil) {
        self.input = input
        self.output = output
        self.rejects = rejects
        self.report = report
        self.jobs = jobs
        self.now = now
    }
}

/// A pipeline file checked against its input: stages built and bound, columns resolved.
///
/// Lint and run share this step, so whatever lint accepts, run can start.
public struct PreparedPipeline {
    public var pipeline: PipelineFile
    public var inputPath: String
    public var inputFormat: RecordFormat
    public var reader: (any RecordSource)?
    public var schema: Schema
    public var binding: ColumnBinder.Binding?
    /// The stages built from their options, in pipeline order.
    public var stages: [any Stage]
    /// The stages bound to the schema, ready to run; empty when a stage could not be bound (lint says why).
    package var boundStages: [BoundStage] = []
    /// Where decay leaves the rows it staged for the store, for the runner to commit or drop; `nil` without a store.
    public var staging: RunStagingArea?
    /// The schema columns the clean output has, in order (`output.columns`); `nil` for all of them.
    /// Only known once the input's header is read.
    public var outputColumns: [ColumnIndex]?
    public var jobs: Int
    public var now: Date
    public var diagnostics: [Diagnostic]
    /// The files the run reads and writes, checked not to collide.
    public var files: RunFiles
    /// The services the run's stages were given (the store's caches), for the recorder.
    public var services = StageServices()
    /// Whether the pipeline file names a run store (even when this run leaves it closed).
    package var declaresStore = false
    /// Notes for the run's summary and report about how the input is read (see ``inputNotes(reader:totals:)``).
    package var extraNotes: [String] = []
    /// A run that will be recorded holds its store from before any stage opens it (``StoreWriterLock``); the
    /// runner lets it go once the store's connections are closed.
    package var storeLock: StoreWriterLock?

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Loads the pipeline file and checks it against its input.
    /// - Parameter lintOnly: build stages without opening stores or the network, and don't keep the input open.
    /// - Throws: ``PipelineFileError`` with every problem found, when there is at least one error.
    /// - Parameter registry: the stages a pipeline may name (tests add their own).
    /// - Parameter keyPassProgress: for a JSONL input read once for its keys before its records, called with
    ///   the input's path and the bytes read so far.
    /// - Parameter stageProgress: where the stages report their own phases (the progress line reads it).
    public static func prepare(path: String, overrides: RunOverrides = RunOverrides(), lintOnly: Bool = false,
                               registry: [any Stage.Type] = StageRegistry.stages, services extraServices: StageServices = StageServices(),
                               keyPassProgress: ((_ inputPath: String, _ bytesRead: Int) -> Void)? = nil,
                               stageProgress: StageProgress = .silent) throws -> PreparedPipeline {
        let loader = PipelineFileLoader(stages: registry.map { $0.descriptor })
        let text = try PipelineFileText.read(path: path)
        let (decoded, fileDiagnostics) = loader.decodeCollecting(text, file: path)
        guard var pipeline = decoded else { throw PipelineFileError(fileDiagnostics) }
        if let store = overrides.store {
            pipeline.storePath = store
            pipeline.storeLocation = nil
        }
        // A partition neither opens the store nor records a run: the driver's run has the one writer.
        let declaresStore = pipeline.storePath != nil
        if (overrides.envelope && !overrides.exportsStaging) || overrides.leavesStoreClosed {
            pipeline.storePath = nil
            pipeline.storeLocation = nil
        }
        var diagnostics = fileDiagnostics
        let jobs = overrides.jobs ?? pipeline.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let now = overrides.now ?? Date()
        let inputPath = overrides.input ?? pipeline.input.path
        let files = RunFiles(pipeline: pipeline, pipelinePath: path, inputPath: inputPath, overrides: overrides)

        // A run killed while publishing left a journal: finish it before anything reads or compares these paths.
        // A partition writes none of those paths (they only name formats), so it leaves them alone.
        for completed in overrides.envelope ? [] : PublishedSet.rollForward(destinations: files.publishedPaths) {
            FileHandle.standardError.write(Data("note: finished publishing \(completed), left half-published by an interrupted run\n".utf8))
        }
        // Two names for one file are refused before the input is opened, so nothing is read or written.
        let collisions = files.collisions(pipelinePath: path)
            + OutputSplit.diagnostics(for: pipeline, outputPath: files.output, file: path)
        if !collisions.isEmpty { throw PipelineFileError(diagnostics + collisions) }
        // Problems reading the input are the input's, not the pipeline file's: lint lists them, but a run
        // fails with exit 1 and a report (``InputFailure``) instead of exit 2.
        var inputProblems: [Diagnostic] = []

        // The input.
        let delimiter = pipeline.input.delimiter.flatMap(PipelineFileLoader.delimiterByte)
        // A folder of parts is read as the file its first part is (`part-00000.jsonl` makes a JSONL input).
        let isFolder = inputPath.map(Self.isFolder) ?? false
        let formatPath = isFolder ? inputPath.flatMap { try? PartsRecordReader.partFiles(in: $0).parts.first } ?? inputPath : inputPath
        var format = RecordFormat.resolve(name: pipeline.input.format, path: formatPath, delimiter: delimiter)
        let isTabSeparated = pipeline.input.format == "tsv"
            || (pipeline.input.format == "auto" && [".tsv", ".tab"].contains { (formatPath ?? "").lowercased().hasSuffix($0) })
        let sniffsDelimiter = delimiter == nil && !isTabSeparated
        var reader: (any RecordSource)?
        var unnamedColumns: [Int] = []
        var header: [String]?
        var sampleRows: [[String]] = []
        if let inputPath {
            if inputPath != "-" || !lintOnly {
                if inputPath != "-" && !FileManager.default.fileExists(atPath: inputPath) {
                    inputProblems.append(Diagnostic(file: path, location: overrides.input == nil ? (pipeline.input.pathLocation ?? .start) : .start,
                                                  message: "input file '\(inputPath)' does not exist"))
                } else {
                    do {
                        let opened: any RecordSource = if overrides.envelope {
                            try EnvelopeReader(path: inputPath, chunkSize: pipeline.chunkSize)
                        } else if isFolder {
                            try PartsRecordReader(folder: inputPath, reading: {
                                var reading = PartsRecordReader.Reading(format: format)
                                reading.hasHeader = pipeline.input.hasHeader
                                reading.maxRecordBytes = pipeline.input.maxRecordBytes
                                reading.chunkSize = pipeline.chunkSize
                                reading.schemaSample = pipeline.input.schemaSampleLines.map(JSONLSchemaSample.firstLines) ?? .wholeInput
                                reading.encoding = InputEncoding(rawValue: pipeline.input.encoding) ?? .auto
                                reading.sniffsDelimiter = sniffsDelimiter
                                reading.keyPassProgress = keyPassProgress.map { report in { report(inputPath, $0) } }
                                reading.linesAboveHeader = pipeline.input.skipLines.map(LinesAboveHeader.skipped) ?? .titlesDetected
                                return reading
                            }(), hashesInput: declaresStore && !lintOnly)
                        } else if WorkbookRecordReader.reads(format: pipeline.input.format, path: inputPath) {
                            try WorkbookRecordReader(path: inputPath, sheet: pipeline.input.sheet, hasHeader: pipeline.input.hasHeader,
                                                     chunkSize: pipeline.chunkSize,
                                                     rowsAboveHeader: pipeline.input.skipLines.map(LinesAboveHeader.skipped) ?? .titlesDetected)
                        } else {
                            try RecordReader(path: inputPath, format: format, hasHeader: pipeline.input.hasHeader,
                                             maxRecordBytes: pipeline.input.maxRecordBytes,
                                             chunkSize: pipeline.chunkSize,
                                             schemaSample: pipeline.input.schemaSampleLines.map(JSONLSchemaSample.firstLines) ?? .wholeInput,
                                             encoding: InputEncoding(rawValue: pipeline.input.encoding) ?? .auto,
                                             sniffsDelimiter: sniffsDelimiter,
                                             keyPassProgress: keyPassProgress.map { report in { report(inputPath, $0) } },
                                             hashesInput: declaresStore && !lintOnly,
                                             linesAboveHeader: pipeline.input.skipLines.map(LinesAboveHeader.skipped) ?? .titlesDetected)
                        }
                        header = opened.columns
                        // An envelope's rows are JSON objects, but the input it encodes decides the output's format.
                        format = (opened as? EnvelopeReader)?.originalFormat ?? opened.format
                        sampleRows = opened.peekRows(limit: DateColumns.sampleRows)
                        diagnostics += Self.checkHeaderSplit(opened.columns, format: opened.format, statedDelimiter: delimiter != nil,
                                                             file: path, location: pipeline.input.pathLocation ?? pipeline.inputLocation ?? .start)
                        unnamedColumns = (opened as? RecordReader)?.unnamedColumns ?? (opened as? PartsRecordReader)?.unnamedColumns ?? []
                        if !lintOnly { reader = opened }
                    } catch {
                        inputProblems.append(Diagnostic(file: path, location: pipeline.input.pathLocation ?? .start,
                                                        message: "cannot read input: \(error)"))
                    }
                }
            }
        } else {
            diagnostics.append(Diagnostic(file: path, location: pipeline.inputLocation ?? .start,
                                          message: "no input: set `input: { path: FILE }` or pass --input FILE (- for standard input)"))
        }

        var schema = Schema(inputColumns: header ?? [])
        var binding: ColumnBinder.Binding?
        if let header {
            let bound = ColumnBinder.bind(pipeline: pipeline, header: header, schema: schema)
            diagnostics += bound.diagnostics
            if let note = bound.unmappedNote {
                diagnostics.append(Diagnostic(file: path, location: pipeline.inputLocation ?? .start, severity: .warning, message: note))
            }
            binding = bound
        }
        var inputNotes: [String] = []
        if var bound = binding {
            let dates = DateColumns.decide(binding: bound, pipeline: pipeline, schema: schema, sample: sampleRows)
            bound.columns.dateFormats = dates.formats
            inputNotes += dates.notes
            var headerNotes = HeaderNotes.repeatedNames(header: header ?? [], binding: bound, sample: sampleRows)
            if !unnamedColumns.isEmpty {
                headerNotes.append(HeaderNotes.unnamedNote(unnamedColumns, header: header ?? [], sample: sampleRows))
            }
            inputNotes += headerNotes
            // lint shows them as warnings; a run lists them with its notes.
            diagnostics += headerNotes.map { Diagnostic(file: path, location: pipeline.inputLocation ?? .start, severity: .warning, message: $0) }
            binding = bound
        }

        // The stages, built from their options and bound to the schema in pipeline order.
        // normalize's extra legal forms make the company key of every stage, not only normalize's column.
        let extraLegalForms = pipeline.stages.first(where: { $0.name == "normalize" })?.options.strings("legal_suffixes") ?? []
        let storeLock = try pipeline.storePath.flatMap { path in
            !lintOnly && overrides.recordsRun
                ? try StoreWriterLock(path: path, waitSeconds: overrides.storeWaitSeconds, waiting: StoreWriterLock.noteWaiting(for: path, seconds: overrides.storeWaitSeconds))
                : nil
        }
        let staging = pipeline.storePath != nil && !lintOnly ? RunStagingArea() : nil
        // A Spark segment runs only its `--stages`; explain-match runs none of them.
        let runsDecay = !overrides.leavesStoreUnchanged && pipeline.stages.indices.contains { index in
            pipeline.stages[index].name == "decay" && overrides.stageRange.map { $0.contains(index + 1) } ?? true
        }
        let outbox = try overrides.stagedPath.flatMap { staged in
            overrides.exportsStaging && !lintOnly ? try CacheOutbox(path: CacheOutbox.path(besideStaged: staged)) : nil
        }
        let services = pipeline.storePath.map {
            RunStoreCaches.services(storePath: $0, staging: staging, readOnly: overrides.readsStoreOnly, outbox: outbox,
                                    runsDecay: runsDecay)
        } ?? StageServices()
        let context = StageContext(pipelineFile: path, now: now, jobs: jobs, storePath: pipeline.storePath,
                                   isLintOnly: lintOnly, services: services.adding(extraServices),
                                   companyKey: extraLegalForms.isEmpty ? .standard : CompanyKey(extraLegalForms: extraLegalForms),
                                   progress: stageProgress)
        var stages: [any Stage] = []
        var boundStages: [BoundStage] = []
        var everyStageBound = header != nil && binding != nil
        for invocation in pipeline.stages {
            guard let type = registry.first(where: { $0.descriptor.name == invocation.name }) else { continue }
            if let binding {
                for field in invocation.descriptor.requiredFields where binding.columns[field] == nil {
                    diagnostics.append(Diagnostic(
                        file: path, location: invocation.location ?? .start,
                        message: "stage '\(invocation.name)' needs the \(field.name) field, but no input column is mapped to it; "
                            + "add `columns: { \(field.name): \"Your Column\" }`"))
                }
            }
            do {
                let stage = try type.init(options: invocation.options, context: context)
                stages.append(stage)
                inputNotes += (stage as? any ReadsReferenceFiles)?.referenceNotes ?? []
                // A stage missing a required field was named above; binding it would only say so again.
                if header != nil, let binding {
                    if invocation.descriptor.requiredFields.contains(where: { binding.columns[$0] == nil }) {
                        everyStageBound = false
                    } else {
                        boundStages.append(try stage.bound(schema: &schema, columns: binding.columns))
                    }
                }
            } catch let problem as PipelineFileError {
                // A file a stage reads as configuration (compliance's contact policy) points at its own line:col.
                everyStageBound = false
                diagnostics += problem.diagnostics.map { diagnostic in
                    var placed = diagnostic
                    placed.message = "stage '\(invocation.name)': " + diagnostic.message
                    return placed
                }
            } catch let problem as OptionProblem {
                everyStageBound = false
                let location = problem.location ?? problem.option.flatMap { invocation.options.location(of: $0) }
                    ?? invocation.location ?? .start
                diagnostics.append(Diagnostic(file: path, location: location,
                                              message: "stage '\(invocation.name)': \(problem.message)"))
            } catch {
                everyStageBound = false
                diagnostics.append(Diagnostic(file: path, location: invocation.location ?? .start,
                                              message: "stage '\(invocation.name)': \(error)"))
            }
        }

        if let envelope = reader as? EnvelopeReader, let rowColumns = envelope.rowColumns, everyStageBound, rowColumns != schema.columns {
            inputProblems.append(Diagnostic(file: path, location: .start,
                                            message: "the envelope's rows have other columns than this pipeline's stages make; "
                                                + "was it written by another pipeline?"))
        }
        if let range = overrides.stageRange, range.lowerBound < 1 || range.upperBound > pipeline.stages.count {
            diagnostics.append(Diagnostic(file: path, location: .start,
                                          message: "--stages \(range.lowerBound)-\(range.upperBound): the pipeline has \(pipeline.stages.count) stages"))
        }
        // Output columns may name what stages add, so they are resolved only now; a stage that could not
        // be built added nothing, and blaming the columns it would have added would only mislead.
        var outputColumns: [ColumnIndex]?
        if let chosen = pipeline.output.columns, everyStageBound {
            let resolved = OutputColumnResolver.resolve(chosen, in: schema, file: path)
            diagnostics += resolved.diagnostics
            outputColumns = resolved.columns
        }
        diagnostics += StageColumnOrder.check(stages: pipeline.stages, inputColumns: header, file: path)
        diagnostics += ErasureOrder.check(pipeline, file: path)
        if everyStageBound, header != nil {
            diagnostics += Self.checkRename(pipeline.output.rename, in: schema, chosen: outputColumns, file: path)
        }
        if lintOnly { diagnostics += inputProblems }
        if diagnostics.contains(where: { $0.severity == .error }) { throw PipelineFileError(diagnostics) }
        if let problem = inputProblems.first {
            throw InputFailure(pipeline: pipeline, files: files, inputPath: inputPath ?? "-", message: problem.description)
        }
        var prepared = PreparedPipeline(pipeline: pipeline, inputPath: inputPath ?? "-", inputFormat: format, reader: reader,
                                        schema: schema, binding: binding, stages: stages, outputColumns: outputColumns,
                                        jobs: jobs, now: now, diagnostics: diagnostics, files: files)
        prepared.extraNotes = inputNotes
        prepared.storeLock = storeLock
        prepared.declaresStore = declaresStore
        prepared.services = context.services
        prepared.boundStages = everyStageBound ? boundStages : []
        prepared.staging = staging
        return prepared
    }

    /// `output.rename` may only name columns the clean output has.
    static func checkRename(_ renames: [OutputRename], in schema: Schema, chosen: [ColumnIndex]?, file: String) -> [Diagnostic] {
        let written = chosen.map { $0.map { schema.columns[$0.position] } } ?? schema.columns
        var diagnostics: [Diagnostic] = []
        var names: [String: String] = [:]
        for rename in renames {
            if !written.contains(rename.column) {
                diagnostics.append(Diagnostic(file: file, location: rename.location ?? .start,
                                              message: "output rename names column '\(rename.column)', which the clean output does not have"
                                                  + NearestName.hint(for: rename.column, among: written)))
            }
            if let other = names[rename.name] {
                diagnostics.append(Diagnostic(file: file, location: rename.location ?? .start,
                                              message: "output rename gives '\(rename.column)' the name '\(rename.name)', which '\(other)' already has"))
            }
            names[rename.name] = rename.column
        }
        return diagnostics
    }

    /// A header read as one column that holds another delimiter (`Email;Name;Phone` read with `,`): every
    /// row would then be one value, or rejected for its field count. An error when the delimiter was
    /// stated (it is wrong), a warning when it was detected (the rows disagreed with the header).
    static func checkHeaderSplit(_ header: [String], format: RecordFormat, statedDelimiter: Bool,
                                 file: String, location: SourceLocation) -> [Diagnostic] {
        guard header.count == 1, case .delimited(let used) = format else { return [] }
        // Each delimiter as a byte, and as it is written in a YAML double-quoted string.
        let others: [(byte: UInt8, written: String)] = [(UInt8(ascii: ","), ","), (UInt8(ascii: ";"), ";"),
                                                        (UInt8(ascii: "\t"), "\\t"), (UInt8(ascii: "|"), "|")]
        guard let other = others.first(where: { $0.byte != used && header[0].utf8.contains($0.byte) }) else { return [] }
        let preview = header[0].count > 60 ? String(header[0].prefix(60)) + "…" : header[0]
        let usedWritten = others.first { $0.byte == used }?.written ?? String(Character(Unicode.Scalar(used)))
        return [Diagnostic(file: file, location: location, severity: statedDelimiter ? .error : .warning,
                           message: "the input's header is one column ('\(preview)') when split on '\(usedWritten)', but it holds '\(other.written)'; "
                               + "set `input: { delimiter: \"\(other.written)\" }`"
                               + (statedDelimiter ? " (or remove `delimiter:` to have it detected)" : ""))]
    }

    /// Whether `path` is a folder (of part files, read as one input).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return path != "-" && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private init(pipeline: PipelineFile, inputPath: String, inputFormat: RecordFormat, reader: (any RecordSource)?,
                 schema: Schema, binding: ColumnBinder.Binding?, stages: [any Stage], outputColumns: [ColumnIndex]?,
                 jobs: Int, now: Date, diagnostics: [Diagnostic], files: RunFiles) {
        self.files = files
        self.pipeline = pipeline
        self.inputPath = inputPath
        self.inputFormat = inputFormat
        self.reader = reader
        self.schema = schema
        self.binding = binding
        self.stages = stages
        self.outputColumns = outputColumns
        self.jobs = jobs
        self.now = now
        self.diagnostics = diagnostics
    }
}

/// The input could not be opened or its header read (missing, empty, unreadable): the run fails with
/// exit 1 and still writes its report, so monitoring that reads the report sees why.
package struct InputFailure: Error, CustomStringConvertible {
    public var pipeline: PipelineFile
    public var files: RunFiles
    public var inputPath: String
    public var message: String
    public var description: String { message }
}
