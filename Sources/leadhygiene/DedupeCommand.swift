import ArgumentParser
import DedupeStage
import Foundation
import LeadHygiene
import LeadIO
import PipelineSpec

/// `leadhygiene dedupe …`: the steps of the dedupe stage one at a time, so a distributed run
/// (scripts/leadhygiene_spark.py) can spread them over many processes and still find the entities one run finds.
struct DedupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "The steps of a pipeline's dedupe stage over envelope lines, for a distributed run (docs/spark.md).",
        discussion: """
            Every step reads the pipeline and the rows as `run --envelope --stages K-K` does (an envelope header, \
            then row lines; --input, default -), and names rows by their seq. Steps: keys (per row, its block key \
            per rule and comparison key per field), sample (the random pairs training draws), compare (patterns of \
            pairs), fit (the model from histograms), score (pairs at or above the threshold), cluster (entities of \
            whole connected components, written as run --envelope writes rows), assign (every cluster task's entities \
            named again as one run names them). Exit codes: 0 done; 1 the run \
            failed; 2 usage or pipeline-file error.
            """,
        subcommands: [Keys.self, Sample.self, Compare.self, Fit.self, Score.self, Cluster.self, Assign.self])

    /// What every step is told: the pipeline, which of its stages is the dedupe, and where the envelope is.
    struct StepOptions: ParsableArguments {
        @Argument(help: "The pipeline file (YAML).") var pipeline: String
        @Option(help: "The dedupe stage's position in the pipeline (1-based).") var stage: Int
        @Option(help: "The envelope (a header line, then rows); - reads standard input.") var input: String = "-"
        @OptionGroup var logging: LogOptions

        func validate() throws {
            if stage < 1 { throw ValidationError("--stage is the dedupe stage's position, 1 or more") }
        }
    }

    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per row: its block key per blocking rule and its comparison key per field.",
            discussion: """
                First line: {"kind":"keys","rules":[…],"max_block_sizes":[…],"fields":[…],"threshold":…,"single_task_options":[…],"columns":[…]} \
                (options set that only a one-task run honours: review, labels; the columns compare and score read); then per \
                row {"seq":S,"keys":[hex or null per rule],"values":[hex comparison key or null per field]}, with \
                --compact-rows ending in ,"row":{COLUMN:VALUE,…} (the columns compare and score read, and no others).
                """)
        @OptionGroup var step: StepOptions
        @Flag(help: "Also write each row cut to the columns compare and score read, as the row object of their input.")
        var compactRows = false
        func run() throws { try DedupeCommand.run(step, .keys(compactRows: compactRows)) }
    }

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The random pairs training draws over ROWS rows, as [x,y] row indices (0-based, in input order).")
        @OptionGroup var step: StepOptions
        @Option(help: "The rows of the whole list.") var rows: Int
        func run() throws { try DedupeCommand.run(step, .sample(rows: rows)) }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The comparison pattern of each pair in --pairs, over the rows given.",
            discussion: "Writes {\"a\":SEQ,\"b\":SEQ,\"pattern\":HEX} per pair, in the order of --pairs.")
        @OptionGroup var step: StepOptions
        @Option(help: "The pairs: one 'SEQ SEQ' per line; both rows must be in the input.") var pairs: String
        @Flag(help: "Compare as training compares random pairs (no dependencies between fields).") var random = false
        func run() throws { try DedupeCommand.run(step, .compare(pairs: try DedupeCommand.readPairs(pairs), dependencies: !random)) }
    }

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The model from the candidate pairs' and random pairs' histograms (standard input), as a model file.",
            discussion: """
                Reads {"pattern":HEX,"rules":MASK,"count":N} (candidate pairs) and {"random":HEX,"count":N} lines from \
                standard input; --input is then the envelope header alone. Writes the model (JSON, every number as its \
                bit pattern) on standard output.
                """)
        @OptionGroup var step: StepOptions
        @Option(help: "The rows of the whole list.") var rows: Int
        func run() throws {
            var candidates: [RuledPattern: Int] = [:], random: [ComparisonPattern: Int] = [:]
            for line in try DedupeCommand.lines(of: "-") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let count = object["count"] as? Int else { throw ValidationError("fit: not a histogram line: \(line)") }
                if let text = object["random"] as? String, let bits = UInt64(text, radix: 16) {
                    random[ComparisonPattern(bits: bits), default: 0] += count
                } else if let text = object["pattern"] as? String, let bits = UInt64(text, radix: 16), let rules = object["rules"] as? Int {
                    candidates[RuledPattern(pattern: ComparisonPattern(bits: bits), rules: UInt16(rules)), default: 0] += count
                } else {
                    throw ValidationError("fit: not a histogram line: \(line)")
                }
            }
            try DedupeCommand.run(step, .fit(candidates: candidates, random: random, rows: rows))
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The pairs in --pairs whose match weight reaches the threshold, weighed with the fitted model.",
            discussion: "Writes {\"a\":SEQ,\"b\":SEQ,\"weight\":HEX bit pattern} per such pair.")
        @OptionGroup var step: StepOptions
        @Option(help: "The pairs: one 'SEQ SEQ' per line; both rows must be in the input.") var pairs: String
        @Option(help: "The model file `dedupe fit` wrote.") var model: String
        @Option(help: "The whole list's counts (JSON: rows, nonNull, counts, oversized).") var globals: String
        func run() throws {
            try DedupeCommand.run(step, .score(pairs: try DedupeCommand.readPairs(pairs), model: try DedupeCommand.decode(model),
                                               globals: try DedupeCommand.decode(globals)))
        }
    }

    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runs the dedupe stage on rows that make whole connected components, with the fitted model and the whole list's counts.",
            discussion: """
                Writes what `run --envelope --stages K-K` writes: a header line, a line per row, reject and merged row, a \
                summary line. With --entities, also a line per entity it formed, in entity order, for `dedupe assign`: \
                {"first":LINE,"size":ROWS,"key":SMALLEST RECORD KEY,"votes":{ID:ROWS,…},"id":ID,"keys":[RECORD KEY,…]} \
                (votes: the IDs its rows had in the store's last run). With --store and --staged, it reads the store (a \
                copy; nothing is written there) and stages its entity IDs in FILE, as `run --envelope --staged` does.
                """)
        @OptionGroup var step: StepOptions
        @Option(help: "The model file `dedupe fit` wrote.") var model: String
        @Option(help: "The whole list's counts (JSON: rows, nonNull, counts, oversized).") var globals: String
        @Option(help: "Names the clean file whose format the lines carry.") var output: String?
        @Option(help: "Names the rejects file whose format the lines carry.") var rejects: String?
        @Option(help: "The run's reference time (ISO 8601).") var now: String?
        @Option(help: "Where to write a line per entity formed, for `dedupe assign`.") var entities: String?
        @Option(help: "The IDs `dedupe assign` gave ({\"first\":LINE,\"id\":ID} lines, LINE the entity's first row): they replace this task's own.")
        var entityIds: String?
        @Option(help: "The run store to read (the driver's copy), in place of the pipeline's store: path.") var store: String?
        @Option(help: "Read the run store and write what the stage stages for it (entity IDs) to FILE, for `store import`.")
        var staged: String?

        func validate() throws {
            if let now, ISO8601DateFormatter().date(from: now) == nil { throw ValidationError("--now must be ISO 8601") }
        }

        func run() throws {
            let assigned = try entityIds.map(DedupeCommand.readAssigned) ?? [:]
            let report = try entities.map(DedupeCommand.writing)
            let step = DedupeStepRequest.Step.cluster(model: try DedupeCommand.decode(model), globals: try DedupeCommand.decode(globals),
                                                      assigned: assigned)
            let request = DedupeStepRequest(step: step) { bytes in
                guard let report else { return }
                do { try report.write(contentsOf: Data(bytes)) } catch {
                    printError("error: cannot write \(entities ?? ""): \(error)")
                    Foundation.exit(ExitStatus.runFailed)
                }
            }
            var overrides = DedupeCommand.overrides(self.step)
            overrides.output = output
            overrides.rejects = rejects
            overrides.now = now.flatMap { ISO8601DateFormatter().date(from: $0) }
            overrides.store = store
            overrides.exportsStaging = staged != nil
            overrides.stagedPath = staged
            let export = try staged.map { _ in
                try StagedRunExport(pipelinePath: self.step.pipeline, storePath: store, referenceTime: overrides.now ?? Date())
            }
            let outcome = try DedupeCommand.runPipeline(self.step, overrides: overrides, request: request) { runner in
                if let export, let staged { runner.exportStaging = { staging in try export.write(staging, to: staged) } }
            }
            try report?.close()
            FileHandle.standardOutput.write(Data(EnvelopeWriter.summary(reportJSON: outcome.report.json.json())))
            if let failed = outcome.report.quietSummary { printError(failed) }
            throw ExitCode(outcome.exitCode)
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Names every cluster task's entities again, as one run over all their rows names them.",
            discussion: """
                A task names only its own entities; two parts of last week's entity in two tasks both vote for its ID, \
                and two tasks' new IDs can show the same 48 bits. Reads the --entities lines of every `dedupe cluster` \
                task (any order) and writes {"first":LINE,"id":ID} for each entity whose ID differs from the one its task \
                gave: run that task again with --entity-ids. With --conflicts ({"key":KEY,"first":LINE} lines: a record \
                key in entities of two tasks, and the first line of the last of them) and --staged FILE, writes those \
                keys with their last entity's ID as a staged file for `store import`, to give after the tasks' own.
                """)
        @Argument(help: "The pipeline file (YAML).") var pipeline: String
        @Option(help: "Every cluster task's --entities lines, one file.") var entities: String
        @Option(help: "Record keys in entities of two tasks, each with its last entity's first line.") var conflicts: String?
        @Option(help: "The run store the tasks read (the driver's copy), in place of the pipeline's store: path.") var store: String?
        @Option(help: "Write the --conflicts keys' IDs to FILE, staged for `store import`.") var staged: String?
        @Option(help: "The run's reference time (ISO 8601).") var now: String?

        func validate() throws {
            if staged != nil, conflicts == nil { throw ValidationError("--staged writes the --conflicts keys' IDs; give --conflicts") }
            if let now, ISO8601DateFormatter().date(from: now) == nil { throw ValidationError("--now must be ISO 8601") }
        }

        func run() throws {
            let decoder = JSONDecoder()
            let reported = try DedupeCommand.lines(of: entities).map { line in
                do { return try decoder.decode(ReportedEntity.self, from: Data(line.utf8)) } catch {
                    throw ValidationError("\(entities): not an entity line: \(line.prefix(200))")
                }
            }
            let ids = ReportedEntity.assign(reported)
            var out = ""
            for entity in reported.sorted(by: { $0.first < $1.first }) where ids[entity.first] != entity.id {
                out += "{\"first\":\(entity.first),\"id\":\"\(ids[entity.first]!)\"}\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            guard let conflicts, let staged else { return }
            struct Conflict: Decodable { var key: String; var first: Int }
            var byKey: [String: String] = [:]
            for line in try DedupeCommand.lines(of: conflicts) {
                let conflict = try decoder.decode(Conflict.self, from: Data(line.utf8))
                guard let id = ids[conflict.first] else {
                    throw ValidationError("\(conflicts): line \(conflict.first) is no entity's first line")
                }
                byKey[conflict.key] = id
            }
            do {
                try StagedRunExport(pipelinePath: pipeline, storePath: store, referenceTime: now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date())
                    .write(entityIDs: byKey, to: staged)
            } catch {
                throw ExitStatus.exit(for: error, failure: "error: dedupe assign failed")
            }
        }
    }
}

