import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// `RunStore.erase` on a real SQLite file: every table that holds the person, the bytes of the database
/// and its WAL, and the tombstone.
@Suite("Erasing a person")
struct ErasureTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)
    static let address = "zoe.erasable@acme-widgets.com"

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 2, rowsActive: 2, rowsRejected: 0, rowsMerged: 0)
    }

    /// Matches the address the way the library's mailbox identity does for this (non-Gmail) address.
    var subject: ErasureSubject {
        ErasureSubject(hash: "feedface", isSubjectAddress: { text in
            let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
            guard let at = lowered.lastIndex(of: "@") else { return false }
            let local = lowered[..<at].split(separator: "+", maxSplits: 1).first.map(String.init) ?? ""
            return local + lowered[at...] == Self.address
        }, spellings: [Self.address])
    }

    static func bytes(_ path: String) -> [UInt8] { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? [] }

    static func holds(_ path: String, _ text: String) -> Bool {
        ErasureText.mentions(bytes(path), anyOf: [Array(text.lowercased().utf8)])
    }

    @Test func everyRowAboutThePersonGoesAndTheirBytesLeaveTheDatabaseAndItsWAL() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let store = try RunStore(path: path)
            let zoe = LeadSnapshot(entityID: "E00000000z0e", line: 2, email: "Zoe.Erasable+news@acme-widgets.com", firstName: "Zoe",
                                   lastName: "Erasable", title: "CTO", company: "Acme Widgets", domain: "acme-widgets.com")
            let ann = LeadSnapshot(entityID: "email:ann@acme-widgets.com", line: 3, email: "ann@acme-widgets.com", firstName: "Ann")
            let firstRun = try store.recordRun(run("a"), snapshots: [zoe, ann], enrichments: [
                EnrichmentValue(entityID: zoe.entityID, field: "firmo_industry", value: "Widgets", source: "ref", asOf: "2026-10-01"),
                EnrichmentValue(entityID: ann.entityID, field: "firmo_industry", value: "Widgets", source: "ref", asOf: "2026-10-01"),
            ])
            _ = try store.recordRun(run("b"), snapshots: [zoe, ann])
            // A run from before snapshot sharing (the legacy layout), dedupe's memory, caches, and a table this
            // version does not know (a later stage's assignments).
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO run (pipeline, input_checksum, reference_time, started_at, finished_at, rows_in, rows_active,
                        rows_rejected, rows_merged, snapshot_count) VALUES ('old', 'x', ?1, ?1, ?1, 1, 1, 0, 0, 1)
                    """, arguments: [reference])
                try db.execute(sql: """
                    INSERT INTO lead_snapshot (run_id, entity_id, line, email, first_name, last_name, title, company, domain,
                        email_status, web_status, web_redirect_domain, decay_status, decay_score, disposition)
                    VALUES (?, 'email:zoe.erasable@acme-widgets.com', 2, 'ZOE.ERASABLE@acme-widgets.com', 'Zoe', 'Erasable', 'CTO',
                        'Acme', 'acme-widgets.com', 'valid', '', '', 'fresh', 0.1, 'active')
                    """, arguments: [db.lastInsertedRowID])
                try db.execute(sql: "CREATE TABLE later_stage_rows (entity_id TEXT, owner TEXT, email TEXT)")
                try db.execute(sql: "INSERT INTO later_stage_rows VALUES ('E00000000z0e', 'sam', ''), ('E0000000a11e', 'kim', 'ann@acme-widgets.com')")
            }
            try store.rememberEntityIDs(["zoeerasable@acme-widgets.com": zoe.entityID, "ann@acme-widgets.com": "E0000000a11e"])
            try store.saveSMTPAddressVerdicts([SMTPAddressVerdictEntry(address: Self.address, outcome: "accepted", reply: "250 2.1.5 <zoe.erasable@acme-widgets.com> ok",
                                                                       probedAt: reference, expiresAt: reference.addingTimeInterval(86_400))])
            try store.savePages([
                CachedPage(url: "https://acme-widgets.com/team", status: 200, body: Data("<a href=mailto:Zoe.Erasable@Acme-Widgets.com>Zoe</a>".utf8), fetchedAt: reference),
                CachedPage(url: "https://acme-widgets.com/", status: 200, body: Data("<h1>Widgets</h1>".utf8), fetchedAt: reference),
            ])
            #expect(Self.holds(path + "-wal", "erasable"), "the fixture's pages about the person are in the WAL")

            let outcome = try store.erase(subject, requestID: "GDPR-42", at: reference)

            let deleted = Dictionary(uniqueKeysWithValues: outcome.deleted.map { ($0.table, $0.rows) })
            #expect(deleted["lead_record"] == 1, "one version shared by both runs")
            #expect(deleted["run_lead"] == 2)
            #expect(deleted["lead_snapshot"] == 1)
            // The person's enrichment values went with their run_lead rows: the values themselves are a company's
            // facts, stored once for every lead that has them (v-shared-enrichment).
            #expect(deleted["entity_key"] == 1)
            #expect(deleted["smtp_address_verdict"] == 1)
            #expect(deleted["http_page"] == 1)
            #expect(deleted["later_stage_rows"] == 1)
            #expect(outcome.runIDs.count == 3)
            #expect(try store.integers("SELECT count(*) FROM lead_version") == [1], "Ann stays")
            #expect(try store.integers("SELECT snapshot_count FROM run WHERE id = ?", arguments: [firstRun.id!]) == [1])
            #expect(try store.integers("SELECT count(*) FROM http_page") == [1])
            #expect(try store.tombstoneHashes() == ["feedface"])
            #expect(try store.integrityCheck() == ["ok"])

            for file in [path, path + "-wal"] {
                #expect(!Self.holds(file, "erasable"), "\(file) still holds the person's bytes")
            }
            #expect(Self.bytes(path + "-wal").isEmpty, "the WAL is truncated")
            #expect(Self.holds(path, "ann@acme-widgets.com"), "the others' bytes are still there")
        }
    }

    @Test func everyConnectionTheStoreOpensSecurelyDeletes() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let writer = try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }
            let reader = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }
            #expect(writer == 1)
            #expect(reader == 1)
        }
    }

    @Test func eachStoreHasItsOwnErasureKeyKeptAcrossOpens() throws {
        try withTemporaryDirectory { dir in
            let first = try RunStore(path: dir.path("a.sqlite")).erasureKey()
            #expect(first.count == 32)
            #expect(try RunStore(path: dir.path("a.sqlite")).erasureKey() == first)
            #expect(try RunStore(path: dir.path("b.sqlite")).erasureKey() != first)
        }
    }
}
