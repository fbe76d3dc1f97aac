import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// The commit's tables read ahead (``RunStore/readAheadCommit(pipeline:)``) store what a commit that loads them itself
/// stores, and are dropped when the store changed after they were read.
@Suite("Commit read ahead")
struct CommitReadAheadTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "ignored", inputChecksum: checksum, referenceTime: now, startedAt: now, finishedAt: now,
                  rowsIn: 3, rowsActive: 3, rowsRejected: 0, rowsMerged: 0)
    }

    func lead(_ id: String, line: Int, title: String, company: String = "Acme") -> LeadSnapshot {
        LeadSnapshot(entityID: id, line: line, email: "\(id)@acme.com", firstName: id, title: title, company: company,
                     domain: "acme.com", decayStatus: "fresh", decayScore: 0.1)
    }

    func values(of id: String, industry: String) -> [EnrichmentValue] {
        [EnrichmentValue(entityID: id, field: "firmo_industry", value: industry, source: "crunchbase", asOf: "2026-10-01"),
         EnrichmentValue(entityID: id, field: "firmo_employees", value: "120", source: "crunchbase", asOf: "2026-10-01")]
    }

    let weekOne = ["a", "b", "c"]

    /// Week 2: `a` unchanged, `b` with a new title, `c` gone, `d` new with a new industry.
    func stageWeekTwo(_ store: RunStore) throws -> StagedRun {
        try store.stageRun(pipeline: "weekly", summaryJSON: "{}",
                           snapshots: [lead("a", line: 2, title: "CEO"), lead("b", line: 3, title: "Head of Sales"),
                                       lead("d", line: 4, title: "CFO", company: "Newco")],
                           enrichments: values(of: "a", industry: "Software") + values(of: "b", industry: "Software")
                               + values(of: "d", industry: "Retail"))
    }

    func recordWeekOne(_ store: RunStore) throws {
        let staged = try store.stageRun(pipeline: "weekly", summaryJSON: "{}",
                                        snapshots: weekOne.enumerated().map { lead($1, line: $0 + 2, title: "CEO") },
                                        enrichments: weekOne.flatMap { values(of: $0, industry: "Software") })
        try staged.commit(as: run("1"))
    }

    /// A run of another history, written through `store`, whose texts and values week 2 has too.
    func recordOtherHistory(_ store: RunStore) throws {
        let staged = try store.stageRun(pipeline: "other", summaryJSON: "{}",
                                        snapshots: [lead("x", line: 2, title: "CFO", company: "Newco")],
                                        enrichments: values(of: "x", industry: "Retail"))
        try staged.commit(as: run("x"))
    }

    /// Every row of the tables a commit writes, in id order.
    func dump(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try ["run", "lead_text", "lead_record", "run_lead_pack", "enrichment_provenance", "enrichment_fact",
                 "enrichment_set", "enrichment_value"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { "\(table) \($0)" }
            }
        }
    }

    @Test func aCommitTakingTheTablesReadAheadStoresWhatACommitLoadingThemStores() throws {
        try withTemporaryDirectory { dir in
            let reference = dir.path("reference.sqlite"), path = dir.path("store.sqlite")
            do {
                let store = try RunStore(path: reference)
                try recordWeekOne(store)
                let staged = try stageWeekTwo(store)
                try staged.commit(as: run("2"))
                #expect(!staged.committedWithReadAhead)
            }
            let store = try RunStore(path: path)
            try recordWeekOne(store)
            let staged = try stageWeekTwo(store)
            store.readAheadCommit(pipeline: "weekly")
            try staged.commit(as: run("2"))
            #expect(staged.committedWithReadAhead)
            try store.close()
            let stored = try dump(path)
            #expect(stored.contains { $0.hasPrefix("lead_text") && $0.contains("Head of Sales") })
            #expect(stored == (try dump(reference)))
        }
    }

    @Test func tablesReadAheadAreDroppedWhenAnotherConnectionCommittedSince() throws {
        try withTemporaryDirectory { dir in
            let reference = dir.path("reference.sqlite"), path = dir.path("store.sqlite")
            do {
                let store = try RunStore(path: reference)
                try recordWeekOne(store)
                try recordOtherHistory(try RunStore(path: reference))
                try stageWeekTwo(store).commit(as: run("2"))
            }
            let store = try RunStore(path: path)
            try recordWeekOne(store)
            let staged = try stageWeekTwo(store)
            store.readAheadCommit(pipeline: "weekly")
            store.commitReadAhead.waitForPending()
            // Another connection (another process) adds the texts and values week 2 has new, after the read.
            try recordOtherHistory(try RunStore(path: path))
            try staged.commit(as: run("2"))
            #expect(!staged.committedWithReadAhead)
            try store.close()
            #expect(try dump(path) == (try dump(reference)))
        }
    }

    @Test func tablesReadAheadAreDroppedWhenThisStoreWroteSince() throws {
        try withTemporaryDirectory { dir in
            let reference = dir.path("reference.sqlite"), path = dir.path("store.sqlite")
            do {
                let store = try RunStore(path: reference)
                try recordWeekOne(store)
                let staged = try stageWeekTwo(store)
                try recordOtherHistory(store)
                try staged.commit(as: run("2"))
            }
            let store = try RunStore(path: path)
            try recordWeekOne(store)
            let staged = try stageWeekTwo(store)
            store.readAheadCommit(pipeline: "weekly")
            store.commitReadAhead.waitForPending()
            // The same connection commits another history's run: `data_version` does not change for its own writes.
            try recordOtherHistory(store)
            try staged.commit(as: run("2"))
            #expect(!staged.committedWithReadAhead)
            try store.close()
            #expect(try dump(path) == (try dump(reference)))
        }
    }
}
