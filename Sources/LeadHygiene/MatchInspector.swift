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
        // The question reaches dedupe as a service of this run, and its answer comes back through it.
        let request = PairInspectionRequest(lines: [a, b])
        var services = StageServices()
        services.provide(PairInspectionRequest.self) { request }
        // A question about two rows leaves the store as it found it.
        var overrides = overrides
        overrides.leavesStoreUnchanged = true
        let prepared = try PreparedPipeline.prepare(path: pipelinePath, overrides: overrides, registry: Self.offlineRegistry,
                                                    services: services)
        // A stage before dedupe that records runs (decay) only stages its rows, and they are dropped.
        defer {
            RunRecorder.discard(prepared.staging)
            RunStoreCaches.close(prepared.services)
        }
        guard let reader = prepared.reader else {
            throw InputOutputError(path: prepared.inputPath, "the input could not be opened")
        }
        guard let index = prepared.pipeline.stages.firstIndex(where: { $0.name == DedupeStage.descriptor.name }) else {
            throw PipelineFileError([Diagnostic(file: pipelinePath, location: prepared.pipeline.stagesLocation ?? .start,
                                                message: "the pipeline has no dedupe stage to explain")])
        }
        let executor = PipelineExecutor(stages: Array(prepared.boundStages[...index]),
                                        names: prepared.pipeline.stages[...index].map(\.name),
                                        jobs: prepared.jobs, chunkSize: prepared.pipeline.chunkSize)
        _ = try executor.run(reader: reader, parser: RecordParser(format: reader.format, columns: reader.columns),
                             width: prepared.schema.count,
                             renderer: OutputRenderer(schema: prepared.schema, output: nil, rejects: nil, merged: nil),
                             writer: DiscardingWriter())
        guard let run = request.answer else { throw PairInspectionError.noResolutionKept }
        return try run.inspect(lines: a, b)
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

    func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        try checked.bound(schema: &schema, columns: columns)
    }
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

    func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        _ = scrape.bind(schema: &schema, columns: columns)
        return .streaming(AddsNothing())
    }

    /// Leaves every row as it is: the columns exist and stay empty.
    struct AddsNothing: StreamingStage {
        func emptySummary() -> NoFigures { NoFigures() }
        func process(_ records: inout [Record], counting summary: inout NoFigures) {}
        func report(_ summary: NoFigures) -> [(String, ReportValue)] { [] }
    }
}
