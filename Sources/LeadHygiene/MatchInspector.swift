import DedupeStage
import LeadIO
import PipelineExecution
import PipelineSpec

/// Explains why a pipeline's `dedupe` stage did or did not match two rows of its input.
///
/// Runs the pipeline as far as its first `dedupe` stage, the stages before it included, on the whole
/// input: the match weights are learned from all of it, so the answer is the run's own. Writes
/// nothing: no output, rejects or report, and no entity IDs to the store.
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
        let prepared = try PreparedPipeline.prepare(path: pipelinePath, overrides: overrides)
        guard let reader = prepared.reader else {
            throw InputOutputError(path: prepared.inputPath, "the input could not be opened")
        }
        guard let index = prepared.stages.firstIndex(where: { $0 is DedupeStage }),
              var dedupe = prepared.stages[index] as? DedupeStage else {
            throw PipelineFileError([Diagnostic(file: pipelinePath, location: prepared.pipeline.stagesLocation ?? .start,
                                                message: "the pipeline has no dedupe stage to explain")])
        }
        dedupe.keepsResolution = true
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

    /// Where the rendered chunks of an inspection go: nowhere.
    private struct DiscardingWriter: ChunkWriter {
        func write(_ rendered: OutputRenderer.Rendered) throws {}
    }
}
