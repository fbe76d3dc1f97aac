import Foundation
import LeadIO
import LeadRecords
import PipelineExecution
import PipelineSpec

/// Runs a pipeline file end to end: read, stages, write, report.
public struct PipelineRunner {
    /// The result of a run.
    public struct Outcome: Sendable {
        public var report: RunReport
        /// 0 success; 1 run failed (I/O, `fail_if`, accounting).
        public var exitCode: Int32
    }

    public var pipelinePath: String
    public var overrides: RunOverrides
    /// Whether to keep a progress line on standard error while reading.
    public var showProgress: Bool

    public init(pipelinePath: String, overrides: RunOverrides = RunOverrides(), showProgress: Bool = false) {
        self.pipelinePath = pipelinePath
        self.overrides = overrides
        self.showProgress = showProgress
    }

    /// Runs the pipeline.
    /// - Throws: ``PipelineFileError`` for pipeline-file problems (exit 2); ``InputOutputError`` and
    ///   stage errors when the run cannot go on (exit 1).
    public func run() throws -> Outcome {
        let started = Date()
        let clock = ContinuousClock.now
        var keyPassLine: ProgressLine?
        let prepared = try PreparedPipeline.prepare(path: pipelinePath, overrides: overrides,
                                                    keyPassProgress: showProgress ? { inputPath, bytesRead in
            if keyPassLine == nil { keyPassLine = ProgressLine(inputPath: inputPath) }
            keyPassLine?.updateKeyPass(bytesRead: bytesRead)
        } : nil)
        if keyPassLine != nil { ProgressLine.clear() }
        let pipeline = prepared.pipeline
        guard let reader = prepared.reader else {
            throw InputOutputError(path: prepared.inputPath, "the input could not be opened")
        }

        let outputPath = overrides.output ?? pipeline.output.path ?? "-"
        let rejectsPath = overrides.rejects ?? pipeline.output.rejectsPath ?? Self.defaultRejectsPath(for: outputPath)
        let reportPath = overrides.report ?? pipeline.output.reportPath
        let mergedPath = pipeline.output.mergedPath
        let layout = OutputLayout(output: pipeline.output, outputPath: outputPath, rejectsPath: rejectsPath,
                                  mergedPath: mergedPath, prepared: prepared)
        let renderer = layout.renderer(for: prepared)
        let files = try OutputFiles(output: outputPath, rejects: rejectsPath, merged: mergedPath, renderer: renderer)
        var stages = prepared.stages
        let recorder = pipeline.storePath.map { RunRecorder(storePath: $0, pipelinePath: pipelinePath) }
        if recorder != nil { RunRecorder.handRecordingToRunner(&stages) }
        var executor = PipelineExecutor(stages: stages, jobs: prepared.jobs, chunkSize: pipeline.chunkSize)
        if showProgress { executor.progress = ProgressLine(inputPath: prepared.inputPath).update }
        let totals: RunTotals
        do {
            totals = try executor.run(reader: reader, parser: prepared.parser(for: reader),
                                      width: prepared.schema.count, renderer: renderer, writer: files)
            if showProgress { ProgressLine.clear() }
        } catch {
            if showProgress { ProgressLine.clear() }
            files.discardAll()
            recorder?.discardFailed(stages: executor.stages)
            throw error
        }

        let failConditions = pipeline.failIf.map { condition in
            let value = RunReport.metric(condition.metric, in: totals)
            return (condition: condition, value: value, crossed: condition.holds(for: value))
        }
        var failure: String?
        if !totals.accountingHolds {
            failure = "accounting identity broken: rows_in \(totals.rowsIn) ≠ rows_out \(totals.rowsOut) + rows_rejected \(totals.rowsRejected) + rows_merged \(totals.rowsMerged); no output was published"
            files.discardAll()
        } else if let crossed = failConditions.first(where: \.crossed) {
            // A crossed gate must not publish the clean list; rejects and the report are kept for diagnosis.
            failure = "fail_if crossed: \(crossed.condition.metric) = \(Self.format(crossed.value)) \(crossed.condition.comparison.rawValue) \(Self.format(crossed.condition.threshold)); the output was not published"
            files.output.discard()
            files.merged?.discard()
            try files.rejects?.commit()
        } else {
            try files.output.commit()
            try files.rejects?.commit()
            try files.merged?.commit()
        }
        if let recorder {
            if failure == nil {
                do {
                    try recorder.recordSucceeded(stages: executor.stages, totals: totals, inputPath: prepared.inputPath,
                                                 referenceTime: prepared.now, startedAt: started)
                } catch {
                    failure = "the output was published but the run could not be recorded in the store: \(error)"
                }
            } else {
                recorder.discardFailed(stages: executor.stages)
            }
        }

        let elapsed = ContinuousClock.now - clock
        let report = RunReport(
            pipeline: pipeline.name, pipelineFile: pipelinePath, input: prepared.inputPath, output: outputPath,
            rejects: rejectsPath, startedAt: started,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            jobs: prepared.jobs, totals: totals,
            columns: prepared.binding?.mapped.map { ($0.field.name, $0.column, $0.automatic) } ?? [],
            outputColumns: renderer.outputColumns,
            failConditions: failConditions, stageSummaries: executor.stages.map { $0.summary() }, failure: failure,
            notes: prepared.inputNotes(reader: reader, totals: totals))
        if let reportPath {
            let file = try AtomicOutputFile(path: reportPath)
            try file.write(Array((report.json.json() + "\n").utf8))
            try file.commit()
        }
        return Outcome(report: report, exitCode: failure == nil ? 0 : 1)
    }

    /// `out/leads.clean.csv` → `out/leads.clean.rejects.csv`; none when the output is standard output.
    static func defaultRejectsPath(for output: String) -> String? {
        guard output != "-" else { return nil }
        let nameStart = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
        guard let dot = output[nameStart...].lastIndex(of: "."), dot > nameStart else { return output + ".rejects.csv" }
        return String(output[..<dot]) + ".rejects" + String(output[dot...])
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.4g", value)
    }
}
