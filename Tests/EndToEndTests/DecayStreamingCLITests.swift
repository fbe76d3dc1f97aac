import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

/// decay with a store streams its rows (no list gathered for it): whatever the chunks and threads, a week's files
/// and store are those of one pass over the whole list; a run that fails or is killed while decay streams leaves
/// the store as it was.
@Suite("decay with a store, streaming")
struct DecayStreamingCLITests {
    /// Two weeks of generated leads (the lead-sample generator, with its firmographics file): week 2 drops every
    /// ninth lead of week 1 and adds another seed's leads.
    func writeWeeks(in dir: TemporaryDirectory, rows: Int = 1500) throws {
        let generator = ProcessRunner.product("lead-sample")
        for (name, seed) in [("week1.csv", 11), ("other.csv", 12)] {
            let result = try ProcessRunner.run(generator, ["--rows", "\(rows)", "--seed", "\(seed)", "--output", dir.path(name),
                                                           "--firmographics", dir.path("firmographics-\(seed).csv")])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let week1 = try dir.read("week1.csv").split(separator: "\n", omittingEmptySubsequences: false)
        let other = try dir.read("other.csv").split(separator: "\n", omittingEmptySubsequences: false)
        // Whole lines only where a line is a whole record (no quoted line breaks).
        let kept = week1.enumerated().filter { $0.offset == 0 || $0.offset % 9 != 0 || $0.element.contains("\"") }.map(\.element)
        try dir.write("week2.csv", (kept + other.dropFirst().prefix(rows / 10)).joined(separator: "\n"))
    }

    func writePipeline(in dir: TemporaryDirectory, folder: String, input: String, chunkSize: Int, output: String? = nil) throws {
        try dir.write("\(folder).yml", """
            name: weekly
            input: { path: \(input) }
            output: { path: \(output ?? "\(folder)/clean.csv"), rejects: \(folder)/rejects.csv, report: \(folder)/report.json }
            store: \(folder)/store.sqlite
            chunk_size: \(chunkSize)
            columns: { record_id: "Lead ID" }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false } }
              - firmographic_merge:
                  sources: [{ name: sample, path: firmographics-11.csv, as_of: 2026-10-01 }]
              - decay: { history: weekly }
            """)
    }

    func run(_ arguments: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        try ProcessRunner.run("/usr/bin/timeout", ["300", ProcessRunner.product("leadhygiene")] + arguments, currentDirectory: dir.url)
    }

    /// decay's figures without the timings.
    func decayFigures(_ folder: String, in dir: TemporaryDirectory) throws -> String {
        let report = try JSONSerialization.jsonObject(with: Data(dir.read("\(folder)/report.json").utf8)) as? [String: Any]
        let stages = report?["stages"] as? [[String: Any]]
        var decay = stages?.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any] ?? [:]
        var history = decay["run_over_run"] as? [String: Any] ?? [:]
        history["store_read_seconds"] = nil
        history["store_write_seconds"] = nil
        decay["run_over_run"] = history
        return String(decoding: try JSONSerialization.data(withJSONObject: decay, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The store's runs (without their clocks), each run's snapshots, and each lead's enrichment values.
    func storeContents(_ folder: String, in dir: TemporaryDirectory) throws -> [String] {
        let store = try RunStore(path: dir.path("\(folder)/store.sqlite"))
        var contents: [String] = []
        for run in try store.runs() {
            let id = try #require(run.id)
            contents.append("run \(id) \(run.pipeline) \(run.inputChecksum) \(run.rowsIn) \(run.rowsActive) \(run.rowsRejected) "
                            + "\(run.rowsMerged) \(run.snapshotCount) \(run.summaryJSON)")
            for snapshot in try store.snapshots(runID: id) {
                contents.append("\(snapshot)")
                for value in try store.enrichmentValues(runID: id, entityID: snapshot.entityID) { contents.append("  \(value)") }
            }
        }
        return contents
    }

    @Test func twoWeeksInSmallChunksOnTwoThreadsGiveTheFilesAndStoreOfOneChunkOnOneThread() throws {
        try withTemporaryDirectory { dir in
            try writeWeeks(in: dir)
            for (week, now) in [("week1.csv", "2026-11-23T00:00:00Z"), ("week2.csv", "2026-11-30T00:00:00Z")] {
                try writePipeline(in: dir, folder: "whole", input: week, chunkSize: 65_536)
                try writePipeline(in: dir, folder: "chunks", input: week, chunkSize: 7)
                let whole = try run(["run", "whole.yml", "--now", now, "--jobs", "1", "--quiet"], in: dir)
                #expect(whole.status == 0, "\(whole.stderr)")
                let chunks = try run(["run", "chunks.yml", "--now", now, "--jobs", "2", "--quiet"], in: dir)
                #expect(chunks.status == 0, "\(chunks.stderr)")
                #expect(try dir.read("whole/clean.csv") == dir.read("chunks/clean.csv"), "\(week)")
                #expect(try dir.read("whole/rejects.csv") == dir.read("chunks/rejects.csv"), "\(week)")
                #expect(try decayFigures("whole", in: dir) == decayFigures("chunks", in: dir), "\(week)")
            }
            let whole = try storeContents("whole", in: dir)
            #expect(whole.filter { $0.hasPrefix("run ") }.count == 2)
            #expect(whole.count > 3000)
            #expect(try storeContents("chunks", in: dir) == whole)
            // Week 2 found what changed: the leads dropped from week 1 vanished, the other seed's are new.
            let figures = try decayFigures("chunks", in: dir)
            #expect(!figures.contains(#""vanished":0,"#) && !figures.contains(#""new_leads":0,"#), "\(figures)")
        }
    }

    @Test func aRunThatFailsWhileDecayStreamsPublishesNothingAndRecordsNothing() throws {
        try withTemporaryDirectory { dir in
            try writeWeeks(in: dir)
            try writePipeline(in: dir, folder: "out", input: "week1.csv", chunkSize: 64)
            #expect(try run(["run", "out.yml", "--now", "2026-11-23T00:00:00Z", "--jobs", "2", "--quiet"], in: dir).status == 0)
            let rejects = try dir.read("out/rejects.csv")
            let before = try storeContents("out", in: dir)
            // /dev/full answers every write with ENOSPC: the run fails while decay is streaming its chunks.
            try writePipeline(in: dir, folder: "out", input: "week2.csv", chunkSize: 64, output: "/dev/full")
            let failed = try run(["run", "out.yml", "--now", "2026-11-30T00:00:00Z", "--jobs", "2", "--quiet"], in: dir)
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("No space left on device"), "\(failed.stderr)")
            #expect(try dir.read("out/rejects.csv") == rejects)
            #expect(try storeContents("out", in: dir) == before)
            let litter = try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).filter { $0.hasPrefix(".leadhygiene-staging") }
            #expect(litter.isEmpty)
        }
    }

    @Test func aRunKilledWhileDecayStreamsLeavesTheStoreAsItWasAndTheNextRunRecordsTheWeek() throws {
        try withTemporaryDirectory { dir in
            try writeWeeks(in: dir)
            try writePipeline(in: dir, folder: "out", input: "week1.csv", chunkSize: 16)
            #expect(try run(["run", "out.yml", "--now", "2026-11-23T00:00:00Z", "--jobs", "2", "--quiet"], in: dir).status == 0)
            let before = try storeContents("out", in: dir)

            // Week 2 through a FIFO: half its rows, then the run is killed while it waits for the rest, so it is
            // killed in the middle of decay's streaming whatever the machine's speed.
            #expect(mkfifo(dir.path("week2.fifo"), 0o600) == 0)
            try writePipeline(in: dir, folder: "out", input: "week2.fifo", chunkSize: 16)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProcessRunner.product("leadhygiene"))
            process.arguments = ["run", "out.yml", "--now", "2026-11-30T00:00:00Z", "--jobs", "2", "--quiet"]
            process.currentDirectoryURL = dir.url
            process.standardError = FileHandle.nullDevice
            try process.run()
            let fifo = try #require(FileHandle(forWritingAtPath: dir.path("week2.fifo")))
            let week2 = try dir.read("week2.csv")
            let lines = week2.split(separator: "\n", omittingEmptySubsequences: false)
            fifo.write(Data(lines.prefix(lines.count / 2).joined(separator: "\n").utf8))
            // Rows reach the output's temporary file once decay has processed them.
            var waited = 0
            while waited < 3000, !outputStarted(in: dir) {
                usleep(10_000)
                waited += 1
            }
            #expect(outputStarted(in: dir))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? fifo.close()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(try storeContents("out", in: dir) == before)

            // The next run of the same week records it, as a run never interrupted does.
            try writePipeline(in: dir, folder: "out", input: "week2.csv", chunkSize: 16)
            let rerun = try run(["run", "out.yml", "--now", "2026-11-30T00:00:00Z", "--jobs", "2", "--quiet"], in: dir)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let after = try storeContents("out", in: dir)
            #expect(after.filter { $0.hasPrefix("run ") }.count == 2)
            #expect(Array(after.prefix(before.count)) == before)
        }
    }

    /// Whether the killed run's clean output has rows in its temporary file.
    func outputStarted(in dir: TemporaryDirectory) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path("out"))) ?? []
        return names.contains { name in
            name.hasPrefix(".clean.csv.tmp")
                && ((try? FileManager.default.attributesOfItem(atPath: dir.path("out/\(name)"))[.size] as? Int) ?? 0) > 0
        }
    }
}
