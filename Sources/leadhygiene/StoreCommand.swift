import ArgumentParser
import Foundation
import RunStore

/// `leadhygiene store runs|stats|prune|vacuum STORE`: look into a run store and keep it from growing forever.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect and prune a run store (the SQLite file a pipeline's store: names).",
        subcommands: [Runs.self, Stats.self, Prune.self, Vacuum.self])

    /// Opens an existing store; a path with no store is an error, never a new empty store.
    static func open(_ path: String) throws -> RunStore {
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: no run store at \(path)")
            throw ExitCode(ExitStatus.runFailed)
        }
        return try RunStore(path: path)
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded runs, oldest first.")
        @Argument(help: "The run store (SQLite file).") var store: String
        @Option(help: "Only the runs of this pipeline (history).") var pipeline: String?

        func run() throws {
            let iso = ISO8601DateFormatter()
            print("id\tpipeline\treference_time\tfinished_at\trows_in\trows_out\trows_rejected\trows_merged\tsnapshots\tinput_checksum")
            for run in try StoreCommand.open(store).runs(pipeline: pipeline) {
                print([run.id.map(String.init) ?? "", run.pipeline, iso.string(from: run.referenceTime), iso.string(from: run.finishedAt),
                       String(run.rowsIn), String(run.rowsActive), String(run.rowsRejected), String(run.rowsMerged),
                       String(run.snapshotCount), run.inputChecksum].joined(separator: "\t"))
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rows per table and the store's size.")
        @Argument(help: "The run store (SQLite file).") var store: String

        func run() throws {
            let statistics = try StoreCommand.open(store).statistics()
            for (table, rows) in statistics.rows { print("\(table)\t\(rows) rows") }
            print("size\t\(statistics.bytes) bytes (\(statistics.freeBytes) free; `leadhygiene store vacuum` gives them back)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove all but the last N runs of each pipeline, with their snapshots and enrichment values.")
        @Argument(help: "The run store (SQLite file).") var store: String
        @Option(help: "How many runs of each pipeline to keep (at least 1: decay compares with the last one).") var keep: Int
        @Option(help: "Only this pipeline (history).") var pipeline: String?

        func validate() throws {
            if keep < 1 { throw ValidationError("--keep must be at least 1; decay compares each run with the last one") }
        }

        func run() throws {
            let runStore = try StoreCommand.open(store)
            let removed = try pipeline.map { try runStore.pruneRuns(pipeline: $0, keepingLast: keep) }
                ?? runStore.pruneAllRuns(keepingLast: keep)
            print("removed \(removed) runs; kept the last \(keep) of each pipeline")
        }
    }

    struct Vacuum: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give the space of pruned runs back to the file system.")
        @Argument(help: "The run store (SQLite file).") var store: String

        func run() throws {
            let saved = try StoreCommand.open(store).vacuum()
            print("vacuumed: \(saved) bytes given back")
        }
    }
}
