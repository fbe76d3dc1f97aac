import Foundation
import RunStore
import Testing
import TestSupport

@Suite("Staged runs")
struct StagedRunTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func run(rows: Int) -> RunRecord {
        RunRecord(pipeline: "ignored", inputChecksum: "c", referenceTime: now, startedAt: now, finishedAt: now,
                  rowsIn: rows, rowsActive: rows, rowsRejected: 0, rowsMerged: 0)
    }

    let snapshots = [
        LeadSnapshot(entityID: "email:b@x.com", line: 2, title: "first b"),
        LeadSnapshot(entityID: "email:a@x.com", line: 3, title: "a"),
        LeadSnapshot(entityID: "email:b@x.com", line: 4, title: "second b"),
    ]

    @Test func stagedRowsAreInvisibleUntilCommittedAndThenBelongToOneRun() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let store = try RunStore(path: path)
            let staged = try store.stageRun(pipeline: "weekly", summaryJSON: #"{"fresh":2}"#, snapshots: snapshots,
                                            enrichments: [EnrichmentValue(entityID: "email:a@x.com", field: "firmo_industry",
                                                                          value: "Software", source: "crunchbase", asOf: "2026-10-01")])
            #expect(staged.stagedSnapshots == 3)
            // Another connection (a reader, another process) sees the store as it was.
            let other = try RunStore(path: path)
            #expect(try other.integers("SELECT count(*) FROM lead_snapshot") == [0])
            #expect(try other.runs().isEmpty)

            let saved = try staged.commit(as: run(rows: 3))
            #expect(saved.pipeline == "weekly")
            #expect(saved.summaryJSON == #"{"fresh":2}"#)
            #expect(saved.snapshotCount == 2)
            #expect(staged.recordedRunID == saved.id)
            #expect(try other.latestRun(pipeline: "weekly") == saved)
            #expect(try other.snapshots(runID: saved.id!).map(\.title) == ["a", "first b"])
            #expect(try other.enrichmentValues(runID: saved.id!, entityID: "email:a@x.com").map(\.value) == ["Software"])
        }
    }

    @Test func aDiscardedStagedRunLeavesTheStoreAsItWas() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run(rows: 1), snapshots: [LeadSnapshot(entityID: "e", line: 2)])
            let staged = try store.stageRun(pipeline: "ignored", summaryJSON: "{}", snapshots: snapshots)
            try staged.discard()
            #expect(try store.runs().count == 1)
            #expect(try store.integers("SELECT count(*) FROM lead_snapshot") == [1])
            #expect(try store.integrityCheck() == ["ok"])
        }
    }
}
