import ArgumentParser
import Foundation
import LeadHygiene
import RunStore

/// `leadhygiene store runs|stats|prune|vacuum STORE`: look into a run store and keep it from growing forever.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect and prune a run store (the SQLite file a pipeline's store: names).",
        subcommands: [Runs.self, Stats.self, Prune.self, Vacuum.self, Import.self])

    /// Opens an existing store; a path with no store is an error, never a new empty store.
    static func open(_ path: String, log: CommandLog) throws -> RunStore {
        try requireExisting(path, log: log)
        log.started(["store": .string(path)])
        return try RunStore(path: path)
    }

    /// Stops the command when there is no store at `path` (the lock would otherwise make an empty one).
    static func requireExisting(_ path: String, log: CommandLog) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        printError("error: no run store at \(path)")
        log.log(.error, phase: "open", "no run store", ["store": .string(path)])
        throw ExitCode(ExitStatus.runFailed)
    }

    /// ``open(_:log:)`` for a command that changes the store, holding it against runs recording meanwhile.
    static func openForWriting(_ path: String, log: CommandLog, _ work: (RunStore) throws -> Void) throws {
        try requireExisting(path, log: log)
        let lock = try StoreWriterLock(path: path)
        defer { lock.release() }
        let store = try open(path, log: log)
        defer { try? store.close() }
        try work(store)
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded runs, oldest first.")
        @Argument(help: "The run store (SQLite file).") var store: String
        @Option(help: "Only the runs of this pipeline (history).") var pipeline: String?
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("store runs", logging)
            let iso = ISO8601DateFormatter()
            let runs = try StoreCommand.open(store, log: log).runs(pipeline: pipeline)
            print("id\tpipeline\treference_time\tfinished_at\trows_in\trows_out\trows_rejected\trows_merged\tsnapshots\tinput_checksum")
            for run in runs {
                print([run.id.map(String.init) ?? "", run.pipeline, iso.string(from: run.referenceTime), iso.string(from: run.finishedAt),
                       String(run.rowsIn), String(run.rowsActive), String(run.rowsRejected), String(run.rowsMerged),
                       String(run.snapshotCount), run.inputChecksum].joined(separator: "\t"))
            }
            log.finished("listed the runs", ["runs": .stringConvertible(runs.count)])
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rows per table and the store's size.")
        @Argument(help: "The run store (SQLite file).") var store: String
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("store stats", logging)
            let statistics = try StoreCommand.open(store, log: log).statistics()
            for (table, rows) in statistics.rows { print("\(table)\t\(rows) rows") }
            print("size\t\(statistics.bytes) bytes (\(statistics.freeBytes) free; `leadhygiene store vacuum` gives them back)")
            log.finished("counted the rows", ["bytes": .stringConvertible(statistics.bytes), "free_bytes": .stringConvertible(statistics.freeBytes)])
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the runs of each pipeline beyond the last N, or older than N days, with their snapshots and enrichment values.",
            discussion: """
                With --keep and --keep-days a run is removed when it is beyond the last --keep runs and its reference \
                time is more than --keep-days days ago: a run either option keeps stays. With --keep-days alone the \
                last run always stays (decay compares with it). The same rule as the pipeline's store: { keep_runs, keep_days }.
                """)
        @Argument(help: "The run store (SQLite file).") var store: String
        @Option(help: "How many runs of each pipeline to keep (at least 1: decay compares with the last one).") var keep: Int?
        @Option(help: ArgumentHelp("Keep every run of the last N days as well (by reference time, 1–36500).", valueName: "N"))
        var keepDays: Int?
        @Option(help: "Only this pipeline (history).") var pipeline: String?
        @OptionGroup var logging: LogOptions

        func validate() throws {
            if keep == nil, keepDays == nil { throw ValidationError("give --keep N, --keep-days N or both") }
            if let keep, keep < 1 { throw ValidationError("--keep must be at least 1; decay compares each run with the last one") }
            if let keepDays, !(1...36_500).contains(keepDays) { throw ValidationError("--keep-days must be 1–36500") }
        }

        func run() throws {
            let log = try CommandLog("store prune", logging)
            // --keep-days alone: the age decides, and the last run always stays.
            let keepRuns = keep ?? 1
            var removed = 0
            try StoreCommand.openForWriting(store, log: log) { runStore in
                removed = try pipeline.map { try runStore.pruneRuns(pipeline: $0, keepingLast: keepRuns, keepingDays: keepDays) }
                    ?? runStore.pruneAllRuns(keepingLast: keepRuns, keepingDays: keepDays)
            }
            let kept = switch (keep, keepDays) {
            case (let keep?, let days?): "kept the last \(keep) of each pipeline and those of the last \(days) days"
            case (nil, let days?): "kept those of the last \(days) days and the last of each pipeline"
            default: "kept the last \(keepRuns) of each pipeline"
            }
            print("removed \(removed) runs; \(kept)")
            log.finished("pruned the runs", ["runs_removed": .stringConvertible(removed), "keep_runs": .stringConvertible(keepRuns),
                                             "keep_days": keepDays.map { .stringConvertible($0) } ?? .string("")])
        }
    }

    struct Vacuum: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give the space of pruned runs back to the file system.")
        @Argument(help: "The run store (SQLite file).") var store: String
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("store vacuum", logging)
            var saved = 0
            try StoreCommand.openForWriting(store, log: log) { saved = try $0.vacuum() }
            print("vacuumed: \(saved) bytes given back")
            log.finished("vacuumed the store", ["bytes_given_back": .stringConvertible(saved)])
        }
    }
}
