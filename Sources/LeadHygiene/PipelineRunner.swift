import Foundation
import LeadIO
import LeadRecords
import Logging
import PipelineExecution
import PipelineFileLoading
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
    /// Where the run's log lines go (see ``RunLog``); nowhere unless set.
    public var logger: Logger = RunLog.silent
    /// Services for the stages besides the store's (`leadhygiene dedupe …` hands dedupe its step this way).
    public var services = StageServices()
    /// `run --envelope --staged FILE`: takes what the segment's stages staged for the store once its rows are written
    /// (``StagedRunExport``); a partition commits nothing itself.
    public var exportStaging: StagingExport?

    public init(pipelinePath: String, overrides: RunOverrides = RunOverrides(), showProgress: Bool = false) {
        self.pipelinePath = pipelinePath
        self.overrides = overrides
        self.showProgress = showProgress
    }

    /// Runs the pipeline.
    ///
    /// Every file the run writes, the report included, is created before the first row is read, so a path
    /// that cannot be written stops the run before any work; the files are then published together
    /// (``PublishedSet``), and the run is recorded in the store only once they are all in place.
    /// - Throws: ``PipelineFileError`` for pipeline-file problems (exit 2); ``ReaderStoppedError`` when
    ///   standard output was closed; ``InputOutputError`` when an output cannot be created (exit 1).
    ///   Input and I/O failures after that return an outcome with exit code 1 and a failed report.
    public func run() throws -> Outcome {
        let started = Date()
        let clock = ContinuousClock.now
        let runID = RunLog.newRunID(at: started)
        let log = RunLog(logger, runID: runID)
        var keyPassLine: ProgressLine?
        let stageProgress = showProgress ? StageProgress() : .silent
        let prepared: PreparedPipeline
        do {
            prepared = try PreparedPipeline.prepare(path: pipelinePath, overrides: overrides, services: services,
                                                    keyPassProgress: showProgress ? { inputPath, bytesRead in
                if keyPassLine == nil { keyPassLine = ProgressLine(inputPath: inputPath) }
                keyPassLine?.updateKeyPass(bytesRead: bytesRead)
            } : nil, stageProgress: stageProgress)
        } catch let failure as InputFailure {
            keyPassLine?.finish()
            let outcome = try failedBeforeReading(failure, started: started, clock: clock, runID: runID)
            log.log(.notice, phase: "failed", "run failed", ["failure": .string(failure.message)])
            return outcome
        }
        keyPassLine?.finish()
        // A run that will be recorded holds the store against other writers (``PreparedPipeline/storeLock``) until it is
        // recorded; declared before the close below, so it is let go after the store's connections close.
        defer { prepared.storeLock?.release() }
        // The caches save what they hold and the store closes before the run returns (and before the lock goes).
        defer { RunStoreCaches.close(prepared.services) }
        let pipeline = prepared.pipeline
        log.log(.info, phase: "started", "run started", [
            "pipeline": .string(pipeline.name), "pipeline_file": .string(pipelinePath), "input": .string(prepared.inputPath),
            "jobs": .stringConvertible(prepared.jobs), "dry_run": .stringConvertible(overrides.dryRun),
        ])
        guard let reader = prepared.reader else {
            throw InputOutputError(path: prepared.inputPath, "the input could not be opened")
        }

        let paths = prepared.files
        let dryRun = overrides.dryRun
        let envelope = overrides.envelope
        if !dryRun && !envelope { for path in paths.publishedPaths { OutputPath.removeStaleTemporaryFiles(besides: path) } }
        let outputPath = paths.output
        let rejectsPath = paths.rejects
        let mergedPath = paths.merged
        let layout = OutputLayout(output: pipeline.output, outputPath: outputPath, rejectsPath: rejectsPath,
                                  mergedPath: mergedPath, prepared: prepared)
        var renderer = layout.renderer(for: prepared)
        let marks = ActiveRowMarks.forRun(schema: prepared.schema, stages: prepared.stages)
        renderer.marks = marks
        if envelope {
            renderer.envelope = EnvelopeWriter(columns: prepared.schema.columns)
            renderer.carriesSetAside = overrides.carriesSetAside
        }
        // A dry run renders everything into the null device: the same work, nothing written anywhere.
        let nullDevice = "/dev/null"
        // A partition's report is the summary line at the end of its envelope (see RunCommand).
        let reportFile = dryRun || envelope ? nil : try paths.report.map(AtomicOutputFile.init)
        let htmlReportFile = dryRun || envelope ? nil : try paths.htmlReport.map(AtomicOutputFile.init)
        // A run that saw part of the input, or wrote nothing, is no week's run: the store does not record it.
        let recorder = !overrides.recordsRun ? nil
            : pipeline.storePath.map { path in
                var recorder = RunRecorder(storePath: path, pipelinePath: pipelinePath)
                recorder.keepRuns = pipeline.storeKeepRuns
                recorder.keepDays = pipeline.storeKeepDays
                return recorder
            }
        // What decay staged is committed by the recorder, or dropped when this run is not recorded.
        defer { if recorder == nil { RunRecorder.discard(prepared.staging) } }
        // `--stages`: one segment of a distributed run runs only its stages (the rows carry the others' columns).
        let running = overrides.stageRange.map { ($0.lowerBound - 1)..<$0.upperBound } ?? prepared.boundStages.indices
        var executor = PipelineExecutor(stages: Array(prepared.boundStages[running]), names: Array(pipeline.stages.map(\.name)[running]),
                                        jobs: prepared.jobs, chunkSize: pipeline.chunkSize)
        let progress = showProgress ? ProgressLine(inputPath: prepared.inputPath, stageProgress: stageProgress) : nil
        defer { progress?.finish() }
        if let progress { executor.progress = progress.update }
        executor.phaseChanged = { phase in
            log.log(.debug, phase: "stages", "now running: \(phase)")
            // A segment without streaming stages only hands the rows on; the executor names it with no stage.
            progress?.enter(phase.isEmpty ? "handing the rows to the next stage" : phase)
        }
        executor.memoryBudget = MemoryBudget.current(maxMemory: pipeline.maxMemory)
        executor.inputBytes = Self.regularFileSize(prepared.inputPath)
        executor.rowLimit = overrides.limit
        // What the run itself adds to the notes; how the input was read comes from `prepared.inputNotes`.
        var notes: [String] = []
        if let limit = overrides.limit {
            notes.append("--limit \(limit): only the first \(limit) rows were read; the run was not recorded in the store")
        }
        if dryRun { notes.append("--dry-run: every stage ran, nothing was written (no output, rejects, report or store)") }
        // `output.split_by`: the files and their rows, once the rows are written.
        var splitOutputs: [(path: String, value: String, rows: Int)] = []
        // The headline's flagged and mailable clean rows, once the rows are rendered.
        var rowsFlagged = 0
        var rowsMailable: Int?
        // The store's last runs, once this one is recorded.
        var history: [RunHistoryEntry] = []

        func report(_ totals: RunTotals, failConditions: [(condition: FailCondition, value: Double, crossed: Bool)],
                    failure: String?) -> RunReport {
            let elapsed = ContinuousClock.now - clock
            var runReport = RunReport(
                pipeline: pipeline.name, pipelineFile: pipelinePath, input: prepared.inputPath, output: outputPath,
                rejects: rejectsPath, startedAt: started,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                jobs: prepared.jobs, totals: totals,
                columns: prepared.binding?.mapped.map { ($0.field.name, $0.column, $0.automatic) } ?? [],
                outputColumns: renderer.outputColumns,
                failConditions: failConditions, stageSummaries: executor.stageReports(totals), failure: failure,
                notes: prepared.inputNotes(reader: reader, totals: totals) + totals.notes + notes,
                splitBy: paths.split?.column, splitOutputs: splitOutputs)
            runReport.runID = runID
            runReport.inputChecksum = reader.inputChecksum
            runReport.history = history
            runReport.wholeListStages = Set(executor.stages.indices.filter { executor.stages[$0].gathersList })
            runReport.rowsFlagged = rowsFlagged
            runReport.rowsMailable = rowsMailable
            return runReport
        }

        /// The input or a disk failed: the previous outputs stay; the report says why.
        func failed(_ error: Error) -> Outcome {
            let failed = report(RunTotals(stageNames: executor.names),
                                failConditions: [], failure: "\(error)")
            let reports = [reportFile, htmlReportFile].compactMap { $0 }
            do {
                try reportFile?.write(Array((failed.json.json() + "\n").utf8))
                try htmlReportFile?.write(failed.htmlPage)
                try PublishedSet.publish(reports)
            } catch {
                for file in reports { file.discard() }
            }
            log.log(.notice, phase: "failed", "run failed", ["failure": .string("\(error)")])
            return Outcome(report: failed, exitCode: 1)
        }

        let files: OutputFiles
        do {
            files = envelope
                ? try OutputFiles(output: "-", rejects: nil, merged: nil, split: nil, renderer: renderer)
                : try OutputFiles(output: dryRun ? nullDevice : outputPath, rejects: dryRun ? rejectsPath.map { _ in nullDevice } : rejectsPath,
                                    merged: dryRun ? mergedPath.map { _ in nullDevice } : mergedPath,
                                    split: dryRun ? nil : paths.split, renderer: renderer)
        } catch {
            if error is ReaderStoppedError {
                reportFile?.discard()
                htmlReportFile?.discard()
                throw error
            }
            return failed(error)
        }
        if let progress { files.onWrite = progress.wrote }
        let totals: RunTotals
        do {
            totals = try executor.run(reader: reader, parser: prepared.parser(for: reader),
                                      width: prepared.schema.count, renderer: renderer, writer: files)
        } catch {
            files.discardAll()
            RunRecorder.discard(prepared.staging)
            if error is ReaderStoppedError {
                reportFile?.discard()
                htmlReportFile?.discard()
                throw error
            }
            return failed(error)
        }

        splitOutputs = files.splitSummary
        rowsFlagged = files.rowsFlagged
        rowsMailable = marks.mailable == nil ? nil : files.rowsMailable
        for stage in totals.stages {
            log.log(.info, stage: stage.name, phase: "finished", "stage finished", [
                "rows_in": .stringConvertible(stage.rowsIn), "rows_out": .stringConvertible(stage.rowsOut),
                "rows_rejected": .stringConvertible(stage.rowsRejected), "rows_merged": .stringConvertible(stage.rowsMerged),
                "seconds": .stringConvertible((stage.seconds * 1000).rounded() / 1000),
            ])
        }
        // A partition's figures are a part of the run's: `fail_if` is for the whole list, not for one part.
        let failConditions: [(condition: FailCondition, value: Double, crossed: Bool)] = envelope ? [] : pipeline.failIf.map { condition in
            let value = RunReport.metric(condition.metric, in: totals, stageSummaries: executor.stageReports(totals))
            return (condition: condition, value: value, crossed: condition.holds(for: value))
        }
        var failure: String?
        var published: [AtomicOutputFile]
        if !totals.accountingHolds {
            failure = "accounting identity broken: rows_in \(totals.rowsIn) ≠ rows_out \(totals.rowsOut) + rows_rejected \(totals.rowsRejected) + rows_merged \(totals.rowsMerged); no output was published"
            files.discardAll()
            published = []
        } else if let crossed = failConditions.first(where: \.crossed) {
            // A crossed gate must not publish the clean list; rejects and the report are kept for diagnosis.
            failure = "fail_if crossed: \(crossed.condition.metric) = \(Self.format(crossed.value)) \(crossed.condition.comparison.rawValue) \(Self.format(crossed.condition.threshold)); the output was not published"
            for file in files.cleanFiles { file.discard() }
            files.merged?.discard()
            published = [files.rejects].compactMap { $0 }
        } else {
            published = files.cleanFiles + [files.rejects, files.merged].compactMap { $0 }
        }
        if failure != nil { RunRecorder.discard(prepared.staging) }
        if envelope, failure == nil, let exportStaging, let staging = prepared.staging {
            do { try exportStaging(staging) } catch { return failed(error) }
        }
        for fail in failConditions {
            // A crossed gate is what an operator looks for; the ones that held only matter when debugging.
            log.log(fail.crossed ? .notice : .debug, phase: "fail_if", fail.crossed ? "fail_if crossed" : "fail_if held", [
                "metric": .string(fail.condition.metric), "value": .string(Self.format(fail.value)),
                "condition": .string("\(fail.condition.comparison.rawValue) \(Self.format(fail.condition.threshold))"),
                "crossed": .stringConvertible(fail.crossed),
            ])
        }

        var outcome = report(totals, failConditions: failConditions, failure: failure)
        progress?.enter("publishing")
        do {
            if let reportFile {
                try reportFile.write(Array((outcome.json.json() + "\n").utf8))
                published.append(reportFile)
            }
            if let htmlReportFile {
                try htmlReportFile.write(outcome.htmlPage)
                published.append(htmlReportFile)
            }
            try PublishedSet.publish(published)
        } catch {
            files.discardAll()
            reportFile?.discard()
            htmlReportFile?.discard()
            RunRecorder.discard(prepared.staging)
            log.log(.notice, phase: "failed", "the outputs could not be published", ["failure": .string("\(error)")])
            throw error
        }
        if !dryRun {
            log.log(.info, phase: "published", "outputs published",
                    ["files": .array(published.map { .string($0.path) })])
        }

        // Recorded only now that every file is in place: a run the store holds is a run whose outputs exist.
        if let recorder, failure == nil {
            progress?.enter("recording the run in the store")
            do {
                let recorded = try recorder.recordSucceeded(staging: prepared.staging, totals: totals,
                                                            inputChecksum: reader.inputChecksum ?? "",
                                                            referenceTime: prepared.now, startedAt: started,
                                                            outputs: paths.writtenFiles)
                history = (try? RunHistoryEntry.lastRuns(storePath: recorder.storePath, of: recorded.run)) ?? []
                if recorded.wasAlreadyRecorded {
                    notes.append("the store already holds this run (run \(recorded.run.id.map(String.init) ?? "?"), the same input at the "
                                 + "same reference time), so it was not recorded twice")
                }
                // The stages' summaries now name the recorded run; the report is replaced (atomically) to say so.
                outcome = report(totals, failConditions: failConditions, failure: nil)
                outcome.store = StoreOutcome(path: recorder.storePath, runID: recorded.run.id,
                                             alreadyRecorded: recorded.wasAlreadyRecorded, keepRuns: recorder.keepRuns,
                                             keepDays: recorder.keepDays, runsPruned: recorded.runsPruned)
                try rewriteReport(outcome, at: paths.report, html: paths.htmlReport)
                log.log(.info, phase: "store_commit", recorded.wasAlreadyRecorded ? "the store already held this run" : "run recorded in the store", [
                    "store": .string(recorder.storePath), "store_run_id": .stringConvertible(recorded.run.id ?? 0),
                    "runs_pruned": .stringConvertible(recorded.runsPruned), "keep_runs": .stringConvertible(recorder.keepRuns),
                ])
            } catch {
                RunRecorder.discard(prepared.staging)
                outcome = report(totals, failConditions: failConditions,
                                 failure: "the output was published but the run could not be recorded in the store: \(error)")
                try? rewriteReport(outcome, at: paths.report, html: paths.htmlReport)
            }
        }
        for note in outcome.allNotes { log.log(.info, phase: "note", note) }
        if let failure = outcome.failure {
            log.log(.notice, phase: "failed", "run failed", ["failure": .string(failure)])
        } else {
            log.log(.info, phase: "finished", "run finished", [
                "rows_in": .stringConvertible(totals.rowsIn), "rows_out": .stringConvertible(totals.rowsOut),
                "rows_rejected": .stringConvertible(totals.rowsRejected), "rows_merged": .stringConvertible(totals.rowsMerged),
                "seconds": .stringConvertible((outcome.seconds * 1000).rounded() / 1000),
            ])
        }
        return Outcome(report: outcome, exitCode: outcome.failure == nil ? 0 : 1)
    }

    /// The input could not be opened or read: nothing is written but the report, which says why.
    private func failedBeforeReading(_ failure: InputFailure, started: Date, clock: ContinuousClock.Instant,
                                     runID: String) throws -> Outcome {
        let elapsed = ContinuousClock.now - clock
        var report = RunReport(
            pipeline: failure.pipeline.name, pipelineFile: pipelinePath, input: failure.inputPath, output: failure.files.output,
            rejects: failure.files.rejects, startedAt: started,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            jobs: overrides.jobs ?? failure.pipeline.jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            totals: RunTotals(stageNames: failure.pipeline.stages.map(\.name)), columns: [], outputColumns: [],
            failConditions: [], stageSummaries: [], failure: failure.message, notes: [])
        report.runID = runID
        try? rewriteReport(report, at: failure.files.report, html: failure.files.htmlReport)
        return Outcome(report: report, exitCode: 1)
    }

    /// Replaces the report and its HTML page, together.
    private func rewriteReport(_ report: RunReport, at path: String?, html htmlPath: String?) throws {
        let file = try path.map(AtomicOutputFile.init)
        let page = try htmlPath.map(AtomicOutputFile.init)
        do {
            try file?.write(Array((report.json.json() + "\n").utf8))
            try page?.write(report.htmlPage)
            try PublishedSet.publish([file, page].compactMap { $0 })
        } catch {
            file?.discard()
            page?.discard()
            throw error
        }
    }

    /// The size of a regular file; `nil` for standard input, pipes and devices.
    static func regularFileSize(_ path: String) -> Int? {
        // A folder of parts: their sizes together.
        if PreparedPipeline.isFolder(path), let parts = try? PartsRecordReader.partFiles(in: path).parts {
            return parts.compactMap(regularFileSize).reduce(0, +)
        }
        var info = stat()
        guard path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.4g", value)
    }
}
