import Foundation
import LeadIO
import PipelineExecution
import PipelineFileLoading
import PipelineSpec
import ReportHTML
import RunStore

/// `leadhygiene store import`: records a distributed run in the store from what its whole-list tasks staged
/// (``StagedRunFile``) and its merged report, as ``PipelineRunner`` records a one-machine run once its outputs are in
/// place: one run row with the report's counts and input checksum, decay's snapshots and enrichment values, dedupe's
/// entity ids and route's assignments, and the files the run wrote, in one transaction; then the report names the run.
///
/// The driver of a Spark run is the store's one writer: its tasks read a copy of the store and only stage. So the
/// import refuses (and leaves the store as it was) a run that failed, and a store that recorded another run after the
/// tasks read it: their stages compared with, and numbered entities from, a store that is no longer the latest.
public struct StagedRunImport {
    public var pipelinePath: String
    /// `--store`: the store, in place of the pipeline's `store:` path.
    public var storePath: String?
    /// The staged-run files, in the order their stages ran.
    public var stagedPaths: [String]
    /// The merged report.json of the run; rewritten to name the recorded run, as a one-machine run's is.
    public var reportPath: String
    /// The report's HTML page, rewritten with it.
    public var htmlReportPath: String?
    /// The files the run wrote besides the report (role, path), kept with the run for `leadhygiene forget`; when empty,
    /// the output and rejects the report names.
    public var writtenFiles: [(role: String, path: String)] = []
    /// How long to wait for another process to let the store go (`--wait-for-store`); 0 fails at once.
    public var waitForStoreSeconds: Double = 0

    public init(pipelinePath: String, storePath: String?, stagedPaths: [String], reportPath: String, htmlReportPath: String?) {
        self.pipelinePath = pipelinePath
        self.storePath = storePath
        self.stagedPaths = stagedPaths
        self.reportPath = reportPath
        self.htmlReportPath = htmlReportPath
    }

    /// What the import did.
    public struct Outcome: Sendable {
        public var storePath: String
        public var runID: Int64?
        public var alreadyRecorded: Bool
        public var runsPruned: Int
        /// DNS and SMTP verdicts and pages the tasks found (``CacheOutbox``), now in the store's caches.
        public var cacheEntriesSaved: Int
        /// The report's store line (`store: run 3 recorded; …`).
        public var summaryLine: String
    }

    /// Records the run and rewrites its report.
    /// - Throws: ``StagedRunImportError`` when the run is refused (the store is then as it was), a pipeline-file
    ///   error, or the store's and files' own errors.
    public func run() throws -> Outcome {
        let pipeline = try PipelineFileLoader(stages: StageRegistry.descriptors).load(path: pipelinePath)
        guard let storePath = storePath ?? pipeline.storePath else { throw StagedRunImportError.noStore(pipelinePath) }
        guard let text = FileManager.default.contents(atPath: reportPath) else { throw StagedRunImportError.unreadableReport(reportPath) }
        var report = try ReportValueReader.read(String(decoding: text, as: UTF8.self))
        guard PartitionReports.string(report["status"]) == "ok", report["accounting"]?["holds"] == .bool(true) else {
            throw StagedRunImportError.runFailed(PartitionReports.string(report["failure"]) ?? "the report's status is not ok")
        }

        // Held until the run is recorded: no other run or store import can record between the check below and the commit.
        let lock = try StoreWriterLock(path: storePath, waitSeconds: waitForStoreSeconds,
                                       waiting: StoreWriterLock.noteWaiting(for: storePath, seconds: waitForStoreSeconds))
        defer { lock.release() }
        let store = try RunStore(path: storePath)
        defer { try? store.close() }
        let staging = RunStagingArea()
        var referenceTime: Date?
        do {
            var bases: [Int64?] = []
            for path in stagedPaths {
                let file = try StagedRunFile.read(from: path, into: store, adding: staging)
                bases.append(file.baseRunID)
                referenceTime = referenceTime ?? file.referenceTime
            }
            // What the tasks read must still be the store's newest state; the lock keeps it so until the commit.
            let newest = try store.runs().last?.id
            if let stale = bases.first(where: { $0 != newest }) {
                throw StagedRunImportError.storeChanged(read: stale, now: newest)
            }
        } catch {
            staging.discard()
            throw error
        }

        var totals = RunTotals(stageNames: [])
        totals.rowsIn = PartitionReports.integer(report["rows_in"])
        totals.rowsOut = PartitionReports.integer(report["rows_out"])
        totals.rowsRejected = PartitionReports.integer(report["rows_rejected"])
        totals.rowsMerged = PartitionReports.integer(report["rows_merged"])
        let startedAt = PartitionReports.string(report["started_at"]).flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
        // decay's summary names the run its staged rows went to (none for a retry, whose rows are dropped).
        let stagesLeads = !staging.runs.isEmpty
        var recorder = RunRecorder(storePath: storePath, pipelinePath: pipelinePath)
        recorder.keepRuns = pipeline.storeKeepRuns
        recorder.keepDays = pipeline.storeKeepDays
        // Without paths given, the clean and rejects files the report names, as a one-machine run keeps them.
        let given = writtenFiles.isEmpty
            ? [("output", report["output"]), ("rejects", report["rejects"])].compactMap { role, path in
                PartitionReports.string(path).flatMap { $0 == "-" ? nil : (role: role, path: $0) }
            }
            : writtenFiles
        let files = given + [("report", reportPath)] + (htmlReportPath.map { [("html_report", $0)] } ?? [])
        let recorded = try recorder.recordSucceeded(
            staging: staging, totals: totals, inputChecksum: PartitionReports.string(report["input_checksum"]) ?? "",
            referenceTime: referenceTime ?? Date(), startedAt: startedAt,
            outputs: files.map { ($0.role, RunFiles.absolutePath($0.path)) })
        // What the tasks looked up and fetched, for the next run to find, as a one-machine run keeps it.
        var cacheEntries = 0
        for path in stagedPaths { cacheEntries += try CacheOutbox.save(from: CacheOutbox.path(besideStaged: path), into: store) }
        let outcome = StoreOutcome(path: storePath, runID: recorded.run.id, alreadyRecorded: recorded.wasAlreadyRecorded,
                                   keepRuns: recorder.keepRuns, keepDays: recorder.keepDays, runsPruned: recorded.runsPruned)

        // The report now says what a one-machine run's says once it is recorded.
        let history = (try? RunHistoryEntry.lastRuns(storePath: storePath, of: recorded.run)) ?? []
        report = Self.replacing("store", with: outcome.json, in: report)
        for (key, value) in RunReport.historyJSON(history) { report = Self.replacing(key, with: value, in: report) }
        if let runID = recorded.run.id, stagesLeads, !recorded.wasAlreadyRecorded {
            report = Self.naming(recordedRun: runID, in: report)
        }
        if recorded.wasAlreadyRecorded, case .array(let notes)? = report["notes"] {
            let note = "the store already holds this run (run \(recorded.run.id.map(String.init) ?? "?"), the same input at the "
                + "same reference time), so it was not recorded twice"
            report = Self.replacing("notes", with: .array(notes + [.string(note)]), in: report)
        }
        try Self.write(report, to: reportPath, html: htmlReportPath)
        return Outcome(storePath: storePath, runID: recorded.run.id, alreadyRecorded: recorded.wasAlreadyRecorded,
                       runsPruned: recorded.runsPruned, cacheEntriesSaved: cacheEntries, summaryLine: outcome.summaryLine)
    }

