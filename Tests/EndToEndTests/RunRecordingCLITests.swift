import Foundation
import RunStore
import Testing
import TestSupport

/// The runner records every run of a pipeline with `store:` once its outputs are in place,
/// through the built CLI and a real SQLite file.
@Suite("Run recording through the CLI")
struct RunRecordingCLITests {
    static let header = "Email,First Name,Company,Website"
    static let leads = [
        "ann@acme.com,Ann,Acme,acme.com",
        "bob@globex.com,Bob,Globex,globex.com",
        "not-an-email,Cy,Initech,initech.io",
        "dee@umbrella.com,Dee,Umbrella,umbrella.com",
    ]

    func writeLeads(_ rows: [String], in dir: TemporaryDirectory) throws {
        try dir.write("leads.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
    }

    func run(_ pipeline: String, in dir: TemporaryDirectory) throws -> ProcessResult {
        try ProcessRunner.leadhygiene(["run", pipeline, "--now", "2026-11-23T00:00:00Z", "--quiet"], in: dir.url)
    }

    @Test func aPipelineWithoutDecayRecordsOneRunRowPerRunWithItsCounts() throws {
        try withTemporaryDirectory { dir in
            try dir.write("nightly.yml", """
                name: nightly
                input: { path: leads.csv }
                output: { path: out/clean.csv, rejects: out/rejects.csv }
                store: out/store.sqlite
                stages:
                  - email_check: { dns: { enabled: false } }
                """)
            try writeLeads(Self.leads, in: dir)
            let first = try run("nightly.yml", in: dir)
            #expect(first.status == 0, "\(first.stderr)")
            try writeLeads(Self.leads + ["eve@hooli.com,Eve,Hooli,hooli.com", "broken,row"], in: dir)
            let second = try run("nightly.yml", in: dir)
            #expect(second.status == 0, "\(second.stderr)")

            let store = try RunStore(path: dir.path("out/store.sqlite"))
            let runs = try store.runs(pipeline: "nightly")
            #expect(runs.count == 2)
            #expect(runs.map(\.rowsIn) == [4, 6])
            #expect(runs.map(\.rowsActive) == [3, 4])
            #expect(runs.map(\.rowsRejected) == [1, 2])
            #expect(runs.map(\.rowsMerged) == [0, 0])
            #expect(runs.map(\.snapshotCount) == [0, 0])
            #expect(runs.allSatisfy { $0.startedAt <= $0.finishedAt })
            #expect(runs.map(\.referenceTime) == [ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!, ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!])
            #expect(runs[0].inputChecksum.count == 16)
            #expect(runs[0].inputChecksum != runs[1].inputChecksum)
            #expect(try store.integers("SELECT count(*) FROM run") == [2])
        }
    }

    @Test func rerunningTheSameInputRecordsTheSameChecksum() throws {
        try withTemporaryDirectory { dir in
            try dir.write("p.yml", """
                input: { path: leads.csv }
                output: { path: out/clean.csv }
                store: store.sqlite
                stages:
                  - normalize: {}
                """)
            try writeLeads(Self.leads, in: dir)
            #expect(try run("p.yml", in: dir).status == 0)
            // The same input at the same reference time is a retry (a scheduler running the job again): not recorded twice.
            let retry = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-11-23T00:00:00Z"], in: dir.url)
            #expect(retry.status == 0)
            #expect(retry.stderr.contains("the store already holds this run (run 1"))
            #expect(try RunStore(path: dir.path("store.sqlite")).runs(pipeline: "p").count == 1)
            // A week later the same bytes are a new run, with the same checksum.
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-11-30T00:00:00Z", "--quiet"], in: dir.url).status == 0)
            let runs = try RunStore(path: dir.path("store.sqlite")).runs(pipeline: "p")
            #expect(runs.count == 2)
            #expect(runs[0].inputChecksum == runs[1].inputChecksum)
        }
    }

    @Test func aRunWithDecayHasOneRunRowWithItsSnapshotsAndTheRunnersCounts() throws {
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", """
                input: { path: leads.csv }
                output: { path: out/clean.csv, report: out/report.json }
                store: store.sqlite
                stages:
                  - email_check: { dns: { enabled: false } }
                  - decay: {}
                """)
            try writeLeads(Self.leads, in: dir)
            let result = try run("weekly.yml", in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let store = try RunStore(path: dir.path("store.sqlite"))
            let runs = try store.runs()
            #expect(runs.count == 1)
            let run = try #require(runs.first)
            #expect(run.pipeline == "weekly")
            #expect((run.rowsIn, run.rowsActive, run.rowsRejected, run.rowsMerged) == (4, 3, 1, 0))
            // Every row that reached decay has a snapshot (the rejected one too), attached to this run.
            #expect(run.snapshotCount == 4)
            #expect(try store.packedLeadCount(runID: run.id!) == 4)
            #expect(try store.packedLeadCount() == 4)
            // decay's report names the run the runner recorded.
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            let stages = report?["stages"] as? [[String: Any]]
            let decay = stages?.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any]
            #expect((decay?["run_over_run"] as? [String: Any])?["recorded_run"] as? Int == Int(run.id!))
        }
    }

    @Test func aRunThatCrossesFailIfIsNotRecordedAndLeavesNoSnapshots() throws {
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", """
                input: { path: leads.csv }
                output: { path: out/clean.csv }
                store: store.sqlite
                stages:
                  - email_check: { dns: { enabled: false } }
                  - decay: {}
                fail_if: { rejected_ratio: "> 30%" }
                """)
            try writeLeads(Self.leads, in: dir)
            #expect(try run("weekly.yml", in: dir).status == 0)
            try writeLeads(Self.leads + ["x,Xi,X,x.example", "y,Yu,Y,y.example"], in: dir)
            let failed = try run("weekly.yml", in: dir)
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("fail_if crossed"))
            // Every row is still accounted for (✓), but the verdict that comes first is the run's.
            #expect(failed.stderr.hasPrefix("FAILED "))
            #expect(failed.stderr.contains("rows_in 6 = rows_out"))

            let store = try RunStore(path: dir.path("store.sqlite"))
            #expect(try store.integrityCheck() == ["ok"])
            let runs = try store.runs()
            #expect(runs.count == 1)
            #expect(runs.first?.rowsIn == 4)
            #expect(try store.packedLeadCount() == 4)
        }
    }

    /// dedupe's entity ids are kept for next week only by a run the store records: a dry run, a `--limit` run
    /// or a run that crosses `fail_if` leaves last week's ids as they were.
    @Test func dedupesEntityIDsAreRememberedOnlyByARecordedRun() throws {
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", """
                input: { path: leads.csv }
                output: { path: out/clean.csv }
                store: store.sqlite
                stages:
                  - email_check: { dns: { enabled: false } }
                  - dedupe: { record_key: Lead ID }
                fail_if: { rejected_ratio: "> 30%" }
                """)
            let week1 = ["L1,ann@acme.com,Ann,Acme,acme.com", "L2,bob@globex.com,Bob,Globex,globex.com",
                         "L3,dee@umbrella.com,Dee,Umbrella,umbrella.com"]
            func write(_ rows: [String]) throws { try dir.write("leads.csv", (["Lead ID," + Self.header] + rows).joined(separator: "\n") + "\n") }
            func remembered() throws -> [String: String] {
                try RunStore(path: dir.path("store.sqlite")).entityIDs(forRecordKeys: ["L1", "L2", "L3", "L4", "L5", "L6"])
            }
            try write(week1)
            #expect(try run("weekly.yml", in: dir).status == 0)
            let first = try remembered()
            #expect(first.keys.sorted() == ["L1", "L2", "L3"])

            // L4 is new: neither a dry run, nor a limited run, nor a failed run keeps an id for it.
            try write(["L4,eve@hooli.com,Eve,Hooli,hooli.com"] + week1)
            let dry = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--dry-run", "--quiet"], in: dir.url)
            #expect(dry.status == 0, "\(dry.stderr)")
            let limited = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--limit", "2", "--quiet"], in: dir.url)
            #expect(limited.status == 0, "\(limited.stderr)")
            #expect(try remembered() == first)
            try write(["L4,eve@hooli.com,Eve,Hooli,hooli.com"] + week1 + ["L5,x,Xi,X,x.example", "L6,y,Yu,Y,y.example"])
            let failed = try run("weekly.yml", in: dir)
            #expect(failed.status == 1)
            #expect(try remembered() == first)

            // The recorded run keeps it, and last week's leads keep their ids.
            try write(["L4,eve@hooli.com,Eve,Hooli,hooli.com"] + week1)
            #expect(try run("weekly.yml", in: dir).status == 0)
            let second = try remembered()
            #expect(second.keys.sorted() == ["L1", "L2", "L3", "L4"])
            #expect(second.filter { $0.key != "L4" } == first)
            #expect(try dir.read("out/clean.csv").contains(second["L4"]!))
        }
    }

    @Test func theStoreCommandsListPruneAndVacuumRuns() throws {
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", """
                input: { path: leads.csv }
                output: { path: out/clean.csv }
                store: store.sqlite
                stages:
                  - email_check: { dns: { enabled: false } }
                  - decay: {}
                """)
            try writeLeads(Self.leads, in: dir)
            for week in ["2026-11-09", "2026-11-16", "2026-11-23"] {
                let result = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", "\(week)T00:00:00Z", "--quiet"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
            }
            let runs = try ProcessRunner.leadhygiene(["store", "runs", "store.sqlite"], in: dir.url)
            #expect(runs.status == 0)
            #expect(runs.stdout.split(separator: "\n").count == 4)
            #expect(runs.stdout.contains("\tweekly\t2026-11-23T00:00:00Z\t"))

            let prune = try ProcessRunner.leadhygiene(["store", "prune", "store.sqlite", "--keep", "1"], in: dir.url)
            #expect(prune.stdout.contains("removed 2 runs"))
            let store = try RunStore(path: dir.path("store.sqlite"))
            let left = try store.runs()
            #expect(left.count == 1)
            // The pruned runs' snapshots went with them.
            #expect(try store.packedLeadCount() == store.packedLeadCount(runID: left[0].id!))

            let stats = try ProcessRunner.leadhygiene(["store", "stats", "store.sqlite"], in: dir.url)
            #expect(stats.stdout.contains("run\t1 rows"))
            #expect(stats.stdout.contains("run_lead\t4 rows"))
            #expect(try ProcessRunner.leadhygiene(["store", "vacuum", "store.sqlite"], in: dir.url).status == 0)
            #expect(try ProcessRunner.leadhygiene(["store", "prune", "store.sqlite", "--keep", "0"], in: dir.url).status == 2)

            let missing = try ProcessRunner.leadhygiene(["store", "runs", "nothing.sqlite"], in: dir.url)
            #expect(missing.status == 1)
            #expect(!dir.exists("nothing.sqlite"))
        }
    }
}
