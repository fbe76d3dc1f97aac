import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

@Suite("Comparable snapshots")
struct ComparableSnapshotsTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// Empty texts, NULL scores, rejected leads, non-ASCII text in composed and decomposed form, a
    /// NUL inside a text, and two entity ids Swift considers equal (é composed and decomposed).
    let snapshots = [
        LeadSnapshot(entityID: "email:ada@acme.com", line: 2, email: "ada@acme.com", firstName: "Ada", title: "CTO",
                     company: "Acme", domain: "acme.com", emailStatus: "valid", decayStatus: "fresh", decayScore: 0.1),
        LeadSnapshot(entityID: "email:bob@globex.com", line: 3, email: "bob@globex.com", title: "VP",
                     disposition: "rejected:decay_dead"),
        LeadSnapshot(entityID: "record:L3", line: 4),
        LeadSnapshot(entityID: "email:cy@initech.io", line: 5, email: "cy@initech.io", title: "Direct\u{0301}or",
                     company: "Soci\u{E9}t\u{E9} G\u{E9}n\u{E9}rale", emailStatus: "invalid", decayScore: nil),
        LeadSnapshot(entityID: "email:dee@umbrella.com", line: 6, email: "dee@umbrella.com", title: "CFO\u{0}hidden",
                     company: "Umbrella", emailStatus: "risky"),
        LeadSnapshot(entityID: "email:jos\u{E9}@x.com", line: 7, email: "jos\u{E9}@x.com", title: "composed"),
        LeadSnapshot(entityID: "email:jose\u{0301}@x.com", line: 8, email: "jose\u{0301}@x.com", title: "decomposed"),
    ]

    @Test func readsWhatTheFullSnapshotsByEntityReadForEveryComparedField() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let run = RunRecord(pipeline: "weekly", inputChecksum: "c", referenceTime: now, startedAt: now, finishedAt: now,
                                rowsIn: snapshots.count, rowsActive: snapshots.count, rowsRejected: 0, rowsMerged: 0)
            let saved = try store.recordRun(run, snapshots: snapshots)
            let full = try store.snapshotsByEntity(runID: saved.id!)
            let compact = try store.comparableSnapshots(runID: saved.id!)

            #expect(compact.count == full.count)
            var keys: [String] = []
            compact.forEachEntity { key, _ in keys.append(key) }
            #expect(keys.sorted() == full.keys.sorted())
            for (entityID, snapshot) in full {
                let position = try #require(compact.position(of: entityID))
                #expect(compact.line(at: position) == snapshot.line)
                #expect(compact.text(.email, at: position) == snapshot.email)
                #expect(compact.text(.title, at: position) == snapshot.title)
                #expect(compact.text(.company, at: position) == snapshot.company)
                #expect(compact.text(.emailStatus, at: position) == snapshot.emailStatus)
                #expect(compact.isEmpty(.title, at: position) == snapshot.title.isEmpty)
                #expect(compact.isEmpty(.company, at: position) == snapshot.company.isEmpty)
            }
            #expect(compact.position(of: "email:nobody@x.com") == nil)
            #expect(try store.comparableSnapshots(runID: 99).count == 0)
        }
    }

    @Test(arguments: [
        ("CTO", "CTO"), ("CTO", "cto"), ("CTO", ""), ("", ""), ("CTO", "CTO "),
        ("Direct\u{0301}or", "Direct\u{0301}or"), ("Direct\u{0301}or", "Directór"), ("Directór", "Director"),
        ("K", "\u{212A}"), ("CFO", "CFO\u{0}hidden"),
    ])
    func textEqualityAgreesWithStringEquality(stored: String, value: String) throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let run = RunRecord(pipeline: "weekly", inputChecksum: "c", referenceTime: now, startedAt: now, finishedAt: now,
                                rowsIn: 1, rowsActive: 1, rowsRejected: 0, rowsMerged: 0)
            let saved = try store.recordRun(run, snapshots: [LeadSnapshot(entityID: "e", line: 2, title: stored)])
            let full = try #require(try store.snapshotsByEntity(runID: saved.id!)["e"])
            let compact = try store.comparableSnapshots(runID: saved.id!)
            let position = try #require(compact.position(of: "e"))
            #expect(compact.text(.title, at: position, equals: value) == (full.title == value))
        }
    }
}