    /// `object` with `key` set to `value`: in its place when the key is there, else at the end.
    static func replacing(_ key: String, with value: ReportValue, in object: ReportValue) -> ReportValue {
        guard case .object(var pairs) = object else { return object }
        if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = value
        } else {
            pairs.append((key, value))
        }
        return .object(pairs)
    }

    /// The report with decay's `run_over_run.recorded_run` naming the run, as a recorded one-machine run's says.
    static func naming(recordedRun runID: Int64, in report: ReportValue) -> ReportValue {
        guard case .array(let stages)? = report["stages"] else { return report }
        let named = stages.map { stage -> ReportValue in
            guard let summary = stage["summary"], let history = summary["run_over_run"], history["recorded_run"] != nil else { return stage }
            let recorded = replacing("recorded_run", with: .integer(Int(runID)), in: history)
            return replacing("summary", with: replacing("run_over_run", with: recorded, in: summary), in: stage)
        }
        return replacing("stages", with: .array(named), in: report)
    }

    /// Replaces the report and its page together, as the runner rewrites a recorded run's.
    static func write(_ report: ReportValue, to path: String, html htmlPath: String?) throws {
        let text = report.json()
        let file = try AtomicOutputFile(path: path)
        let page = try htmlPath.map { try AtomicOutputFile(path: $0) }
        do {
            try file.write(Array((text + "\n").utf8))
            try page?.write(Array(((try? ReportPage(json: Data(text.utf8)).html) ?? ReportPage(report: [:]).html).utf8))
            try PublishedSet.publish([file] + [page].compactMap { $0 })
        } catch {
            file.discard()
            page?.discard()
            throw error
        }
    }
}

/// Why `store import` refused a run; the store is as it was.
public enum StagedRunImportError: Error, CustomStringConvertible, Sendable {
    case noStore(String)
    case unreadableReport(String)
    /// The merged report says the run failed (`fail_if`, accounting): a failed run is not recorded.
    case runFailed(String)
    /// The store recorded a run after the tasks read it.
    case storeChanged(read: Int64?, now: Int64?)

    public var description: String {
        switch self {
        case .noStore(let pipeline): "\(pipeline) names no store: and no --store was given"
        case .unreadableReport(let path): "cannot read the run's report '\(path)'"
        case .runFailed(let failure): "the run failed, so it is not recorded: \(failure)"
        case .storeChanged(let read, let now):
            "the store changed since the run's tasks read it (its newest run was \(read.map { "run \($0)" } ?? "none"), "
                + "now \(now.map { "run \($0)" } ?? "none")): run the pipeline again on the store as it is now"
        }
    }
}