extension DedupeCommand {
    /// The overrides of one step: an envelope run of the dedupe stage alone, with one thread (a task per core).
    static func overrides(_ step: StepOptions) -> RunOverrides {
        var overrides = RunOverrides(input: step.input, jobs: 1)
        overrides.envelope = true
        overrides.stageRange = step.stage...step.stage
        return overrides
    }

    /// Runs the step: the rows the run would write go nowhere (standard output is the null device meanwhile), the
    /// step's own lines go to standard output.
    static func run(_ step: StepOptions, _ what: DedupeStepRequest.Step) throws {
        let saved = dup(STDOUT_FILENO)
        guard saved >= 0 else { throw ExitCode(ExitStatus.runFailed) }
        let out = FileHandle(fileDescriptor: saved, closeOnDealloc: true)
        let request = DedupeStepRequest(step: what) { bytes in
            // A reader that stopped reading (`| head`) ends the step, as it ends a run.
            do { try out.write(contentsOf: Data(bytes)) } catch { Foundation.exit(ReaderStoppedError.exitStatus) }
        }
        let null = open("/dev/null", O_WRONLY)
        fflush(nil)
        dup2(null, STDOUT_FILENO)
        close(null)
        let outcome: PipelineRunner.Outcome
        do {
            defer { fflush(nil); dup2(saved, STDOUT_FILENO) }
            outcome = try runPipeline(step, overrides: overrides(step), request: request)
        }
        if outcome.exitCode != 0, let failed = outcome.report.quietSummary { printError(failed) }
        throw ExitCode(outcome.exitCode)
    }

