import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

@Suite("Recording runs")
struct RunRecordingTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String, rows: Int) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference.addingTimeInterval(3), rowsIn: rows, rowsActive: rows, rowsRejected: 0,
                  rowsMerged: 0, summaryJSON: #"{"fresh":2}"#)
    }

    @Test func createsTheFileAndItsFolderWithMigrationsOnFirstUse() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("nested/folder/store.sqlite")
            let store = try RunStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try store.appliedMigrations() == ["v1_runs_snapshots_caches_enrichment", "v2_entity_keys", "v-smtp-verdicts", "v-snapshot-sharing",
                                                        "v-shared-enrichment", "v-lead-text", "v-route-assignments", "v-erasure",
                                                        "v-packed-runs"])
            #expect(try store.integers("SELECT count(*) FROM run") == [0])
            // WAL: the journal mode is persistent in the file.
            let reopened = try RunStore(path: path)
            #expect(try reopened.appliedMigrations() == ["v1_runs_snapshots_caches_enrichment", "v2_entity_keys", "v-smtp-verdicts", "v-snapshot-sharing",
                                                        "v-shared-enrichment", "v-lead-text", "v-route-assignments", "v-erasure",
                                                        "v-packed-runs"])
        }
    }

    @Test func storesARunWithItsSnapshotsAndReadsThemBack() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let snapshots = [
                LeadSnapshot(entityID: "email:ada@acme.com", line: 2, email: "ada@acme.com", firstName: "Ada",
                             title: "CTO", company: "Acme", domain: "acme.com", emailStatus: "valid",
                             decayStatus: "fresh", decayScore: 0.1),
                LeadSnapshot(entityID: "email:bob@globex.com", line: 3, email: "bob@globex.com", title: "VP",
                             disposition: "rejected:decay_dead"),
            ]
            let saved = try store.recordRun(run("a", rows: 2), snapshots: snapshots)
            let id = try #require(saved.id)
            #expect(saved.snapshotCount == 2)
            let latest = try #require(try store.latestRun(pipeline: "weekly"))
            #expect(latest == saved)
            #expect(latest.summaryJSON == #"{"fresh":2}"#)
            #expect(try store.snapshots(runID: id) == snapshots)
            #expect(try store.snapshotsByEntity(runID: id)["email:ada@acme.com"]?.title == "CTO")
        }
    }

    @Test func keepsTheFirstSnapshotWhenAnEntityIdRepeatsWithinARun() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let saved = try store.recordRun(run("a", rows: 2), snapshots: [
                LeadSnapshot(entityID: "e1", line: 2, title: "first"),
                LeadSnapshot(entityID: "e1", line: 9, title: "second"),
            ])
            #expect(saved.snapshotCount == 1)
            #expect(try store.snapshots(runID: saved.id!).map(\.title) == ["first"])
            #expect(try store.latestRun(pipeline: "weekly")?.snapshotCount == 1)
        }
    }

    @Test func latestRunFollowsEachPipelineHistorySeparately() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let first = try store.recordRun(run("a", rows: 0), snapshots: [])
            var other = run("b", rows: 0)
            other.pipeline = "monthly"
            try store.recordRun(other, snapshots: [])
            let second = try store.recordRun(run("c", rows: 0), snapshots: [])
            #expect(try store.latestRun(pipeline: "weekly")?.id == second.id)
            #expect(try store.runs(pipeline: "weekly").map(\.id) == [first.id, second.id])
            #expect(try store.latestRun(pipeline: "monthly")?.inputChecksum == "b")
            #expect(try store.latestRun(pipeline: "never") == nil)
        }
    }

    @Test func storesEnrichmentValuesWithTheirProvenance() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let saved = try store.recordRun(run("a", rows: 1), snapshots: [LeadSnapshot(entityID: "e1", line: 2)],
                                            enrichments: [
                                                EnrichmentValue(entityID: "e1", field: "firmo_industry", value: "Software",
                                                                source: "crunchbase", asOf: "2026-10-01"),
                                                EnrichmentValue(entityID: "e1", field: "firmo_employee_count", value: "120",
                                                                source: "zoominfo", asOf: "2026-11-01"),
                                            ])
            let values = try store.enrichmentValues(runID: saved.id!, entityID: "e1")
            #expect(values.map(\.field) == ["firmo_employee_count", "firmo_industry"])
            #expect(values.last?.source == "crunchbase")
            #expect(values.last?.asOf == "2026-10-01")
        }
    }

    @Test func pruningDeletesOldRunsAndTheirSnapshots() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            for i in 0..<4 {
                try store.recordRun(run("r\(i)", rows: 1), snapshots: [LeadSnapshot(entityID: "e", line: 2)])
            }
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 2) == 2)
            #expect(try store.runs(pipeline: "weekly").map(\.inputChecksum) == ["r2", "r3"])
            #expect(try store.packedLeadCount() == 2)
        }
    }

    @Test func refusesAStoreWrittenByANewerVersion() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            _ = try RunStore(path: path)
            let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO grdb_migrations VALUES ('v99_future')"); c.commit()
                """, path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        }
    }
}
