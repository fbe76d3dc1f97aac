import Foundation
import Testing
import TestSupport

/// A run store has one writer at a time: a run that will be recorded, `forget`, `store prune` and `store vacuum`
/// refuse to start while another process holds the store, and leave it and the outputs as they were.
/// The holder is util-linux's `flock` on the store file, as a second LeadHygiene process holds it.
@Suite("run store: one writer at a time")
struct StoreWriterLockCLITests {
    static let pipeline = """
    name: weekly
    input:  { path: leads.csv }
    output: { path: out/clean.csv, report: out/report.json }
    store: { path: store/leads.sqlite }
    stages:
      - normalize: {}
      - dedupe: {}
      - decay: {}
    """

    static let leads = "Lead ID,Email,First Name,Company\nL1,jane@acme.com,Jane,Acme\nL2,ann@beta.com,Ann,Beta\n"

    /// Holds the store file's lock from another process until `body` returns.
    func whileHeld<T>(_ path: String, _ body: (_ holderPID: Int32) throws -> T) throws -> T {
        let (holder, input) = try hold(path)
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        return try body(holder.processIdentifier)
    }

    /// Starts util-linux's `flock` holding the store file until its standard input closes, and waits until it has it.
    func hold(_ path: String) throws -> (Process, Pipe) {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // `cat` holds it until its input closes. Not a `sleep`: a child started meanwhile by a test running in
        // parallel inherits this process's pipes, and that test would wait for the sleep to end.
        holder.arguments = ["--exclusive", "--no-fork", path, "cat"]
        let input = Pipe()
        holder.standardInput = input
        try holder.run()
        // Until the holder has it: a non-blocking try from here fails.
        var held = false
        for _ in 0..<200 where !held {
            held = try ProcessRunner.run("/usr/bin/flock", ["--nonblock", "--exclusive", path, "true"]).status != 0
            if !held { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(held, "flock never took the store")
        return (holder, input)
    }

    /// The weekly pipeline and its leads, run once: the store holds one run.
    func recordFirstWeek(in dir: TemporaryDirectory) throws {
        try dir.write("weekly.yml", Self.pipeline)
        try dir.write("leads.csv", Self.leads)
        let first = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet", "--now", "2026-11-01T00:00:00Z"], in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
    }

    @Test func aRunRefusesAStoreHeldByAnotherProcessAndLeavesEverythingAsItWas() throws {
        try withTemporaryDirectory { dir in
            try recordFirstWeek(in: dir)
            try FileManager.default.removeItem(atPath: dir.path("out"))
            let store = dir.path("store/leads.sqlite")
            let before = try Data(contentsOf: URL(fileURLWithPath: store))

            try whileHeld(store) { pid in
                let refused = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet", "--now", "2026-11-08T00:00:00Z"], in: dir.url)
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("the run store is in use by another LeadHygiene process (pid \(pid))"), "\(refused.stderr)")
                #expect(!dir.exists("out"), "no output is written by a run that cannot be recorded")
                // A dry run records nothing, so it does not need the store to itself.
                let dry = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--dry-run", "--now", "2026-11-08T00:00:00Z"], in: dir.url)
                #expect(dry.status == 0, "\(dry.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("store")) == ["leads.sqlite"])

            let again = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet", "--now", "2026-11-08T00:00:00Z"], in: dir.url)
            #expect(again.status == 0, "\(again.stderr)")
            let runs = try ProcessRunner.leadhygiene(["store", "runs", "store/leads.sqlite"], in: dir.url)
            #expect(runs.stdout.split(separator: "\n").filter { $0.contains("weekly") }.count == 2, "\(runs.stdout)")
        }
    }

    @Test func aRunGivenWaitForStoreWaitsForTheHolderAndRecordsOrGivesUpNamingTheWait() throws {
        try withTemporaryDirectory { dir in
            try recordFirstWeek(in: dir)
            let store = dir.path("store/leads.sqlite")
            let before = try Data(contentsOf: URL(fileURLWithPath: store))

            // Held for longer than the run waits: it gives up, naming the wait, and writes nothing.
            try whileHeld(store) { pid in
                let refused = try ProcessRunner.leadhygiene(
                    ["run", "weekly.yml", "--quiet", "--now", "2026-11-08T00:00:00Z", "--wait-for-store", "0.5"], in: dir.url)
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("waiting up to 0.5 s"), "\(refused.stderr)")
                #expect(refused.stderr.contains("(pid \(pid)) recording a run or changing the store after waiting 0.5 s"), "\(refused.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)

            // Let go while the run waits: it takes the store and is recorded.
            let (holder, input) = try hold(store)
            let writer = input.fileHandleForWriting
            DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { try? writer.close() }
            let waited = try ProcessRunner.leadhygiene(
                ["run", "weekly.yml", "--quiet", "--now", "2026-11-08T00:00:00Z", "--wait-for-store", "60"], in: dir.url)
            holder.waitUntilExit()
            #expect(waited.status == 0, "\(waited.stderr)")
            #expect(waited.stderr.contains("waiting up to 60 s for it"), "\(waited.stderr)")
            let runs = try ProcessRunner.leadhygiene(["store", "runs", "store/leads.sqlite"], in: dir.url)
            #expect(runs.stdout.split(separator: "\n").filter { $0.contains("weekly") }.count == 2, "\(runs.stdout)")
        }
    }

    @Test func forgetPruneAndVacuumWaitForNoOneAndChangeNothingWhileAnotherProcessHoldsTheStore() throws {
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", Self.pipeline)
            try dir.write("leads.csv", Self.leads)
            for week in ["2026-11-01", "2026-11-08"] {
                let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet", "--now", "\(week)T00:00:00Z"], in: dir.url)
                #expect(run.status == 0, "\(run.stderr)")
            }
            let store = dir.path("store/leads.sqlite")
            let before = try Data(contentsOf: URL(fileURLWithPath: store))
            try whileHeld(store) { _ in
                for arguments in [["forget", "--store", "store/leads.sqlite", "--email", "jane@acme.com", "--request-id", "R1"],
                                  ["store", "prune", "store/leads.sqlite", "--keep", "1"],
                                  ["store", "vacuum", "store/leads.sqlite"]] {
                    let refused = try ProcessRunner.leadhygiene(arguments, in: dir.url)
                    #expect(refused.status != 0, "\(arguments)")
                    #expect(refused.stderr.contains("in use by another LeadHygiene process"), "\(arguments): \(refused.stderr)")
                }
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
            let pruned = try ProcessRunner.leadhygiene(["store", "prune", "store/leads.sqlite", "--keep", "1"], in: dir.url)
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout.contains("removed 1 runs"), "\(pruned.stdout)")
        }
    }

    @Test func aStoreInFoldersThatDoNotExistYetIsMadeAndAFailedFirstRunLeavesNoneOfThem() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            // The report cannot be written (a file where its folder should be): the run stops before any stage.
            try dir.write("notafolder", "a file\n")
            try dir.write("failing.yml", Self.pipeline.replacingOccurrences(of: "store/leads.sqlite", with: "stores/weekly/leads.sqlite")
                .replacingOccurrences(of: "out/report.json", with: "notafolder/report.json"))
            // dedupe and decay open (and migrate) the store as they are set up, before the report's folder is made:
            // what the run made holds nothing but the schema, and goes.
            let failed = try ProcessRunner.leadhygiene(["run", "failing.yml", "--quiet"], in: dir.url)
            #expect(failed.status == 1)
            #expect(!dir.exists("stores"), "no empty store or folder left by a run that stopped before using them")
            // The same with a store folder that exists: only the files the run made go.
            try FileManager.default.createDirectory(atPath: dir.path("stores/weekly"), withIntermediateDirectories: true)
            try dir.write("stores/weekly/notes.txt", "kept\n")
            let again = try ProcessRunner.leadhygiene(["run", "failing.yml", "--quiet"], in: dir.url)
            #expect(again.status == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("stores/weekly")) == ["notes.txt"])
            try FileManager.default.removeItem(atPath: dir.path("stores"))

            try dir.write("weekly.yml", Self.pipeline.replacingOccurrences(of: "store/leads.sqlite", with: "stores/weekly/leads.sqlite"))
            let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("stores/weekly")) == ["leads.sqlite"])
        }
    }
}
