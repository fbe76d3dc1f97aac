import ArgumentParser
import Foundation
import LeadHygiene
import LeadIO
import PipelineSpec

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a pipeline file: read, run every stage, write output, rejects and report.")

    @Argument(help: "The pipeline file (YAML).") var pipeline: String
    @Option(help: "Input file, overriding the pipeline's input.path; - reads standard input.") var input: String?
    @Option(help: "Output file, overriding output.path; - writes standard output.") var output: String?
    @Option(help: "Rejects file, overriding output.rejects.") var rejects: String?
    @Option(help: "Report file (JSON), overriding output.report.") var report: String?
    @Option(help: "Threads that do the work, reading and writing included (default: number of cores; env LEADHYGIENE_JOBS).")
    var jobs: Int?
    @Option(help: "The run store (SQLite file), overriding the path of the pipeline's store: (env LEADHYGIENE_STORE).")
    var store: String?
    @Option(help: ArgumentHelp(
        "When another LeadHygiene process is recording in the run store, wait up to SECONDS for it instead of failing at once.",
        valueName: "SECONDS"))
    var waitForStore: Double?
    @Option(help: ArgumentHelp("The run's reference time (ISO 8601), for reproducible ages and decay.", visibility: .hidden))
    var now: String?
    @Option(help: "Read only the first N rows, to try a pipeline on a big list (the run is not recorded in the store).")
    var limit: Int?
    @Flag(help: "Read and run every stage, print the summary, write nothing (no output, rejects, report or store).")
    var dryRun = false
    @Flag(help: "Print nothing but errors: no progress line and no summary, only the verdict, accounting and reason of a failed run.")
    var quiet = false
    @Option(help: "json: print the headline and what each stage found as one JSON object on standard output.")
    var summary: SummaryFormat?
    @Flag(help: ArgumentHelp(
        "Run one partition of a distributed run (scripts/leadhygiene_spark.py): read an envelope that `leadhygiene envelope encode` wrote from --input (default -), write every row as an envelope line to standard output and a summary line last; --output and --rejects only name the files whose format the lines carry."))
    var envelope = false
    @Option(help: ArgumentHelp(
        "With --envelope: run only the stages FIRST to LAST (1-based, as the pipeline lists them), on rows an earlier segment's envelope carries.",
        valueName: "FIRST-LAST"))
    var stages: String?
    @Flag(help: ArgumentHelp(
        "With --envelope: also write every row this segment sets aside, and every row an earlier segment carried here, as a `carried` line with its values and disposition, for a later segment whose decay (with a store) sees every row; carried rows are neither counted nor written again."))
    var carry = false
    @Option(help: ArgumentHelp(
        "With --envelope: open the run store to read it (store:, or --store) and write what the stages stage for it to FILE, for `leadhygiene store import` to record once the outputs are published.",
        valueName: "FILE"))
    var staged: String?
    @OptionGroup var logging: LogOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let waitForStore, !(waitForStore >= 0 && waitForStore <= 86_400) {
            throw ValidationError("--wait-for-store must be a number of seconds from 0 to 86400")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if jobs == nil, let text = ProcessInfo.processInfo.environment["LEADHYGIENE_JOBS"], (Int(text) ?? 0) < 1 {
            throw ValidationError("LEADHYGIENE_JOBS must be a whole number of at least 1, found '\(text)'")
        }
        if store == nil, let text = ProcessInfo.processInfo.environment["LEADHYGIENE_STORE"], text.isEmpty {
            throw ValidationError("LEADHYGIENE_STORE must name the run store's file, found an empty value")
        }
        if summary == .json, output == "-" {
            throw ValidationError("--summary json writes standard output, which --output - already fills with the clean rows")
        }
        if envelope, summary != nil { throw ValidationError("--envelope ends its output with the summary line; --summary does not apply") }
        if envelope, dryRun || limit != nil { throw ValidationError("--envelope runs every row it is given; --dry-run and --limit do not apply") }
        if let stages {
            guard envelope else { throw ValidationError("--stages runs a segment of a distributed run; it needs --envelope") }
            guard Self.stageRange(stages) != nil else { throw ValidationError("--stages must be FIRST-LAST, such as 2-3, found '\(stages)'") }
        }
        if carry, !envelope { throw ValidationError("--carry hands set-aside rows to a later segment of a distributed run; it needs --envelope") }
        if staged != nil, !envelope { throw ValidationError("--staged writes a segment's staged rows for `store import`; it needs --envelope") }
        if let now, ISO8601DateFormatter().date(from: now) == nil { throw ValidationError("--now must be an ISO 8601 time such as 2026-11-26T00:00:00Z") }
    }

    func run() throws {
        TemporaryFiles.removeOnInterrupt()
        // LEADHYGIENE_JOBS sets --jobs for data jobs that configure through the environment; the flag wins.
        let jobs = jobs ?? ProcessInfo.processInfo.environment["LEADHYGIENE_JOBS"].flatMap(Int.init)
        var overrides = RunOverrides(input: envelope ? input ?? "-" : input, output: output, rejects: rejects, report: report, jobs: jobs,
                                     now: now.flatMap { ISO8601DateFormatter().date(from: $0) })
        overrides.limit = limit
        overrides.dryRun = dryRun
        overrides.envelope = envelope
        overrides.stageRange = stages.flatMap(Self.stageRange)
        overrides.carriesSetAside = carry
        // Flag, then environment, then the pipeline file: LEADHYGIENE_STORE points a data job at its own store.
        overrides.store = store ?? ProcessInfo.processInfo.environment["LEADHYGIENE_STORE"]
        overrides.exportsStaging = staged != nil
        overrides.stagedPath = staged
        overrides.storeWaitSeconds = waitForStore ?? 0
        do {
            // Log lines at info or debug would break into a terminal's progress line, so it is left off then.
            var runner = PipelineRunner(pipelinePath: pipeline, overrides: overrides,
                                        showProgress: !quiet && ProgressLine.isTerminal && !logging.logsProgress)
            runner.logger = try logging.makeLogger()
            if let staged {
                let export = try StagedRunExport(pipelinePath: pipeline, storePath: overrides.store, referenceTime: overrides.now ?? Date())
                runner.exportStaging = { staging in try export.write(staging, to: staged) }
            }
            let outcome = try runner.run()
            if envelope {
                // After the rows: the driver merges the partitions' reports and checks their accounting.
                FileHandle.standardOutput.write(Data(EnvelopeWriter.summary(reportJSON: outcome.report.json.json())))
                if let failed = outcome.report.quietSummary { printError(failed) }
                throw ExitCode(outcome.exitCode)
            }
            if quiet {
                if let failed = outcome.report.quietSummary { printError(failed) }
            } else {
                printError(outcome.report.summary)
            }
            if summary == .json {
                // The pipeline file may send the clean rows to standard output: the JSON would be mixed into them.
                if outcome.report.output == "-" {
                    printError("note: --summary json was not printed: the clean rows went to standard output")
                } else {
                    print(outcome.report.summaryJSON.json())
                }
            }
            if outcome.report.rejects == nil && outcome.report.totals.rowsRejected > 0 {
                printError("warning: \(outcome.report.totals.rowsRejected) rejected rows were not saved; pass --rejects FILE")
            }
            throw ExitCode(outcome.exitCode)
        } catch let error as ReaderStoppedError {
            printError("note: \(error)")
            throw ExitCode(ReaderStoppedError.exitStatus)
        } catch {
            throw ExitStatus.exit(for: error, failure: "error: run failed")
        }
    }
}

extension RunCommand {
    /// `2-3` → 2...3; `4` → 4...4; `nil` for anything else.
    static func stageRange(_ text: String) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count == 1 || bounds.count == 2, let first = bounds.first ?? nil, let last = bounds.last ?? nil,
              first >= 1, first <= last
        else { return nil }
        return first...last
    }
}

/// `--summary FORMAT`: the run's summary for jobs, on standard output.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    case json
}
