import Foundation
import GRDB
import LeadRecords
@testable import RunStore
import Testing
import TestSupport

/// The commit finds a lead unchanged by comparing its texts with the bytes of last run's version, without
/// looking up their ids: a lead that differs in any text, an email that gains or loses its `@`, a text that
/// becomes empty or filled, gets a version of its own exactly as the lookup by ids gave it.
@Suite("Unchanged leads found by their texts")
struct UnchangedLeadTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ checksum: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: reference, startedAt: reference,
                  finishedAt: reference, rowsIn: 6, rowsActive: 6, rowsRejected: 0, rowsMerged: 0)
    }

    func versions(_ store: RunStore) throws -> Int { try store.integers("SELECT count(*) FROM lead_record")[0] }

    /// Week 2's lead in place of week 1's lead of the same entity, each differing from it in one text only.
    static let changedLeads: [LeadSnapshot] = {
        let jo = LeadTextTests.awkward[0]
        var changes: [LeadSnapshot] = []
        func changed(_ lead: LeadSnapshot, _ change: (inout LeadSnapshot) -> Void) {
            var lead = lead
            change(&lead)
            changes.append(lead)
        }
        changed(jo) { $0.email = "jo@acme.org" }
        changed(jo) { $0.email = "joe@acme.com" }
        changed(jo) { $0.email = "joacme.com" }
        changed(jo) { $0.email = "jo@" }
        changed(jo) { $0.firstName = "" }
        changed(jo) { $0.title = "CTO " }
        changed(jo) { $0.webRedirectDomain = "acme.org" }
        changed(jo) { $0.disposition = "rejected:email_invalid" }
        changed(LeadTextTests.awkward[1]) { $0.email = "no-at-sign@" }
        changed(LeadTextTests.awkward[2]) { $0.domain = "bucher.de" }
        changed(LeadTextTests.awkward[3]) { $0.email = "trailing" }
        changed(LeadTextTests.awkward[4]) { $0.email = "@" }
        changed(LeadTextTests.awkward[5]) { $0.email = "x@acme.com" }
        return changes
    }()

    @Test(arguments: changedLeads)
    func aLeadThatDiffersInOneTextGetsAVersionOfItsOwnAndTheOthersShareTheirs(_ changed: LeadSnapshot) throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: LeadTextTests.awkward)
            let week2 = LeadTextTests.awkward.map { $0.entityID == changed.entityID ? changed : $0 }
            let second = try store.recordRun(run("2"), snapshots: week2)
            #expect(try versions(store) == LeadTextTests.awkward.count + 1)
            #expect(try store.snapshots(runID: second.id!) == week2)
        }
    }

    @Test func aRunOfUnchangedLeadsSharesEveryVersion() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: LeadTextTests.awkward)
            let second = try store.recordRun(run("2"), snapshots: LeadTextTests.awkward)
            #expect(try versions(store) == LeadTextTests.awkward.count)
            #expect(try store.snapshots(runID: second.id!) == LeadTextTests.awkward)
        }
    }

    /// Two `lead_text` rows with the same bytes (not written by LeadHygiene): a text's id is then the one the
    /// lookup finds, the newer row, so the leads with that text get a new version pointing at it, as before.
    @Test func aStoreWithARepeatedTextLooksTextsUpByIDAsBefore() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: LeadTextTests.awkward)
            try store.pool.write { db in try db.execute(sql: "INSERT INTO lead_text (text) VALUES ('Acme')") }
            let second = try store.recordRun(run("2"), snapshots: LeadTextTests.awkward)
            let withAcme = LeadTextTests.awkward.filter { $0.company == "Acme" }.count
            #expect(try versions(store) == LeadTextTests.awkward.count + withAcme)
            #expect(try store.snapshots(runID: second.id!) == LeadTextTests.awkward)
        }
    }

    /// Last run's versions load on a second connection during the commit: when they cannot be read (a damaged
    /// pack), the commit fails with that error and leaves the store as it was, as every failed commit does.
    @Test func aCommitThatCannotReadLastRunsLeadsRecordsNothing() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.recordRun(run("1"), snapshots: LeadTextTests.awkward)
            try store.pool.write { db in try db.execute(sql: "UPDATE run_lead_pack SET leads = x'07'") }
            let before = try store.integers("SELECT count(*) FROM run UNION ALL SELECT count(*) FROM lead_record")
            #expect(throws: PackedBlobError.self) { try store.recordRun(run("2"), snapshots: LeadTextTests.awkward) }
            #expect(try store.integers("SELECT count(*) FROM run UNION ALL SELECT count(*) FROM lead_record") == before)
            #expect(try store.runs().map(\.inputChecksum) == ["1"])
        }
    }
}
