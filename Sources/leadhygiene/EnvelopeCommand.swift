import ArgumentParser
import Foundation
import LeadHygiene
import LeadIO
import PipelineFileLoading
import PipelineSpec

/// `leadhygiene envelope encode`: an input as the JSONL envelope that the partitions of a distributed run read.
struct EnvelopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envelope",
        abstract: "The JSONL envelope of a distributed run (scripts/leadhygiene_spark.py).",
        subcommands: [Encode.self, Sites.self])

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Read an input as the pipeline's run would and write it as envelope lines: a header, then one line per row with its input line as seq.",
            discussion: """
                The first line is {"kind":"input","columns":[…],"format":…,"sample":[…]}; each row is \
                {"seq":LINE,"kind":"row","row":{COLUMN:VALUE,…}} and each row the reader refuses is \
                {"seq":LINE,"kind":"reject","stage":"input","reason":…,"detail":…,"raw":…}. \
                `leadhygiene run PIPELINE --envelope` reads any slice of these lines after the header. \
                Exit codes: 0 written; 1 the input could not be read; 2 usage or pipeline-file error.
                """)

        @Argument(help: "The pipeline file (YAML): its input settings say how the input is read.") var pipeline: String
        @Option(help: "Input file, overriding the pipeline's input.path; - reads standard input.") var input: String?
        @Option(help: ArgumentHelp(
            "Also write how the input was read (the report's notes and, with a store, the input's checksum and the store's path) to FILE as JSON, for `report merge --input-facts`.",
            valueName: "FILE"))
        var facts: String?
        @Option(help: ArgumentHelp(
            "The run store the run records in, in place of the pipeline's: the input is read as a run with it reads it (its checksum in --facts). Encoding never opens it.",
            valueName: "PATH"))
        var store: String?
        @Option(help: ArgumentHelp(
            "The files the distributed run will write (--output, --rejects, --merged, --report, --html-report): checked as `run` checks its own, so two names for one file, or a file inside the input's folder, are refused before anything is read (exit 2).",
            valueName: "PATH"))
        var output: String?
        @Option(help: ArgumentHelp("See --output.", valueName: "PATH")) var rejects: String?
        @Option(help: ArgumentHelp("See --output.", valueName: "PATH")) var merged: String?
        @Option(help: ArgumentHelp("See --output.", valueName: "PATH")) var report: String?
        @Option(help: ArgumentHelp("See --output.", valueName: "PATH")) var htmlReport: String?
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("envelope encode", logging)
            log.started(["pipeline": .string(pipeline)])
            let prepared: PreparedPipeline
            let storePath: String?
            do {
                // A store given here stands for the pipeline's, as `run --store` does: without it the checksum a store
                // tells a retry by would be missing from the recorded run.
                storePath = try store ?? PipelineFileLoader(stages: StageRegistry.descriptors).load(path: pipeline).storePath
                var overrides = RunOverrides(input: input, output: output, rejects: rejects, report: report)
                overrides.merged = merged
                overrides.htmlReport = htmlReport
                if storePath != nil {
                    // With a store, the stages are bound as a run with one binds them (decay then needs the rows in
                    // order, so its segment is one task), but against an empty store: encoding never opens the run's
                    // store, which may not exist yet. A read-only open of a path that does not exist stands in an
                    // empty store of its own and creates nothing (RunStore(path:readOnly:)).
                    overrides.store = FileManager.default.temporaryDirectory
                        .appendingPathComponent("leadhygiene-encode-\(UUID().uuidString)/store.sqlite").path
                    overrides.leavesStoreUnchanged = true
                } else {
                    overrides.leavesStoreClosed = true  // encoding only reads the input
                }
                prepared = try PreparedPipeline.prepare(path: pipeline, overrides: overrides)
            } catch {
                throw ExitStatus.exit(for: error)
            }
            let out = FileHandle.standardOutput
            do {
                let encoded = try prepared.encodeEnvelope { bytes in out.write(Data(bytes)) }
                if let facts {
                    try Data((prepared.inputFacts(after: encoded, storePath: storePath).json + "\n").utf8).write(to: URL(fileURLWithPath: facts))
                }
                log.finished("envelope encode finished", ["rows": .stringConvertible(encoded.rows), "rejected": .stringConvertible(encoded.rejected)])
            } catch {
                printError("error: \(prepared.inputPath): \(error)")
                throw ExitCode(ExitStatus.runFailed)
            }
        }
    }
}
