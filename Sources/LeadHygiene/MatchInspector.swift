import DedupeStage
import EmailCheckStage
import LeadIO
import LeadRecords
import PipelineExecution
import PipelineSpec
import ScrapeStage

/// Explains why a pipeline's `dedupe` stage did or did not match two rows of its input.
///
/// Runs the pipeline as far as its first `dedupe` stage, the stages before it included, on the whole
/// input: the match weights are learned from all of it, so the answer is the run's own. Writes
/// nothing: no output, rejects or report, and no entity IDs to the store. Asks nothing of the network:
/// `email_check` checks syntax and lists without DNS lookups, and `scrape` adds its columns empty, so an
/// answer takes seconds, not the minutes of a run's lookups (rows a run rejects only for their domain's DNS
/// verdict are compared here).
public struct MatchInspector {
    public var pipelinePath: String
    public var overrides: RunOverrides

    public init(pipelinePath: String, overrides: RunOverrides = RunOverrides()) {
        self.pipelinePath = pipelinePath
        self.overrides = overrides
    }

    /// The comparison of the rows read from input lines `a` and `b`.
    ///
    /// - Throws: ``PipelineFileError`` for pipeline-file problems or a pipeline without `dedupe`;
    ///   ``PairInspectionError`` when a line is not a row dedupe compared; input errors as a run would.
    public func inspect(lines a: Int, _ b: Int) throws -> PairInspection {
        let prepared = try PreparedPipeline.prepare(path: pipelinePath, overrides: overrides, registry: Self.offlineRegistry)
        guard let reader = prepared.reader else {
            throw InputOutputError(path: prepared.inputPath, "the input could not be opened")
        }
        guard let index = prepared.stages.firstIndex(where: { $0 is DedupeStage }),
              var dedupe = prepared.stages[index] as? DedupeStage else {
            throw PipelineFileError([Diagnostic(file: pipelinePath, location: prepared.pipeline.stagesLocation ?? .start,
                                                message: "the pipeline has no dedupe stage to explain")])
        }
        dedupe.keepsResolution = true
        dedupe.inspectedLines = [a, b]
        dedupe.entityIDMemory = nil
        var stages = Array(prepared.stages[..<index]) + [dedupe]
        // A stage before dedupe that records runs (decay) only stages its rows, and they are dropped.
        let recorder = prepared.pipeline.storePath.map { RunRecorder(storePath: $0, pipelinePath: pipelinePath) }
        if recorder != nil { RunRecorder.handRecordingToRunner(&stages) }
        var executor = PipelineExecutor(stages: stages, jobs: prepared.jobs, chunkSize: prepared.pipeline.chunkSize)
        defer { recorder?.discardFailed(stages: executor.stages) }
        _ = try executor.run(reader: reader, parser: RecordParser(format: reader.format, columns: reader.columns),
                             width: prepared.schema.count,
                             renderer: OutputRenderer(schema: prepared.schema, output: nil, rejects: nil, merged: nil),
                             writer: DiscardingWriter())
        guard let ran = executor.stages[index] as? DedupeStage else { throw PairInspectionError.noResolutionKept }
        return try ran.inspectLastRun(lines: a, b)
    }

    /// The stages a pipeline may name, with the ones that use the network replaced by offline stand-ins.
    static let offlineRegistry: [any Stage.Type] = StageRegistry.stages.map { type in
        if type == EmailCheckStage.self { return OfflineEmailCheck.self }
        if type == ScrapeStage.self { return UnscrapedColumns.self }
        return type
    }

    /// Where the rendered chunks of an inspection go: nowhere.
    private struct DiscardingWriter: ChunkWriter {
        func write(_ rendered: OutputRenderer.Rendered) throws {}
    }
}

/// `email_check` without DNS: syntax, lists and typo checks as configured, built the way lint builds it
/// (no resolver, no verdict cache), so it rejects what it can tell offline.
struct OfflineEmailCheck: Stage {
    static var descriptor: StageDescriptor { EmailCheckStage.descriptor }
    var checked: EmailCheckStage

    init(options: OptionValues, context: StageContext) throws {
        var offline = context
        offline.isLintOnly = true
        checked = try EmailCheckStage(options: options, context: offline)
    }

    var mode: StageMode { checked.mode }
    mutating func bind(schema: inout Schema, columns: ColumnBindings) throws { try checked.bind(schema: &schema, columns: columns) }
    func process(_ records: inout [Record]) { checked.process(&records) }
    mutating func processAll(_ records: inout [Record]) throws { try checked.processAll(&records) }
}

/// `scrape` without fetching: its columns exist (a later stage or `columns:` may name them) and stay empty.
struct UnscrapedColumns: Stage {
    static var descriptor: StageDescriptor { ScrapeStage.descriptor }
    var scrape: ScrapeStage

    init(options: OptionValues, context: StageContext) throws {
        var offline = context
        offline.isLintOnly = true
        scrape = try ScrapeStage(options: options, context: offline)
    }

    mutating func bind(schema: inout Schema, columns: ColumnBindings) throws { try scrape.bind(schema: &schema, columns: columns) }
}
