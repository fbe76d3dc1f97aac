import Foundation
import PipelineExecution
import PipelineFileLoading
import PipelineSpec

/// The reports of a distributed run's partitions (scripts/leadhygiene_spark.py), merged into the report.json a
/// one-machine run of the same pipeline writes, timings and paths aside.
///
/// The pipeline runs as segments (consecutive stages), each over partitions of the rows; every partition's
/// `run --envelope` ends with its report. Rows enter the first segment and leave the last; rejects and merges add
/// up over all. A stage's summary is merged from its partitions' (``SummaryMerge``), unless the driver hands the
/// whole list's figures for it (dedupe over partitions counts its pairs and fits its model on the driver).
///
/// One line per partition, and per replaced summary:
/// ```
/// {"segment":0,"report":{…the partition's report.json…}}
/// {"segment":1,"stage":"dedupe","summary":{…}}
/// ```
public struct PartitionReports {
    /// What a line could not give.
    public struct LineError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    struct Segment {
        var reports: [ReportValue] = []
        /// Stage name → the summary the driver counted over the whole list.
        var summaries: [String: ReportValue] = [:]
    }

    private(set) var segments: [Segment] = []

    /// Reads the lines (JSONL); throws ``LineError`` for a line that is not one of the two kinds.
    public init(lines text: String) throws {
        var bySegment: [Int: Segment] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            let value: ReportValue
            do {
                value = try ReportValueReader.read(String(line))
            } catch {
                throw LineError(line: number + 1, problem: "\(error)")
            }
            guard case .integer(let segment)? = value["segment"], segment >= 0 else {
                throw LineError(line: number + 1, problem: "no \"segment\" number")
            }
            if let report = value["report"], case .object = report {
                bySegment[segment, default: Segment()].reports.append(report)
            } else if case .string(let stage)? = value["stage"], let summary = value["summary"] {
                bySegment[segment, default: Segment()].summaries[stage] = summary
            } else {
                throw LineError(line: number + 1, problem: "neither a \"report\" object nor a \"stage\" with its \"summary\"")
            }
        }
        guard let last = bySegment.keys.max() else { throw LineError(line: 1, problem: "no partition's report") }
        for segment in 0...last {
            guard let found = bySegment[segment], !found.reports.isEmpty else {
                throw LineError(line: 1, problem: "segment \(segment) has no partition's report")
            }
            segments.append(found)
        }
    }

    /// Where the merged report says the run read and wrote, and when it ran.
    public struct RunFacts {
        public var pipelinePath: String
        public var input: String
        public var output: String
        public var rejects: String?
        public var startedAt: Date
        public var seconds: Double
        /// How the driver read the input (``EnvelopeInputFacts``): its notes open the report's, as a one-machine run's do.
        public var inputNotes: [String] = []
        /// The input's checksum, kept in the report only with a store.
        public var inputChecksum: String?

        public init(pipelinePath: String, input: String, output: String, rejects: String?, startedAt: Date, seconds: Double) {
            self.pipelinePath = pipelinePath
            self.input = input
            self.output = output
            self.rejects = rejects
            self.startedAt = startedAt
            self.seconds = seconds
        }
    }

    /// The one report: counts summed, the accounting identity checked for every partition and across segments,
    /// the headline from the rows the last segment wrote, and `fail_if` evaluated on the whole list.
    public func report(pipeline: PipelineFile, facts: RunFacts) -> RunReport {
        var stageNames: [String] = []
        var stages: [StageStatistics] = []
        var summaries: [[(String, ReportValue)]] = []
        var wholeList: Set<Int> = []
        var problems: [String] = []
        var totals = RunTotals(stageNames: [])
        var samples: [String: [(line: Int, sample: ReportValue)]] = [:]
        var segmentTotals: [(rowsIn: Int, rowsOut: Int)] = []
        for (index, segment) in segments.enumerated() {
            var rowsIn = 0, rowsOut = 0
            for (part, report) in segment.reports.enumerated() {
                let counts = Self.counts(report)
                rowsIn += counts.rowsIn
                rowsOut += counts.rowsOut
                totals.rowsRejected += counts.rowsRejected
                totals.rowsMerged += counts.rowsMerged
                if counts.rowsIn != counts.rowsOut + counts.rowsRejected + counts.rowsMerged {
                    problems.append("segment \(index + 1), partition \(part + 1): rows_in \(counts.rowsIn) ≠ rows_out \(counts.rowsOut) "
                                    + "+ rows_rejected \(counts.rowsRejected) + rows_merged \(counts.rowsMerged)")
                }
                if case .string(let status)? = report["status"], status != "ok" {
                    let failure = report["failure"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? status
                    problems.append("segment \(index + 1), partition \(part + 1) failed: \(failure)")
                }
                for (reason, count) in Self.pairs(report["reject_reasons"]) {
                    if case .integer(let count) = count { totals.rejectReasons[reason, default: 0] += count }
                }
                for (reason, found) in Self.pairs(report["reject_samples"]) {
                    samples[reason, default: []] += Self.items(found).map { (Self.integer($0["line"]), $0) }
                }
                totals.parseSeconds += Self.number(report["timing"]?["parse_seconds"])
                totals.renderSeconds += Self.number(report["timing"]?["render_seconds"])
                if case .integer(let bytes)? = report["held_rows"]?["bytes_set_aside"] { totals.bytesSetAside += bytes }
            }
            segmentTotals.append((rowsIn, rowsOut))
            let first = Self.items(segment.reports[0]["stages"])
            for (position, stage) in first.enumerated() {
                let name = Self.string(stage["name"]) ?? "stage \(stageNames.count + 1)"
                var statistics = StageStatistics(name: name)
                var parts: [ReportValue] = []
                for report in segment.reports {
                    let entries = Self.items(report["stages"])
                    guard position < entries.count else { continue }
                    let entry = entries[position]
                    statistics.rowsIn += Self.integer(entry["rows_in"])
                    statistics.rowsOut += Self.integer(entry["rows_out"])
                    statistics.rowsRejected += Self.integer(entry["rows_rejected"])
                    statistics.rowsMerged += Self.integer(entry["rows_merged"])
                    statistics.seconds += Self.number(entry["seconds"])
                    if let summary = entry["summary"] { parts.append(summary) }
                }
                if Self.string(stage["seconds_measure"]) == "wall" { wholeList.insert(stages.count) }
                let summary = segment.summaries[name] ?? SummaryMerge.merge(parts)
                stageNames.append(name)
                stages.append(statistics)
                summaries.append(Self.pairs(summary))
            }
        }
        totals.stages = stages
        totals.summaries = Array(repeating: nil, count: stages.count)
        totals.rowsIn = segmentTotals.first?.rowsIn ?? 0
        totals.rowsOut = segmentTotals.last?.rowsOut ?? 0
        // The first rows of each reason in input order, as a one-machine run keeps them.
        let rejectSamples: ReportValue = .object(samples.sorted { $0.key < $1.key }.map { reason, found in
            (reason, .array(found.sorted { $0.line < $1.line }.prefix(RejectSample.limit).map(\.sample)))
        })
        for (earlier, later) in zip(segmentTotals, segmentTotals.dropFirst()) where later.rowsIn != earlier.rowsOut {
            problems.append("a segment read \(later.rowsIn) rows where the one before it kept \(earlier.rowsOut)")
        }

        // The clean rows are those the last segment wrote: its partitions counted the flagged and mailable ones.
        let lastReports = segments.last?.reports ?? []
        let flagged = lastReports.reduce(0) { $0 + Self.integer($1["headline"]?["flagged"]) }
        let mailableCounts = lastReports.compactMap { report -> Int? in
            if case .integer(let count)? = report["headline"]?["mailable"] { count } else { nil }
        }
        let firstReport = segments[0].reports[0]
        let columns = Self.items(firstReport["columns"]).map { column in
            (field: Self.string(column["field"]) ?? "", column: Self.string(column["column"]) ?? "",
             automatic: column["automatic"] == .bool(true))
        }
        var notes = facts.inputNotes
        for report in segments.flatMap(\.reports) {
            // A stage's own note (under `note` in its summary) comes back through the merged summary.
            let stageNotes = Set(Self.items(report["stages"]).compactMap { Self.string($0["summary"]?["note"]) })
            for case .string(let note) in Self.items(report["notes"]) where !stageNotes.contains(note) && !notes.contains(note) {
                notes.append(note)
            }
        }

        let failConditions = pipeline.failIf.map { condition in
            let value = RunReport.metric(condition.metric, in: totals, stageSummaries: summaries)
            return (condition: condition, value: value, crossed: condition.holds(for: value))
        }
        var failure: String?
        if !totals.accountingHolds || !problems.isEmpty {
            let identity = "rows_in \(totals.rowsIn), rows_out \(totals.rowsOut), rows_rejected \(totals.rowsRejected), rows_merged \(totals.rowsMerged)"
            failure = "accounting identity broken across partitions: \(identity)"
                + (problems.isEmpty ? "" : " (\(problems.prefix(3).joined(separator: "; ")))") + "; no output was published"
        } else if let crossed = failConditions.first(where: \.crossed) {
            failure = "fail_if crossed: \(crossed.condition.metric) = \(PipelineRunner.format(crossed.value)) "
                + "\(crossed.condition.comparison.rawValue) \(PipelineRunner.format(crossed.condition.threshold)); the output was not published"
        }

        var report = RunReport(
            pipeline: pipeline.name, pipelineFile: facts.pipelinePath, input: facts.input, output: facts.output,
            rejects: facts.rejects, startedAt: facts.startedAt, seconds: facts.seconds,
            jobs: segments[0].reports.reduce(0) { $0 + Self.integer($1["jobs"]) }, totals: totals, columns: columns,
            outputColumns: Self.items(lastReports.first?["output_columns"]).compactMap(Self.string),
            failConditions: failConditions, stageSummaries: summaries, failure: failure, notes: notes)
        report.inputChecksum = facts.inputChecksum
        report.wholeListStages = wholeList
        report.mergedRejectSamples = rejectSamples
        report.rowsFlagged = flagged
        report.rowsMailable = mailableCounts.isEmpty ? nil : mailableCounts.reduce(0, +)
        return report
    }

    private static func counts(_ report: ReportValue) -> (rowsIn: Int, rowsOut: Int, rowsRejected: Int, rowsMerged: Int) {
        (integer(report["rows_in"]), integer(report["rows_out"]), integer(report["rows_rejected"]), integer(report["rows_merged"]))
    }

    static func integer(_ value: ReportValue?) -> Int {
        if case .integer(let number)? = value { number } else { 0 }
    }

    static func integerOrNil(_ value: ReportValue?) -> Int? {
        if case .integer(let number)? = value { number } else { nil }
    }

    static func number(_ value: ReportValue?) -> Double {
        switch value {
        case .integer(let number)?: Double(number)
        case .number(let number)?: number
        default: 0
        }
    }

    static func string(_ value: ReportValue?) -> String? {
        if case .string(let text)? = value { text } else { nil }
    }

    static func items(_ value: ReportValue?) -> [ReportValue] {
        if case .array(let items)? = value { items } else { [] }
    }

    static func pairs(_ value: ReportValue?) -> [(String, ReportValue)] {
        if case .object(let pairs)? = value { pairs } else { [] }
    }
}
