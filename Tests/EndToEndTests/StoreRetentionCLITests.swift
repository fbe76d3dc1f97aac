import Foundation
import RunStore
import Testing
import TestSupport

/// Pruning by age (`store: { keep_days }`, `store prune --keep-days`) through the built CLI on real
/// store files, and the log options of the commands other than `run`.
@Suite("Store retention by age and command logs through the CLI")
struct StoreRetentionCLITests {
    /// ISO 8601 for a reference time `days` before or after `base`.
    static func time(_ base: Date, days: Int) -> String {
        ISO8601DateFormatter().string(from: base.addingTimeInterval(Double(days) * 86_400))
    }

    func prepare(_ dir: TemporaryDirectory, store: String) throws {
        try dir.write("weekly.yml", StoreSharingCLITests.pipeline(store: store))
        try dir.write("firmographics.csv", try String(contentsOfFile: StoreSharingCLITests.sampleFirmographics, encoding: .utf8))
    }

    /// Runs week `week`'s leads at reference time `now` and returns the report's `store` object.
    func runWeek(_ week: Int, now: String, in dir: TemporaryDirectory) throws -> [String: Any] {
        try dir.write("leads.csv", try StoreSharingCLITests.leads(week: week))
        let result = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", now, "--quiet"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
        return try #require(report["store"] as? [String: Any])
    }

    @Test func keepDaysKeepsTheRunsOfTheLastDaysBeyondKeepRuns() throws {
        try #require(FileManager.default.fileExists(atPath: StoreSharingCLITests.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "{ path: out/store.sqlite, keep_runs: 1, keep_days: 10 }")
            let start = try #require(ISO8601DateFormatter().date(from: "2026-11-02T00:00:00Z"))
            var pruned: [Int] = []
            for week in 1...4 {
                let store = try runWeek(week, now: Self.time(start, days: 7 * (week - 1)), in: dir)
                #expect(store["keep_runs"] as? Int == 1)
                #expect(store["keep_days"] as? Int == 10)
                pruned.append(try #require(store["runs_pruned"] as? Int))
            }
            // Week 3 (day 14) prunes week 1 (day 0); week 2 (day 7) is within 10 days until week 4 (day 21).
            #expect(pruned == [0, 0, 1, 1])
            let store = try RunStore(path: dir.path("out/store.sqlite"))
            #expect(try store.runs().map(\.id) == [3, 4])
            #expect(try store.snapshots(runID: 3).count == store.runs()[0].snapshotCount)
        }
    }

