import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

@Suite("route's assignments in the store")
struct RouteAssignmentTests {
    func record(_ store: RunStore, _ checksum: String) throws -> Int64 {
        let now = Date()
        let run = RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: now, startedAt: now, finishedAt: now,
                            rowsIn: 1, rowsActive: 1, rowsRejected: 0, rowsMerged: 0)
        return try #require(try store.recordRun(run, snapshots: [LeadSnapshot]()).id)
    }

    @Test func aLeadKeepsTheNewestAssignmentAndLosesItWhenItsRunIsPruned() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let first = try record(store, "week1")
            try store.saveRouteAssignments([RouteAssignmentEntry(leadKey: "entity:E1", owner: "dan", pool: "smb"),
                                            RouteAssignmentEntry(leadKey: "entity:E2", owner: "eve", pool: "smb")], runID: first)
            let second = try record(store, "week2")
            try store.saveRouteAssignments([RouteAssignmentEntry(leadKey: "entity:E1", owner: "fay", pool: "smb")], runID: second)
            // Reopened, as next week's run does.
            let reopened = try RunStore(path: dir.path("store.sqlite"))
            #expect(try reopened.routeAssignments().mapValues(\.owner) == ["entity:E1": "fay", "entity:E2": "eve"])
            // Week 1 pruned: E2 was last routed then, so its row goes with it.
            #expect(try reopened.pruneRuns(pipeline: "weekly", keepingLast: 1) == 1)
            #expect(try reopened.routeAssignments().mapValues(\.owner) == ["entity:E1": "fay"])
        }
    }
}
