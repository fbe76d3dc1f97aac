@testable import RunStore
import Foundation
import PipelineFileLoading
import TestSupport
import Testing

/// Three weekly runs of SampleData through the built CLI on real store files: the store keeps an
/// unchanged lead's snapshot once (`lead_version`), and what decay finds week over week is byte
/// for byte what it finds on a store whose history is in the layout earlier builds wrote
/// (`lead_snapshot`), and on a store pruned to its newest run.
@Suite("Shared snapshots and pruning through the CLI")
struct StoreSharingCLITests {
    static let sampleLeads = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleData/leads.csv").standardized.path
    static let sampleFirmographics = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleData/firmographics.csv").standardized.path
    static let weeks = ["2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z"]

    static func pipeline(store: String) -> String {
        """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: \(store)
        columns: { email: Email, first_name: "First Name", last_name: "Last Name", title: Title, company: Company, website: Website, record_id: "Lead ID" }
        stages:
          - normalize: {}
          - dedupe: { mode: annotate }
          - firmographic_merge:
              sources: [{ name: sample, path: firmographics.csv, as_of: 2026-10-01 }]
          - decay: { history: weekly }
        """
    }

    /// Week 1 is SampleData; each later week drops some leads, changes some titles and companies and
    /// adds new leads, editing only plain rows (no quotes) so the CSV stays what it was elsewhere.
    static func leads(week: Int) throws -> String {
        var lines = try String(contentsOfFile: sampleLeads, encoding: .utf8).split(separator: "\n").map(String.init)
        for w in stride(from: 2, through: week, by: 1) {
            var edited = [lines[0]]
            for (i, line) in lines.enumerated().dropFirst() {
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !line.contains("\""), fields.count == 13 else { edited.append(line); continue }
                if i % (97 - w) == 0 { continue }
                if i % (41 - w) == 0 { fields[4] = "Senior " + fields[4] }
                if i % (53 - w) == 0 { fields[5] = "Other \(i % 7) Corp" }
                edited.append(fields.joined(separator: ","))
            }
            for n in 0..<25 {
                edited.append("N\(w)\(n),New\(n),Lead\(w),new\(n).week\(w)@newco\(n).com,CTO,Newco \(n),https://newco\(n).com,,Spain,Madrid,web,2026-11-01,2026-11-20")
            }
            lines = edited
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs week `week` in `dir` and returns its clean output and rejects.
    func runWeek(_ week: Int, in dir: TemporaryDirectory) throws -> (clean: String, rejects: String, report: [String: Any]) {
        try dir.write("leads.csv", try Self.leads(week: week))
        let result = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", Self.weeks[week - 1], "--quiet"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
        return (try dir.read("out/clean.csv"), try dir.read("out/rejects.csv"), report)
    }

    func prepare(_ dir: TemporaryDirectory, store: String) throws {
        try dir.write("weekly.yml", Self.pipeline(store: store))
        try dir.write("firmographics.csv", try String(contentsOfFile: Self.sampleFirmographics, encoding: .utf8))
    }

    /// Moves every run's leads into `lead_snapshot`, the table earlier builds wrote each run's full
    /// snapshots to, and empties the shared tables: the store as a build before `v-snapshot-sharing` left it.
    func rewriteInEarlierLayout(_ path: String) throws {
        let store = try RunStore(path: path)
        let runs = try store.runs().map { ($0.id!, try store.snapshots(runID: $0.id!)) }
        try store.pool.write { db in
            for (runID, snapshots) in runs {
                for s in snapshots {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO lead_snapshot (run_id, entity_id, line, email, first_name, last_name, title, company,
                            domain, email_status, web_status, web_redirect_domain, decay_status, decay_score, disposition)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [runID, s.entityID, s.line, s.email, s.firstName, s.lastName, s.title, s.company, s.domain,
                                         s.emailStatus, s.webStatus, s.webRedirectDomain, s.decayStatus, s.decayScore, s.disposition])
                }
            }
            try db.execute(sql: "DELETE FROM run_lead_pack")
            try db.execute(sql: "DELETE FROM lead_record")
        }
    }

    @Test func threeWeeksGiveTheSameOutputsOnASharedStoreAsOnAStoreInTheEarlierLayout() throws {
        try #require(FileManager.default.fileExists(atPath: Self.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { shared in
            try withTemporaryDirectory { earlier in
                try prepare(shared, store: "out/store.sqlite")
                try prepare(earlier, store: "out/store.sqlite")
                for week in 1...3 {
                    let a = try runWeek(week, in: shared)
                    // The earlier layout's store holds every run so far as an earlier build wrote it.
                    if week > 1 { try rewriteInEarlierLayout(earlier.path("out/store.sqlite")) }
                    let b = try runWeek(week, in: earlier)
                    #expect(a.clean == b.clean, "week \(week): clean output differs")
                    #expect(a.rejects == b.rejects, "week \(week): rejects differ")
                }
                // Week 3 saw changes against week 2 (the comparison ran), on both stores alike.
                let report = try #require(try JSONSerialization.jsonObject(with: Data(shared.read("out/report.json").utf8)) as? [String: Any])
                let stages = try #require(report["stages"] as? [[String: Any]])
                let decay = try #require(stages.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any])
                let runOverRun = try #require(decay["run_over_run"] as? [String: Any])
                #expect(runOverRun["recorded_run"] as? Int == 3)

                let store = try RunStore(path: shared.path("out/store.sqlite"))
                let runs = try store.runs(pipeline: "weekly")
                #expect(runs.count == 3)
                let leadRows = try store.packedLeadCount()
                let versions = try store.integers("SELECT count(*) FROM lead_version")[0]
                #expect(leadRows == runs.map(\.snapshotCount).reduce(0, +))
                // Only the first week's leads and those that changed or are new since are stored in full.
                #expect(versions < runs[0].snapshotCount + runs[0].snapshotCount / 4)
                #expect(versions > runs[0].snapshotCount)
                // Each run reads back the same snapshots from either layout.
                let earlierStore = try RunStore(path: earlier.path("out/store.sqlite"))
                for run in runs {
                    #expect(try store.snapshots(runID: run.id!) == earlierStore.snapshots(runID: run.id!))
                }
            }
        }
    }

