import Foundation
import PipelineExecution
import PipelineFileLoading
import PipelineSpec

/// What a run did, written as JSON to `output.report` and summarized on standard error.
public struct RunReport: Sendable {
    public var pipeline: String
    public var pipelineFile: String
    public var input: String
    public var output: String
    public var rejects: String?
    public var startedAt: Date
    public var seconds: Double
    public var jobs: Int
    public var totals: RunTotals
    public var columns: [(field: String, column: String, automatic: Bool)]
    /// The clean output's columns, in order: all of them, or those `output.columns` chose.
    public var outputColumns: [String] = []
    package var failConditions: [(condition: FailCondition, value: Double, crossed: Bool)]
    public var stageSummaries: [[(String, ReportValue)]]
    /// Why the run failed, when it did.
    public var failure: String?
    /// What the user should know about how the run read its input, such as a JSONL schema that
    /// could only be sampled because standard input cannot be read twice.
    public var notes: [String] = []
    /// `output.split_by`: the column split on, and each file with its value and rows (they add up to `rows_out`).
    public var splitBy: String?
    public var splitOutputs: [(path: String, value: String, rows: Int)] = []
    /// What the run did to the run store, when it recorded (or found) itself there.
    public var store: StoreOutcome?
    /// The id every log line of the run carries (``RunLog``).
    public var runID: String?
    /// A checksum of the input's bytes, taken while the run read them; `nil` when the reader kept none.
    public var inputChecksum: String?
    /// The store's last runs of this pipeline, oldest first, this run included once it is recorded.
    public var history: [RunHistoryEntry] = []
    /// Clean rows a stage flagged, and clean rows that may be mailed (`nil`: no stage decides it), as
    /// rendered (``ActiveRowMarks``).
    public var rowsFlagged = 0
    /// The stages that ran once over the whole list: their `seconds` are wall time, not thread time summed.
    package var wholeListStages: Set<Int> = []
    public var rowsMailable: Int?
    /// A distributed run's reject samples, merged from its partitions' reports (``PartitionReports``): the executor
    /// alone makes `RejectSample` values.
    package var mergedRejectSamples: ReportValue?

    /// The headline, each stage's findings and what changed since the last run (``RunFindings``).
    public var findings: RunFindings {
        RunFindings(totals: totals, stageSummaries: stageSummaries, flagged: rowsFlagged, mailable: rowsMailable)
    }

    /// The run's notes, then those stages put under a `note` key in their summary (email_check's untrusted resolver).
    package var allNotes: [String] {
        notes + stageSummaries.flatMap { summary in
            summary.compactMap { key, value -> String? in
                guard key == "note", case .string(let text) = value else { return nil }
                return text
            }
        }
    }

    /// The version of the report's layout: raised when a key is renamed or removed, not when one is added.
    package static let schemaVersion = 1

    /// The value of a `fail_if` metric; `stageSummaries` gives the stage figures some metrics read (`email_unknown_ratio`).
    public static func metric(_ name: String, in totals: RunTotals, stageSummaries: [[(String, ReportValue)]] = []) -> Double {
        let rowsIn = Double(max(totals.rowsIn, 1))
        switch name {
        case "rows_in": return Double(totals.rowsIn)
        case "rows_out": return Double(totals.rowsOut)
        case "rows_rejected": return Double(totals.rowsRejected)
        case "rows_merged": return Double(totals.rowsMerged)
        case "rejected_ratio": return totals.rowsIn == 0 ? 0 : Double(totals.rowsRejected) / rowsIn
        case "merged_ratio": return totals.rowsIn == 0 ? 0 : Double(totals.rowsMerged) / rowsIn
        case "out_ratio": return totals.rowsIn == 0 ? 0 : Double(totals.rowsOut) / rowsIn
        case "email_unknown_ratio":
            // The email_check summary's status counts (the first email_check stage's).
            for summary in stageSummaries {
                guard case .object(let statuses)? = summary.first(where: { $0.0 == "email_status" })?.1 else { continue }
                var checked = 0, unknown = 0
                for case (let status, .integer(let count)) in statuses {
                    checked += count
                    if status == "unknown" { unknown += count }
                }
                return checked == 0 ? 0 : Double(unknown) / Double(checked)
            }
            return 0
        default:
            let code = String(name.dropFirst(FailCondition.reasonPrefix.count))
            return Double(totals.rejectReasons[code] ?? 0)
        }
    }

