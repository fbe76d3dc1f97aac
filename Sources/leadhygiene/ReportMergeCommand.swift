import ArgumentParser
import Foundation
import LeadHygiene
import LeadIO
import PipelineFileLoading

extension ReportCommand {
    /// `leadhygiene report merge`: the report.json (and HTML page) of a distributed run, from the reports its
    /// partitions wrote, as a one-machine run of the pipeline writes them.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge a distributed run's partition reports into the report a one-machine run writes (scripts/leadhygiene_spark.py).",
            discussion: """
                --parts holds one JSON line per partition, {"segment":K,"report":{…}}, the report each \
                `run --envelope` partition ended with (K counts the pipeline's segments from 0), and may replace a \
                stage's merged summary with {"segment":K,"stage":NAME,"summary":{…}}. Counts add up over partitions; \
                the accounting identity is checked for every partition and across segments; fail_if is evaluated on \
                the whole list. Exit codes: 0 the run passed; 1 the accounting is broken, a partition failed or a \
                fail_if threshold was crossed (the report says which), or a file could not be read or written; 2 \
                usage or pipeline-file error.
                """)

        @Argument(help: "The pipeline file (YAML) the partitions ran.") var pipeline: String
        @Option(help: "The partitions' reports (JSONL); - reads standard input.") var parts: String = "-"
        @Option(help: "Where to write the merged report (JSON).") var report: String
        @Option(help: "Where to write the report's HTML page, as output.html_report holds it.") var html: String?
        @Option(help: "The input the run read, as the report names it (default: the pipeline's input.path).") var input: String?
        @Option(help: "The clean output, as the report names it (default: the pipeline's output.path).") var output: String?
        @Option(help: "The rejects file, as the report names it (default: the pipeline's output.rejects).") var rejects: String?
        @Option(help: "The whole run's seconds, as the driver measured them.") var seconds: Double = 0
        @Option(help: "How the input was read (`envelope encode --facts`): its notes and checksum go into the report.")
        var inputFacts: String?
        @Flag(help: "Print nothing but errors (default: the run's summary on standard error).") var quiet = false
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("report merge", logging)
            log.started(["pipeline": .string(pipeline), "parts": .string(parts)])
            let file: PipelineFile
            do {
                file = try PipelineFileLoader(stages: StageRegistry.descriptors).load(path: pipeline)
            } catch {
                throw ExitStatus.exit(for: error)
            }
            let reports: PartitionReports
            do {
                let data = parts == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: parts))
                reports = try PartitionReports(lines: String(decoding: data, as: UTF8.self))
            } catch {
                printError("error: \(parts == "-" ? "standard input" : parts): \(error)")
                throw ExitCode(ExitStatus.runFailed)
            }
            var facts = PartitionReports.RunFacts(
                pipelinePath: pipeline, input: input ?? file.input.path ?? "-", output: output ?? file.output.path ?? "-",
                rejects: rejects ?? file.output.rejectsPath, startedAt: Date(timeIntervalSinceNow: -seconds), seconds: seconds)
            if let inputFacts {
                do {
                    let read = try EnvelopeInputFacts(json: String(decoding: try Data(contentsOf: URL(fileURLWithPath: inputFacts)), as: UTF8.self))
                    facts.inputNotes = read.notes
                    facts.inputChecksum = read.inputChecksum
                } catch {
                    printError("error: \(inputFacts): \(error)")
                    throw ExitCode(ExitStatus.runFailed)
                }
            }
            let merged = reports.report(pipeline: file, facts: facts)
            do {
                try merged.write(to: report, html: html)
            } catch {
                printError("error: \(report) could not be written: \(error)")
                throw ExitCode(ExitStatus.runFailed)
            }
            if quiet {
                if let failed = merged.quietSummary { printError(failed) }
            } else {
                printError(merged.summary)
            }
            log.finished("merged the partitions' reports", ["report": .string(report), "status": .string(merged.failure == nil ? "ok" : "failed")])
            throw ExitCode(merged.failure == nil ? ExitStatus.success : ExitStatus.runFailed)
        }
    }
}
