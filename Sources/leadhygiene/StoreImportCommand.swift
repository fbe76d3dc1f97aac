import ArgumentParser
import Foundation
import LeadHygiene
import PipelineSpec

extension StoreCommand {
    /// `leadhygiene store import`: the driver of a distributed run records it, as `leadhygiene run` records itself.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Record a distributed run (scripts/leadhygiene_spark.py) in the run store, from what its tasks staged and its merged report.",
            discussion: """
                Each --staged FILE is what one whole-list task wrote with `run --envelope --staged FILE` (decay's \
                snapshots and enrichment values, dedupe's entity ids, route's assignments), given in the order the \
                stages ran. The run row takes its counts and input checksum from --report (the report `report merge` \
                wrote), and everything goes in in one transaction; then the report (and --html-report) is rewritten to \
                name the recorded run, as a one-machine run's is. Exit codes: 0 recorded (or already recorded: the same \
                input at the same reference time); 1 refused, the store left as it was: the report says the run failed, \
                or the store recorded another run after the tasks read it, or a file could not be read; 2 usage or \
                pipeline-file error.
                """)

        @Argument(help: "The pipeline file (YAML) the run ran.") var pipeline: String
        @Option(help: "The run store, in place of the pipeline's store: path.") var store: String?
        @Option(help: "A file a whole-list task staged (repeat, in stage order).") var staged: [String] = []
        @Option(help: "The run's merged report.json; rewritten to name the recorded run.") var report: String
        @Option(help: "The report's HTML page, rewritten with it.") var htmlReport: String?
        @Option(help: "The clean output the run published, kept with the run (with --rejects and --merged; default: the output and rejects the report names).") var output: String?
        @Option(help: "The rejects file the run published.") var rejects: String?
        @Option(help: "The merged rows' file the run published.") var merged: String?
        @Option(help: ArgumentHelp("When another LeadHygiene process is recording in the store, wait up to SECONDS for it instead of failing at once.",
                                   valueName: "SECONDS"))
        var waitForStore: Double?
        @Flag(help: "Print nothing but errors.") var quiet = false
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("store import", logging)
            log.started(["pipeline": .string(pipeline), "report": .string(report)])
            var importing = StagedRunImport(pipelinePath: pipeline, storePath: store, stagedPaths: staged, reportPath: report,
                                            htmlReportPath: htmlReport)
            importing.writtenFiles = [("output", output), ("rejects", rejects), ("merged", merged)].compactMap { role, path in
                path.map { (role, $0) }
            }
            importing.waitForStoreSeconds = max(0, min(waitForStore ?? 0, 86_400))
            do {
                let outcome = try importing.run()
                if !quiet {
                    printError(outcome.summaryLine)
                    if outcome.cacheEntriesSaved > 0 {
                        printError("store: \(outcome.cacheEntriesSaved) DNS and SMTP verdicts and pages the tasks found were kept for the next run")
                    }
                }
                log.finished("run recorded in the store", [
                    "store": .string(outcome.storePath), "store_run_id": .stringConvertible(outcome.runID ?? 0),
                    "already_recorded": .stringConvertible(outcome.alreadyRecorded),
                    "cache_entries_saved": .stringConvertible(outcome.cacheEntriesSaved),
                ])
            } catch let refused as StagedRunImportError {
                printError("error: \(refused)")
                throw ExitCode(ExitStatus.runFailed)
            } catch {
                throw ExitStatus.exit(for: error, failure: "error: store import failed")
            }
        }
    }
}