    /// The report as a JSON value; keys keep a fixed order.
    public var json: ReportValue {
        let iso = ISO8601DateFormatter()
        let findings = findings
        var stages: [ReportValue] = []
        for (i, stage) in totals.stages.enumerated() {
            var pairs: [(String, ReportValue)] = [
                ("name", .string(stage.name)), ("rows_in", .integer(stage.rowsIn)), ("rows_out", .integer(stage.rowsOut)),
                ("rows_rejected", .integer(stage.rowsRejected)), ("rows_merged", .integer(stage.rowsMerged)),
                ("seconds", .number((stage.seconds * 1000).rounded() / 1000)),
                ("seconds_measure", .string(wholeListStages.contains(i) ? "wall" : "cpu")),
            ]
            if i < stageSummaries.count, let found = RunFindings.findings(of: stage, summary: .object(stageSummaries[i])) {
                pairs.append(("findings", .object(found.findings)))
            }
            if i < stageSummaries.count, !stageSummaries[i].isEmpty { pairs.append(("summary", .object(stageSummaries[i]))) }
            stages.append(.object(pairs))
        }
        var head: [(String, ReportValue)] = [
            ("schema_version", .integer(Self.schemaVersion)),
            ("tool_version", .string(ToolVersion.current)),
            ("run_id", runID.map(ReportValue.string) ?? .null),
            ("pipeline", .string(pipeline)),
            ("pipeline_file", .string(pipelineFile)),
            ("status", .string(failure == nil ? "ok" : "failed")),
            ("failure", failure.map(ReportValue.string) ?? .null),
            ("started_at", .string(iso.string(from: startedAt))),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("jobs", .integer(jobs)),
            ("input", .string(input)),
            ("output", .string(output)),
            ("rejects", rejects.map(ReportValue.string) ?? .null),
        ]
        if let inputChecksum { head.append(("input_checksum", .string(inputChecksum))) }
        head += splitJSON
        let tail: [(String, ReportValue)] = [
            ("rows_in", .integer(totals.rowsIn)),
            ("rows_out", .integer(totals.rowsOut)),
            ("rows_rejected", .integer(totals.rowsRejected)),
            ("rows_merged", .integer(totals.rowsMerged)),
            ("accounting", .object([
                ("holds", .bool(totals.accountingHolds)),
                ("identity", .string(accountingLine)),
            ])),
            ("headline", findings.headlineJSON),
            ("since_last_run", findings.sinceLastRunJSON),
            ("reject_reasons", .counts(totals.rejectReasons)),
            ("reject_samples", rejectSamplesJSON),
            ("stages", .array(stages)),
            ("timing", .object([
                ("parse_seconds", .number((totals.parseSeconds * 1000).rounded() / 1000)),
                ("render_seconds", .number((totals.renderSeconds * 1000).rounded() / 1000)),
            ])),
            ("held_rows", .object([("bytes_set_aside", .integer(totals.bytesSetAside))])),
            ("columns", .array(columnsJSON)),
            ("output_columns", .array(outputColumns.map(ReportValue.string))),
            ("fail_if", .array(failIfJSON)),
            ("notes", .array(allNotes.map(ReportValue.string))),
            ("store", store?.json ?? .null),
        ]
        return .object(head + tail + historyJSON)
    }

    // The report's nested lists are built apart: one expression holding them all takes the type checker
    // too long in release builds.
    private var rejectSamplesJSON: ReportValue {
        if let mergedRejectSamples { return mergedRejectSamples }
        var pairs: [(String, ReportValue)] = []
        for (reason, samples) in totals.rejectSamples.sorted(by: { $0.key < $1.key }) {
            let rows: [ReportValue] = samples.map { sample in
                .object([("line", .integer(sample.line)), ("stage", .string(sample.stage)), ("detail", .string(sample.detail))])
            }
            pairs.append((reason, .array(rows)))
        }
        return .object(pairs)
    }

    /// `split_by` and `split_outputs`, only when the output is split, so other reports keep their keys.
    private var splitJSON: [(String, ReportValue)] {
        guard let splitBy else { return [] }
        let files: [ReportValue] = splitOutputs.map { split in
            .object([("path", .string(split.path)), ("value", .string(split.value)), ("rows", .integer(split.rows))])
        }
        return [("split_by", .string(splitBy)), ("split_outputs", .array(files))]
    }

    private var columnsJSON: [ReportValue] {
        columns.map { column in
            .object([("field", .string(column.field)), ("column", .string(column.column)), ("automatic", .bool(column.automatic))])
        }
    }

