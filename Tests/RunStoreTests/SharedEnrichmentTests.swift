import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// A lead's enrichment values are stored once (migration `v-shared-enrichment`): each distinct value
/// with its provenance is one fact, each distinct set of facts one set shared by leads and runs, and
/// `enrichmentValues` reads back exactly what was recorded.
@Suite("Shared enrichment values")
struct SharedEnrichmentTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 3, rowsActive: 3, rowsRejected: 0, rowsMerged: 0)
    }

    func lead(_ id: String, line: Int) -> LeadSnapshot {
        LeadSnapshot(entityID: id, line: line, email: "\(id)@x.com", company: "Acme", decayStatus: "fresh", decayScore: 0.1)
    }

    /// A company's values as firmographic_merge gives them to each of its contacts, in field order.
    func values(of id: String, industry: String, employees: String = "120", source: String = "crunchbase") -> [EnrichmentValue] {
        [EnrichmentValue(entityID: id, field: "firmo_employee_count", value: employees, source: "zoominfo", asOf: "2026-11-01"),
         EnrichmentValue(entityID: id, field: "firmo_industry", value: industry, source: source, asOf: "2026-10-01")]
    }

    func count(_ table: String, in store: RunStore) throws -> Int { try store.integers("SELECT count(*) FROM \(table)")[0] }

    @Test func leadsWithTheSameValuesShareOneSetAndEachValueIsStoredOnce() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let leads = [lead("a", line: 2), lead("b", line: 3), lead("c", line: 4)]
            let enrichments = values(of: "a", industry: "Software") + values(of: "b", industry: "Software")
                + values(of: "c", industry: "Retail")
            let first = try store.recordRun(run("1"), snapshots: leads, enrichments: enrichments)
            let second = try store.recordRun(run("2"), snapshots: leads, enrichments: enrichments)
            #expect(try count("enrichment_set", in: store) == 2)
            #expect(try count("enrichment_fact", in: store) == 3)
            #expect(try count("enrichment_provenance", in: store) == 2)
            #expect(try count("enrichment_value", in: store) == 0)
            for saved in [first, second] {
                #expect(try store.enrichmentValues(runID: saved.id!, entityID: "a") == values(of: "a", industry: "Software"))
                #expect(try store.enrichmentValues(runID: saved.id!, entityID: "b") == values(of: "b", industry: "Software"))
                #expect(try store.enrichmentValues(runID: saved.id!, entityID: "c") == values(of: "c", industry: "Retail"))
            }
            #expect(try store.enrichmentValues(runID: first.id!, entityID: "nobody").isEmpty)
        }
    }

    @Test func aFieldStagedTwiceForOneLeadKeepsTheLastValue() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            // Two rows of one entity (dedupe in annotate mode): the later row's value wins, as before.
            let saved = try store.recordRun(run("1"), snapshots: [lead("a", line: 2), lead("a", line: 3)],
                                            enrichments: values(of: "a", industry: "Software") + values(of: "a", industry: "Retail"))
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "a") == values(of: "a", industry: "Retail"))
            #expect(try count("enrichment_fact", in: store) == 2)
        }
    }

    @Test func valuesOfAnEntityWithoutASnapshotAreKeptWithTheRun() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let saved = try store.recordRun(run("1"), snapshots: [lead("b", line: 2)],
                                            enrichments: values(of: "a", industry: "Software") + values(of: "b", industry: "Software")
                                                + values(of: "z", industry: "Retail"))
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "a") == values(of: "a", industry: "Software"))
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "b") == values(of: "b", industry: "Software"))
            #expect(try store.enrichmentValues(runID: saved.id!, entityID: "z") == values(of: "z", industry: "Retail"))
            #expect(try count("enrichment_value", in: store) == 4)
        }
    }

    @Test func pruningDropsTheSetsFactsAndProvenancesNoKeptRunHas() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: [lead("a", line: 2), lead("b", line: 3)],
                                enrichments: values(of: "a", industry: "Software") + values(of: "b", industry: "Media", source: "old"))
            let kept = try store.recordRun(run("2"), snapshots: [lead("a", line: 2), lead("b", line: 3)],
                                           enrichments: values(of: "a", industry: "Software") + values(of: "b", industry: "Retail"))
            #expect(try count("enrichment_set", in: store) == 3)
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            // a's set is shared with the kept run and stays; b's old set, its Media value and the `old` source go.
            #expect(try count("enrichment_set", in: store) == 2)
            #expect(try count("enrichment_fact", in: store) == 3)
            #expect(try count("enrichment_provenance", in: store) == 2)
            #expect(try store.enrichmentValues(runID: kept.id!, entityID: "a") == values(of: "a", industry: "Software"))
            #expect(try store.enrichmentValues(runID: kept.id!, entityID: "b") == values(of: "b", industry: "Retail"))
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    /// A store written before `v-shared-enrichment` (values per run in `enrichment_value`) upgrades in
    /// place: its runs read as before, the next run shares its values, and pruning the old run takes its rows.
    @Test func aRunRecordedBeforeTheUpgradeReadsItsValuesAsBefore() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let earlier = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(earlier, upTo: "v-snapshot-sharing")
            let oldRunID = try earlier.write { db -> Int64 in
                var record = run("0")
                record.snapshotCount = 1
                try record.insert(db)
                try db.execute(sql: """
                    INSERT INTO lead_version (id, entity_id, email, first_name, last_name, title, company, domain, email_status,
                        web_status, web_redirect_domain, disposition) VALUES (1, 'a', 'a@x.com', '', '', '', 'Acme', '', '', '', '', 'active')
                    """)
                try db.execute(sql: "INSERT INTO run_lead (run_id, version_id, line, decay_status, decay_score) VALUES (?, 1, 2, 'fresh', 0.1)",
                               arguments: [record.id])
                for value in values(of: "a", industry: "Software") {
                    try db.execute(sql: "INSERT INTO enrichment_value (run_id, entity_id, field, value, source, as_of) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [record.id, value.entityID, value.field, value.value, value.source, value.asOf])
                }
                return record.id!
            }
            let store = try RunStore(path: path)
            #expect(try store.appliedMigrations().contains("v-shared-enrichment"))
            #expect(try store.enrichmentValues(runID: oldRunID, entityID: "a") == values(of: "a", industry: "Software"))
            #expect(try store.snapshots(runID: oldRunID) == [lead("a", line: 2)])

            let next = try store.recordRun(run("1"), snapshots: [lead("a", line: 2)], enrichments: values(of: "a", industry: "Retail"))
            #expect(try store.enrichmentValues(runID: oldRunID, entityID: "a") == values(of: "a", industry: "Software"))
            #expect(try store.enrichmentValues(runID: next.id!, entityID: "a") == values(of: "a", industry: "Retail"))
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            #expect(try count("enrichment_value", in: store) == 0)
            #expect(try store.enrichmentValues(runID: next.id!, entityID: "a") == values(of: "a", industry: "Retail"))
        }
    }
}
