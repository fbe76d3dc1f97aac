import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// A run's leads and dedupe's remembered keys are packed into blobs (migration `v-packed-runs`): what the
/// rows held reads back the same, a store written in the row layout upgrades in place, and the blobs
/// decode what was encoded, awkward values included.
@Suite("Packed runs and entity keys")
struct PackedRunsMigrationTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String, pipeline: String = "weekly") -> RunRecord {
        RunRecord(pipeline: pipeline, inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 3, rowsActive: 3, rowsRejected: 0, rowsMerged: 0)
    }

    @Test func aPackedLeadReadsBackEveryValueItWasGiven() throws {
        let leads = [
            RunLeadEntry(versionID: 7, line: 2, decayStatus: "fresh", decayScore: 0.125, enrichmentSetID: 3),
            RunLeadEntry(versionID: 1, line: 900_000, decayStatus: "", decayScore: nil, enrichmentSetID: nil),
            RunLeadEntry(versionID: 1 << 40, line: -1, decayStatus: "dead", decayScore: 1.0 / 3.0, enrichmentSetID: 0),
            RunLeadEntry(versionID: 8, line: 3, decayStatus: "stale", decayScore: -0.0, enrichmentSetID: Int64.max),
            RunLeadEntry(versionID: 9, line: 4, decayStatus: "fresh", decayScore: 0.7, enrichmentSetID: 1),
            RunLeadEntry(versionID: 10, line: 5, decayStatus: "fr\u{E9}sh \u{1F600}", decayScore: .infinity, enrichmentSetID: 2),
        ]
        let blob = RunLeadPack.encode(leads)
        let decoded = try blob.withUnsafeBytes { try RunLeadPack.decode($0) }
        #expect(decoded == leads)
        #expect(decoded[3].decayScore?.sign == .minus, "the sign of zero survives")
        #expect(try blob.withUnsafeBytes { try RunLeadPack.count($0) } == leads.count)
        // A damaged blob says so rather than reading past its end.
        #expect(throws: PackedBlobError.self) { try Array(blob.dropLast(3)).withUnsafeBytes { try RunLeadPack.decode($0) } }
    }

    /// A chunk's statuses are found by a scan while they are few and through a table past that: a chunk of
    /// thousands of leads with many statuses, in any order, reads back lead for lead.
    @Test func aChunkWithManyStatusesReadsBackEveryLeadsStatus() throws {
        let statuses = (0..<20).map { "status \($0)" } + ["fresh", "", "fr\u{E9}sh"]
        let leads = (0..<RunLeadPack.chunkSize).map { i in
            RunLeadEntry(versionID: Int64(i), line: i + 2, decayStatus: statuses[(i * 7 + i / 50) % statuses.count],
                         decayScore: Double(i % 1000) / 1000, enrichmentSetID: i % 3 == 0 ? nil : Int64(i))
        }
        let decoded = try RunLeadPack.encode(leads).withUnsafeBytes { try RunLeadPack.decode($0) }
        #expect(decoded == leads)
    }

    @Test func rememberedKeysReadBackExactlyWhateverTheirShape() throws {
        let entries = [
            EntityKeyEntry(recordKey: "L0000001", entityID: "E0123456789ab", updatedAt: 1_795_000_000),
            EntityKeyEntry(recordKey: "L0000002", entityID: "E0123456789AB", updatedAt: 1_795_000_000), // not dedupe's form
            EntityKeyEntry(recordKey: "L00000021", entityID: "E000000000000", updatedAt: -5),
            EntityKeyEntry(recordKey: "", entityID: "", updatedAt: 0),
            EntityKeyEntry(recordKey: "zoë@bücher.de", entityID: "E1", updatedAt: 1_795_000_001),
        ]
        var decoded: [EntityKeyEntry] = []
        try EntityKeyPack.encode(entries).withUnsafeBytes { try EntityKeyPack.decode($0) { decoded.append($0) } }
        #expect(decoded == entries)
    }

    @Test func dedupesMemoryKeepsEveryKeyAcrossRunsAndReplacesOnlyTheOnesGivenAgain() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            var week1: [String: String] = [:]
            for i in 0..<10_000 { week1[String(format: "L%07d", i)] = entityID(i) }
            try store.rememberEntityIDs(week1, at: reference)
            try store.rememberEntityIDs(["L0000005": "E00000000beef", "new-key": "custom id"], at: reference.addingTimeInterval(604_800))
            let keys = Array(week1.keys) + ["new-key", "never-seen"]
            let found = try store.entityIDs(forRecordKeys: keys)
            #expect(found.count == 10_001)
            #expect(found["L0000005"] == "E00000000beef")
            #expect(found["L0009999"] == entityID(9_999))
            #expect(found["new-key"] == "custom id")
            #expect(try store.statistics().rows.first { $0.table == "entity_key" }?.rows == 10_001)
        }
    }

    /// An entity id of dedupe's form for a test key.
    func entityID(_ i: Int) -> String { "E" + String(format: "%012x", i * 7_919) }

    /// A store written before `v-packed-runs` (a `run_lead` row per lead, an `entity_key` row per record key)
    /// upgrades in place: every run reads the same snapshots, line, status, score and enrichment set; dedupe's
    /// keys give the same ids; the next run shares the unchanged leads' versions.
    @Test func aStoreWrittenRowByRowMovesIntoPacksAndReadsTheSame() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let earlier = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(earlier, upTo: "v-erasure")
            // What the row layout wrote for two weeks of three leads (b changed title in week 2), through the
            // store code of the time: lead_text, lead_record, run_lead rows, entity_key rows.
            let week1 = [LeadSnapshot(entityID: "E00000000000b", line: 3, email: "bo@acme.com", title: "CFO", company: "Acme",
                                      decayStatus: "aging", decayScore: 0.2),
                         LeadSnapshot(entityID: "E00000000000a", line: 2, email: "al@acme.com", title: "CTO", company: "Acme",
                                      decayStatus: "fresh", decayScore: 0.125),
                         LeadSnapshot(entityID: "email:cy@x.io", line: 4, email: "cy@x.io", decayStatus: "", decayScore: nil)]
            var week2 = week1
            week2[0].title = "CEO"
            week2[0].line = 9
            let runIDs = try earlier.write { db -> [Int64] in
                try db.execute(sql: "INSERT INTO lead_text (id, text) VALUES (1, 'acme.com'), (2, 'CTO'), (3, 'CFO'), (4, 'Acme'), (5, 'x.io'), (6, 'CEO'), (7, 'active')")
                try db.execute(sql: """
                    INSERT INTO lead_record (id, entity_id, email_local, email_domain_id, title_id, company_id, disposition_id) VALUES
                    (1, 'E00000000000b', 'bo', 1, 3, 4, 7), (2, 'E00000000000a', 'al', 1, 2, 4, 7), (3, 'email:cy@x.io', 'cy', 5, NULL, NULL, 7),
                    (4, 'E00000000000b', 'bo', 1, 6, 4, 7)
                    """)
                try db.execute(sql: "INSERT INTO enrichment_set (id, fact_ids) VALUES (1, x'01')")
                var ids: [Int64] = []
                let weeks: [(leads: [LeadSnapshot], versions: [Int64])] = [(week1, [1, 2, 3]), (week2, [4, 2, 3])]
                for (week, rows) in weeks.enumerated() {
                    var record = run("\(week)")
                    record.snapshotCount = 3
                    try record.insert(db)
                    for (lead, version) in zip(rows.leads, rows.versions) {
                        let set: Int64? = version == 2 ? 1 : nil
                        try db.execute(sql: """
                            INSERT INTO run_lead (run_id, version_id, line, decay_status, decay_score, enrichment_set_id) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [record.id, version, lead.line, lead.decayStatus, lead.decayScore, set])
                    }
                    ids.append(record.id!)
                }
                try db.execute(sql: """
                    INSERT INTO entity_key (record_key, entity_id, updated_at) VALUES
                    ('L1', 'E00000000000a', 1795000000), ('L2', 'E00000000000b', '2026-11-23 00:00:00.000'), ('L3', 'odd id', 1795000000)
                    """)
                return ids
            }
            try earlier.close()

            let store = try RunStore(path: path)
            #expect(try store.appliedMigrations().last == "v-packed-runs")
            let sorted1 = week1.sorted { $0.entityID.utf8.lexicographicallyPrecedes($1.entityID.utf8) }
            let sorted2 = week2.sorted { $0.entityID.utf8.lexicographicallyPrecedes($1.entityID.utf8) }
            #expect(try store.snapshots(runID: runIDs[0]).map(\.entityID) == sorted1.map(\.entityID))
            #expect(try store.snapshots(runID: runIDs[0]).map(\.title) == sorted1.map(\.title))
            #expect(try store.snapshots(runID: runIDs[1]).map(\.title) == sorted2.map(\.title))
            #expect(try store.snapshots(runID: runIDs[1]).map(\.decayScore) == sorted2.map(\.decayScore))
            #expect(try store.runLeads(runID: runIDs[1]).map(\.versionID) == [2, 4, 3])
            #expect(try store.runLeads(runID: runIDs[0]).map(\.enrichmentSetID) == [1, nil, nil])
            let compact = try store.comparableSnapshots(runID: runIDs[1])
            #expect(compact.text(.title, at: try #require(compact.position(of: "E00000000000b"))) == "CEO")
            #expect(compact.line(at: try #require(compact.position(of: "E00000000000b"))) == 9)
            #expect(try store.entityIDs(forRecordKeys: ["L1", "L2", "L3", "L4"]) == ["L1": "E00000000000a", "L2": "E00000000000b", "L3": "odd id"])
            #expect(try store.integers("SELECT count(*) FROM sqlite_master WHERE name IN ('run_lead', 'entity_key', 'lead_record_by_entity')") == [0])

            // The next week shares what did not change since week 2.
            let next = try store.recordRun(run("3"), snapshots: week2)
            #expect(try store.runLeads(runID: next.id!).map(\.versionID) == [2, 4, 3])
            #expect(try store.integers("SELECT count(*) FROM lead_record") == [4])
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    @Test func aLeadSharesOnlyItsHistorysLastRunAndTwoHistoriesKeepTheirOwn() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let lead = LeadSnapshot(entityID: "a", line: 2, email: "a@x.com", title: "CTO")
            let first = try store.recordRun(run("1"), snapshots: [lead])
            let other = try store.recordRun(run("1", pipeline: "other"), snapshots: [lead])
            let second = try store.recordRun(run("2"), snapshots: [lead])
            #expect(try store.runLeads(runID: second.id!).map(\.versionID) == store.runLeads(runID: first.id!).map(\.versionID))
            #expect(try store.runLeads(runID: other.id!).map(\.versionID) != store.runLeads(runID: first.id!).map(\.versionID))
            #expect(try store.snapshots(runID: other.id!) == [lead])
        }
    }
}
