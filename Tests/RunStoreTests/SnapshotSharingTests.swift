import Foundation
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// A lead's snapshot is stored once while it does not change (`lead_version`); each run keeps its own
/// line, decay status and score (`run_lead`); pruning keeps what a kept run points at; runs recorded
/// in the earlier layout (`lead_snapshot`) read as before.
@Suite("Shared snapshots")
struct SnapshotSharingTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 3, rowsActive: 3, rowsRejected: 0, rowsMerged: 0)
    }

    func lead(_ id: String, line: Int, title: String, score: Double? = 0.1, status: String = "fresh") -> LeadSnapshot {
        LeadSnapshot(entityID: id, line: line, email: "\(id)@x.com", firstName: "F", lastName: "L", title: title,
                     company: "Acme", domain: "x.com", emailStatus: "valid", decayStatus: status, decayScore: score)
    }

    func versions(_ store: RunStore) throws -> Int { try store.integers("SELECT count(*) FROM lead_version")[0] }

    @Test func anUnchangedLeadIsStoredOnceAndEachRunKeepsItsOwnLineAndScore() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let week1 = [lead("a", line: 2, title: "CTO"), lead("b", line: 3, title: "CFO")]
            // a is unchanged but moved a line and aged; b changed title; c is new.
            let week2 = [lead("a", line: 5, title: "CTO", score: 0.3, status: "aging"), lead("b", line: 2, title: "CEO"),
                         lead("c", line: 3, title: "VP", score: nil)]
            let first = try store.recordRun(run("1"), snapshots: week1)
            let second = try store.recordRun(run("2"), snapshots: week2)
            #expect(try versions(store) == 4)
            #expect(second.snapshotCount == 3)
            #expect(try store.snapshots(runID: first.id!) == week1)
            #expect(try store.snapshots(runID: second.id!) == week2)
            let compact = try store.comparableSnapshots(runID: second.id!)
            let a = try #require(compact.position(of: "a"))
            #expect(compact.line(at: a) == 5)
            #expect(compact.text(.title, at: try #require(compact.position(of: "b"))) == "CEO")
        }
    }

    @Test func aRepeatedEntityIDInOneRunKeepsTheFirstSnapshot() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let saved = try store.recordRun(run("1"), snapshots: [lead("a", line: 2, title: "first"), lead("a", line: 3, title: "second")])
            #expect(saved.snapshotCount == 1)
            #expect(try store.snapshots(runID: saved.id!).map(\.title) == ["first"])
            #expect(try versions(store) == 1)
        }
    }

    @Test func pruningKeepsEveryVersionAKeptRunPointsAtAndDropsTheRest() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: [lead("a", line: 2, title: "CTO"), lead("b", line: 3, title: "CFO")])
            let kept = [lead("a", line: 2, title: "CTO"), lead("b", line: 3, title: "CEO")]
            let last = try store.recordRun(run("2"), snapshots: kept)
            #expect(try versions(store) == 3)
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            // a's version is shared with the pruned run and stays; b's old title goes.
            #expect(try versions(store) == 2)
            #expect(try store.snapshots(runID: last.id!) == kept)
            #expect(try store.comparableSnapshots(runID: last.id!).count == 2)
        }
    }

    @Test func aRunInTheEarlierLayoutReadsAsBeforeAndTheNextRunStoresItsLeadsInFull() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let earlier = [lead("a", line: 2, title: "CTO"), lead("b", line: 3, title: "CFO", score: nil)]
            // What a build before `v-snapshot-sharing` wrote: the run row and full rows in lead_snapshot.
            let runID = try store.pool.write { db -> Int64 in
                var record = run("0")
                record.snapshotCount = earlier.count
                try record.insert(db)
                for s in earlier {
                    try db.execute(sql: """
                        INSERT INTO lead_snapshot (run_id, entity_id, line, email, first_name, last_name, title, company, domain,
                            email_status, web_status, web_redirect_domain, decay_status, decay_score, disposition)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [record.id, s.entityID, s.line, s.email, s.firstName, s.lastName, s.title, s.company,
                                         s.domain, s.emailStatus, s.webStatus, s.webRedirectDomain, s.decayStatus, s.decayScore,
                                         s.disposition])
                }
                return record.id!
            }
            #expect(try store.snapshots(runID: runID) == earlier)
            #expect(try store.snapshotsByEntity(runID: runID)["b"] == earlier[1])
            #expect(try store.comparableSnapshots(runID: runID).count == 2)

            let next = try store.recordRun(run("1"), snapshots: earlier)
            #expect(try versions(store) == 2)
            #expect(try store.snapshots(runID: next.id!) == earlier)
            // Pruning the earlier run takes its full rows; the new run keeps its own.
            #expect(try store.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            #expect(try store.integers("SELECT count(*) FROM lead_snapshot") == [0])
            #expect(try store.snapshots(runID: next.id!) == earlier)
        }
    }
}