    @Test func aStorePrunedToItsNewestRunComparesTheNextWeekAsAFullStoreDoes() throws {
        try #require(FileManager.default.fileExists(atPath: Self.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { full in
            try withTemporaryDirectory { pruned in
                try prepare(full, store: "out/store.sqlite")
                try prepare(pruned, store: "{ path: out/store.sqlite, keep_runs: 1 }")
                for week in 1...3 {
                    let a = try runWeek(week, in: full)
                    let b = try runWeek(week, in: pruned)
                    #expect(a.clean == b.clean, "week \(week): clean output differs")
                    #expect(a.rejects == b.rejects, "week \(week): rejects differ")
                    let store = try #require(b.report["store"] as? [String: Any])
                    #expect(store["keep_runs"] as? Int == 1)
                    #expect(store["runs_pruned"] as? Int == (week == 1 ? 0 : 1))
                    #expect(store["run_id"] as? Int == week)
                    let fullStore = try #require(a.report["store"] as? [String: Any])
                    #expect(fullStore["keep_runs"] as? Int == 8)
                    #expect(fullStore["runs_pruned"] as? Int == 0)
                }
                let fullStore = try RunStore(path: full.path("out/store.sqlite"))
                let prunedStore = try RunStore(path: pruned.path("out/store.sqlite"))
                #expect(try prunedStore.runs().map(\.id) == [3])
                // The kept run still reads every lead, those it shares with pruned runs included.
                #expect(try prunedStore.snapshots(runID: 3) == fullStore.snapshots(runID: 3))
                let pointedAt = Set(try prunedStore.runLeads(runID: 3).map(\.versionID))
                #expect(try Set(prunedStore.integers("SELECT id FROM lead_version").map(Int64.init)) == pointedAt)
                #expect(try prunedStore.integers("SELECT count(*) FROM lead_version")[0] < fullStore.integers("SELECT count(*) FROM lead_version")[0])
            }
        }
    }

    @Test func theSummarySaysWhichRunWasRecordedAndHowManyWerePruned() throws {
        try #require(FileManager.default.fileExists(atPath: Self.sampleLeads), "SampleData/leads.csv (make sample)")
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "{ path: out/store.sqlite, keep_runs: 1 }")
            try dir.write("leads.csv", try Self.leads(week: 1))
            _ = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", Self.weeks[0], "--quiet"], in: dir.url)
            try dir.write("leads.csv", try Self.leads(week: 2))
            let second = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", Self.weeks[1]], in: dir.url)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("store: run 2 recorded; 1 older run pruned (keep_runs 1)"))
        }
    }

    @Test func keepRunsOutOfRangeIsAPipelineFileErrorAtItsLine() throws {
        try withTemporaryDirectory { dir in
            try prepare(dir, store: "{ path: out/store.sqlite, keep_runs: 0 }")
            try dir.write("leads.csv", try Self.leads(week: 1))
            let result = try ProcessRunner.leadhygiene(["run", "weekly.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("weekly.yml:4:"))
            #expect(result.stderr.contains("keep_runs"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }
}
