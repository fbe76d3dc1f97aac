import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// A lead version keeps its entity id and the part of its email before the `@` as text and the ids of
/// its other texts, stored once in `lead_text` (migration `v-lead-text`); `lead_version` is a view that
/// gives back exactly the texts that were recorded, whatever their shape.
@Suite("Lead texts stored once")
struct LeadTextTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 6, rowsActive: 6, rowsRejected: 0, rowsMerged: 0)
    }

    /// Emails without an `@`, with two, ending in one, empty; texts beyond ASCII; empty and repeated texts.
    static let awkward: [LeadSnapshot] = [
        LeadSnapshot(entityID: "a", line: 2, email: "jo@acme.com", firstName: "Jo", lastName: "Doe", title: "CTO", company: "Acme",
                     domain: "acme.com", emailStatus: "valid", webStatus: "ok", webRedirectDomain: "", decayStatus: "fresh",
                     decayScore: 0.125, disposition: "active"),
        LeadSnapshot(entityID: "b", line: 3, email: "no-at-sign", firstName: "", lastName: "", title: "CTO", company: "Acme"),
        LeadSnapshot(entityID: "c", line: 4, email: "x@y@z.example", title: "Chief \u{1F600} Officer", company: "Bücher GmbH",
                     domain: "bücher.de", disposition: "rejected:email_invalid"),
        LeadSnapshot(entityID: "d", line: 5, email: "trailing@", company: "acme", decayScore: nil),
        LeadSnapshot(entityID: "e", line: 6, email: "", webRedirectDomain: "other.example"),
        LeadSnapshot(entityID: "f", line: 7, email: "@acme.com", firstName: "Jo", lastName: "Doe", title: "CTO", company: "Acme",
                     domain: "acme.com"),
    ]

    @Test func awkwardTextsReadBackExactlyAndRepeatedOnesAreStoredOnce() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let first = try store.recordRun(run("1"), snapshots: Self.awkward)
            #expect(try store.snapshots(runID: first.id!) == Self.awkward)
            let compact = try store.comparableSnapshots(runID: first.id!)
            let c = try #require(compact.position(of: "c"))
            #expect(compact.text(.email, at: c) == "x@y@z.example")
            #expect(compact.text(.company, at: c) == "Bücher GmbH")
            // "Acme", "CTO", "acme.com", "Jo", "Doe" once each, however many versions hold them.
            #expect(try store.integers("SELECT count(*) FROM lead_text WHERE text IN ('Acme', 'CTO', 'acme.com', 'Jo', 'Doe')") == [5])
            #expect(try store.integers("SELECT count(*) FROM lead_text WHERE text = ''") == [1]) // the part after "trailing@"

            // Unchanged leads point at their versions; a changed one gets a new version.
            var second = Self.awkward
            second[1].title = "CEO"
            let saved = try store.recordRun(run("2"), snapshots: second)
            #expect(try store.integers("SELECT count(*) FROM lead_record") == [7])
            #expect(try store.snapshots(runID: saved.id!) == second)
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            #expect(try store.snapshots(runID: saved.id!) == second)
            // The texts only the pruned version had are gone.
            #expect(try store.integers("SELECT count(*) FROM lead_record") == [6])
            #expect(try store.integers("SELECT count(*) FROM lead_text WHERE text = 'CTO'") == [1])
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    /// A store whose versions were written whole (`v-snapshot-sharing`) upgrades in place: every run reads
    /// the same snapshots, and the next run with the same leads adds no version.
    @Test func versionsWrittenWholeMoveToSharedTextsWithTheirIDs() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let earlier = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(earlier, upTo: "v-shared-enrichment")
            let runID = try earlier.write { db -> Int64 in
                var record = run("0")
                record.snapshotCount = Self.awkward.count
                try record.insert(db)
                for (i, s) in Self.awkward.enumerated() {
                    // Version ids not in entity order, as weeks of runs leave them.
                    let versionID = 100 - i
                    try db.execute(sql: """
                        INSERT INTO lead_version (id, entity_id, email, first_name, last_name, title, company, domain, email_status,
                            web_status, web_redirect_domain, disposition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [versionID, s.entityID, s.email, s.firstName, s.lastName, s.title, s.company, s.domain,
                                         s.emailStatus, s.webStatus, s.webRedirectDomain, s.disposition])
                    try db.execute(sql: "INSERT INTO run_lead (run_id, version_id, line, decay_status, decay_score) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [record.id, versionID, s.line, s.decayStatus, s.decayScore])
                }
                return record.id!
            }
            let store = try RunStore(path: path)
            #expect(try store.appliedMigrations().contains("v-lead-text"))
            #expect(try store.snapshots(runID: runID) == Self.awkward)
            #expect(try store.snapshotsByEntity(runID: runID)["c"] == Self.awkward[2])
            let next = try store.recordRun(run("1"), snapshots: Self.awkward)
            #expect(try store.integers("SELECT count(*) FROM lead_record") == [Self.awkward.count])
            #expect(try store.snapshots(runID: next.id!) == Self.awkward)
        }
    }
}