    private var failIfJSON: [ReportValue] {
        failConditions.map { fail in
            let condition = "\(fail.condition.metric) \(fail.condition.comparison.rawValue) \(fail.condition.threshold)"
            return .object([("condition", .string(condition)), ("value", .number(fail.value)), ("crossed", .bool(fail.crossed))])
        }
    }

    /// `rows_in 2000 = rows_out 1890 + rows_rejected 100 + rows_merged 10`
    package var accountingLine: String {
        "rows_in \(totals.rowsIn) \(totals.accountingHolds ? "=" : "≠") rows_out \(totals.rowsOut) + rows_rejected \(totals.rowsRejected) + rows_merged \(totals.rowsMerged)"
    }

    /// A few lines for standard error.
    public var summary: String {
        // The verdict comes first and is the run's, not the identity's: a run that crossed fail_if still
        // accounts for every row (✓) but FAILED.
        let findings = findings
        var lines = [headlineLine(findings), "  \(accountingLine) \(totals.accountingHolds ? "✓" : "✗ ACCOUNTING BROKEN")"]
        if let splitBy, failure == nil, !splitOutputs.isEmpty {
            lines.append("  split by \(splitBy): " + splitOutputs.map { "\($0.path) \($0.rows)" }.joined(separator: ", "))
        }
        if !totals.rejectReasons.isEmpty {
            lines.append("  rejected: " + totals.rejectReasons.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines += findings.stages.map { "  " + $0.line }
        if let since = findings.sinceLastRunText { lines.append("  " + since) }
        for (i, stage) in totals.stages.enumerated() {
            // Streaming stages run on every worker at once, so their seconds add up thread time: labelled CPU.
            // A whole-list stage runs once, however many threads it uses inside: its seconds are the wall clock's.
            let clock = wholeListStages.contains(i) ? "s wall" : "s CPU"
            lines.append("  stage \(stage.name): \(stage.rowsIn) in, \(stage.rowsOut) out, \(stage.rowsRejected) rejected, \(stage.rowsMerged) merged, \(String(format: "%.3f", stage.seconds)) \(clock)")
        }
        for fail in failConditions where fail.crossed {
            lines.append("  fail_if crossed: \(fail.condition.metric) = \(fail.value) (\(fail.condition.comparison.rawValue) \(fail.condition.threshold))")
        }
        for (i, summary) in stageSummaries.enumerated() {
            // Counted by the stage that reads the dates; shown here so nobody has to open the report to see it.
            if let (_, value) = summary.first(where: { $0.0 == "unparseable_dates" }), case .integer(let count) = value, count > 0 {
                let name = i < totals.stages.count ? totals.stages[i].name : "a stage"
                lines.append("  unparseable dates: \(count) (stage \(name) read them as no date)")
            }
        }
        if let store { lines.append("  " + store.summaryLine) }
        for note in allNotes { lines.append("  note: \(note)") }
        if let failure { lines.append("  FAILED: \(failure)") }
        return lines.joined(separator: "\n")
    }
}

/// What a run did to the run store: the run it recorded and the older runs it pruned.
public struct StoreOutcome: Sendable {
    public var path: String
    /// The run's id in the store (the earlier run's when this one was a retry of it).
    public var runID: Int64?
    /// The store already held this run (same input at the same reference time), so it was not recorded twice.
    package var alreadyRecorded: Bool
    /// `store.keep_runs`.
    public var keepRuns: Int
    /// `store.keep_days`, when given.
    public var keepDays: Int?
    /// Older runs of the history removed to keep `keepRuns`.
    package var runsPruned: Int

    var json: ReportValue {
        .object([
            ("path", .string(path)), ("run_id", runID.map { .integer(Int($0)) } ?? .null),
            ("already_recorded", .bool(alreadyRecorded)), ("keep_runs", .integer(keepRuns)),
            ("keep_days", keepDays.map { .integer($0) } ?? .null), ("runs_pruned", .integer(runsPruned)),
        ])
    }

    /// `store: run 12 recorded; 1 older run pruned (keep_runs 8)`, `… (keep_runs 1, keep_days 90)`
    var summaryLine: String {
        let run = "run \(runID.map(String.init) ?? "?") " + (alreadyRecorded ? "was already recorded" : "recorded")
        let pruned = runsPruned == 1 ? "1 older run pruned" : "\(runsPruned) older runs pruned"
        return "store: \(run); \(pruned) (keep_runs \(keepRuns)" + (keepDays.map { ", keep_days \($0))" } ?? ")")
    }
}