    @Test func keepDaysAloneKeepsTheLastRunWhateverItsAge() throws {
        try #require(FileManager.default.fileExists(atPath: StoreSharingCLITests.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "{ path: out/store.sqlite, keep_days: 3 }")
            let start = try #require(ISO8601DateFormatter().date(from: "2026-11-02T00:00:00Z"))
            _ = try runWeek(1, now: Self.time(start, days: 0), in: dir)
            let second = try runWeek(2, now: Self.time(start, days: 7), in: dir)
            #expect(second["keep_runs"] as? Int == 1)
            #expect(second["runs_pruned"] as? Int == 1)
            let summary = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", Self.time(start, days: 8)], in: dir.url)
            #expect(summary.stderr.contains("(keep_runs 1, keep_days 3)"), "\(summary.stderr)")
            #expect(try RunStore(path: dir.path("out/store.sqlite")).runs().map(\.id) == [2, 3])
        }
    }

    @Test func storePruneKeepDaysRemovesOnlyRunsBeyondKeepAndOlderThanTheDays() throws {
        try #require(FileManager.default.fileExists(atPath: StoreSharingCLITests.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "out/store.sqlite")
            let now = Date()
            for (week, days) in [(1, -20), (2, -5), (3, -1)] { _ = try runWeek(week, now: Self.time(now, days: days), in: dir) }

            let both = try ProcessRunner.leadhygiene(["store", "prune", "out/store.sqlite", "--keep", "1", "--keep-days", "10"], in: dir.url)
            #expect(both.status == 0, "\(both.stderr)")
            #expect(both.stdout == "removed 1 runs; kept the last 1 of each pipeline and those of the last 10 days\n")
            #expect(try RunStore(path: dir.path("out/store.sqlite")).runs().map(\.id) == [2, 3])

            let daysAlone = try ProcessRunner.leadhygiene(["store", "prune", "out/store.sqlite", "--keep-days", "3"], in: dir.url)
            #expect(daysAlone.status == 0, "\(daysAlone.stderr)")
            #expect(daysAlone.stdout == "removed 1 runs; kept those of the last 3 days and the last of each pipeline\n")
            let store = try RunStore(path: dir.path("out/store.sqlite"))
            #expect(try store.runs().map(\.id) == [3])
            let pointedAt = Set(try store.runLeads(runID: 3).compactMap(\.enrichmentSetID))
            #expect(try Set(store.integers("SELECT id FROM enrichment_set").map(Int64.init)) == pointedAt)

            let neither = try ProcessRunner.leadhygiene(["store", "prune", "out/store.sqlite"], in: dir.url)
            #expect(neither.status == 2)
            #expect(neither.stderr.contains("--keep-days"))
            let outOfRange = try ProcessRunner.leadhygiene(["store", "prune", "out/store.sqlite", "--keep-days", "0"], in: dir.url)
            #expect(outOfRange.stderr.contains("--keep-days must be 1–36500"))
        }
    }

    @Test func keepDaysOutOfRangeIsAPipelineFileErrorAtItsLine() throws {
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "{ path: out/store.sqlite, keep_days: 0 }")
            try dir.write("leads.csv", "Email\na@x.com\n")
            let result = try ProcessRunner.leadhygiene(["run", "weekly.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("weekly.yml:4:"))
            #expect(result.stderr.contains("keep_days"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }

    /// `lint`, `store …`, `report html`, `check-email` take `--log-level`/`--log-format` and the same
    /// environment variables as `run`: a started and a finished line at info, nothing at the default level.
    @Test func commandsOtherThanRunLogThroughTheSameOptionsAndEnvironment() throws {
        try #require(FileManager.default.fileExists(atPath: StoreSharingCLITests.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "out/store.sqlite")
            _ = try runWeek(1, now: "2026-11-02T00:00:00Z", in: dir)
            let binary = ProcessRunner.product("leadhygiene")
            // Each command and the `stage` its lines carry.
            let commands: [(arguments: [String], stage: String)] = [
                (["store", "stats", "out/store.sqlite"], "store stats"), (["store", "runs", "out/store.sqlite"], "store runs"),
                (["store", "prune", "out/store.sqlite", "--keep", "1"], "store prune"),
                (["store", "vacuum", "out/store.sqlite"], "store vacuum"), (["lint", "weekly.yml"], "lint"),
                (["report", "html", "out/report.json", "-o", "out/page.html"], "report html"),
                (["check-email", "--no-dns", "a@example.com"], "check-email"),
            ]
            for (command, stage) in commands {
                let quiet = try ProcessRunner.run(binary, command, currentDirectory: dir.url)
                #expect(quiet.status == 0, "\(command): \(quiet.stderr)")
                #expect(quiet.stderr == "", "\(command) logs nothing at the default level")

                let json = try ProcessRunner.run(binary, command + ["--log-level", "info", "--log-format", "json"], currentDirectory: dir.url)
                #expect(json.status == 0, "\(command): \(json.stderr)")
                let objects = try json.stderr.split(separator: "\n").map {
                    try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                }
                #expect(objects.map { $0["phase"] as? String } == ["started", "finished"], "\(command): \(json.stderr)")
                #expect(objects.allSatisfy { $0["level"] as? String == "info" && $0["stage"] as? String == stage })
                #expect(objects.last?["seconds"] is Double || objects.last?["seconds"] is Int)

                let environment = try ProcessRunner.run(binary, command, currentDirectory: dir.url,
                                                        environment: ["LEADHYGIENE_LOG_LEVEL": "info", "LEADHYGIENE_LOG_FORMAT": "text"])
                let lines = environment.stderr.split(separator: "\n")
                #expect(lines.count == 2, "\(command): \(environment.stderr)")
                #expect(lines.last?.contains(" info stage=\(stage.contains(" ") ? "\"\(stage)\"" : stage) ") == true, "\(environment.stderr)")
                #expect(lines.last?.contains(" phase=finished ") == true)
            }
            let invalid = try ProcessRunner.run(binary, ["store", "stats", "out/store.sqlite"], currentDirectory: dir.url,
                                                environment: ["LEADHYGIENE_LOG_LEVEL": "loud"])
            #expect(invalid.status == 2)
            #expect(invalid.stderr.contains("LEADHYGIENE_LOG_LEVEL"))
        }
    }
}