    static func runPipeline(_ step: StepOptions, overrides: RunOverrides, request: DedupeStepRequest,
                            preparing: (inout PipelineRunner) -> Void = { _ in }) throws -> PipelineRunner.Outcome {
        do {
            var runner = PipelineRunner(pipelinePath: step.pipeline, overrides: overrides)
            runner.logger = try step.logging.makeLogger()
            runner.services.provide(DedupeStepRequest.self) { request }
            preparing(&runner)
            return try runner.run()
        } catch {
            throw ExitStatus.exit(for: error, failure: "error: dedupe step failed")
        }
    }

    static func lines(of path: String) throws -> [String] {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }

    /// `dedupe assign`'s lines: the ID of each entity named by the line of its first row.
    static func readAssigned(_ path: String) throws -> [Int: String] {
        var assigned: [Int: String] = [:]
        for line in try lines(of: path) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let first = object["first"] as? Int, let id = object["id"] as? String else {
                throw ValidationError("\(path): an assigned ID is {\"first\":LINE,\"id\":ID}, found '\(line.prefix(200))'")
            }
            assigned[first] = id
        }
        return assigned
    }

    /// A new file at `path` (replacing one there), to write to.
    static func writing(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write '\(path)'")
        }
        return handle
    }

    static func readPairs(_ path: String) throws -> [LinePair] {
        try lines(of: path).map { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else {
                throw ValidationError("\(path): a pair is 'SEQ SEQ', found '\(line)'")
            }
            return LinePair(a, b)
        }
    }

    static func decode<T: Decodable>(_ path: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            printError("error: \(path): \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
