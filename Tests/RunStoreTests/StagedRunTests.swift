import Foundation
import LeadRecords
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
            #expect(try other.packedLeadCount() == 0)
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
            #expect(try store.packedLeadCount() == 1)
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    /// Staged rows are read back in blocks: rows that straddle a block and a row longer than a block survive.
    @Test func manyRowsAndARowLongerThanTheReadBlockCommitIntact() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let long = String(repeating: "Chief Everything Officer ", count: 300_000) // ~7.5 MB, past the 4 MiB block
            let rows = (0..<60_000).lazy.map { i in
                LeadSnapshot(entityID: "email:p\(i)@x.com", line: i + 2, title: i == 30_000 ? long : "Title \(i) " + String(repeating: "x", count: i % 300),
                             company: "Company \(i % 97)", decayScore: i % 2 == 0 ? Double(i) / 1000 : nil)
            }
            let staged = try store.stageRun(pipeline: "big", summaryJSON: "{}", snapshots: rows,
                                            enrichments: (0..<1000).lazy.map { EnrichmentValue(entityID: "email:p\($0)@x.com", field: "firmo_industry",
                                                                                               value: "V\($0)", source: "s", asOf: "") })
            let saved = try staged.commit(as: run(rows: 60_000))
            #expect(saved.snapshotCount == 60_000)
            let byEntity = try store.snapshotsByEntity(runID: saved.id!)
            #expect(byEntity["email:p30000@x.com"]?.title == long)
            #expect(byEntity["email:p59999@x.com"]?.title == "Title 59999 " + String(repeating: "x", count: 59_999 % 300))
            #expect(byEntity["email:p42@x.com"]?.decayScore == 0.042)
            #expect(byEntity["email:p43@x.com"]?.decayScore == nil)
            #expect(byEntity["email:p43@x.com"]?.company == "Company 43")
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "email:p999@x.com").map(\.value) == ["V999"])
            #expect(try store.runLeads(runID: saved.id!).filter { $0.enrichmentSetID != nil }.count == 1000)
            #expect(try store.integers("SELECT count(*) FROM enrichment_fact") == [1000])
        }
    }

    /// Rows reach SQLite sorted by key, merged from several sorted runs of the staging file; a
    /// repeated key still keeps the first snapshot and the last enrichment value staged, even when
    /// the repeats land in different runs.
    @Test func repeatedKeysKeepStagingOrderAcrossSortedRuns() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let padding = String(repeating: "p", count: 200) // ~240 bytes a row: 60k rows span two 8 MiB runs
            func snapshot(_ i: Int, title: String) -> LeadSnapshot {
                LeadSnapshot(entityID: "email:p\(i % 50_000)@x.com", line: i + 2, title: title, company: padding)
            }
            // Ids 0..<10,000 come back at the end, tens of MiB after their first staging.
            let rows = (0..<60_000).lazy.map { i in snapshot(i, title: i < 50_000 ? "first \(i)" : "again \(i)") }
            let values = (0..<40_000).lazy.map { i in
                EnrichmentValue(entityID: "email:p\(i % 20_000)@x.com", field: "firmo_industry", value: "V\(i)" + padding,
                                source: "s", asOf: "")
            }
            let saved = try store.recordRun(run(rows: 60_000), snapshots: rows, enrichments: values)
            #expect(saved.snapshotCount == 50_000)
            let stored = try store.snapshots(runID: saved.id!)
            #expect(stored.count == 50_000)
            #expect(stored.allSatisfy { $0.title == "first \($0.line - 2)" })
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "email:p7@x.com").map(\.value) == ["V20007" + padding])
            // One value per entity and field: the replaced ones are not stored.
            #expect(try store.integers("SELECT count(*) FROM enrichment_fact") == [20_000])
            #expect(try store.runLeads(runID: saved.id!).filter { $0.enrichmentSetID != nil }.count == 20_000)
            #expect(try store.integrityCheck() == ["ok"])
        }
    }
}
