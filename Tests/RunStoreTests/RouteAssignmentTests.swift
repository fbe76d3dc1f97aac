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

    func weeklyRun(_ checksum: String) -> RunRecord {
        let now = Date()
        return RunRecord(pipeline: "weekly", inputChecksum: checksum, referenceTime: now, startedAt: now, finishedAt: now,
                         rowsIn: 2, rowsActive: 2, rowsRejected: 0, rowsMerged: 0)
    }

    func owners(_ store: RunStore) throws -> [String: String] { try store.routeAssignments().mapValues(\.owner) }

    /// The runner's path: route stages its assignments in the run's staging area beside decay's snapshots, and one
    /// commit writes the run row, the snapshots, the assignments (with the run's id) and the output files.
    @Test func aRecordedRunKeepsItsStagedAssignmentsWithItsRunIDAndAFailedRunLeavesLastWeeksOwners() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let store = try RunStore(path: path)
            let week1 = RunStagingArea()
            week1.add(try store.stageRun(pipeline: "weekly", summaryJSON: "{}", snapshots: [
                LeadSnapshot(entityID: "entity:E1", line: 2, email: "a@acme.com"),
                LeadSnapshot(entityID: "entity:E2", line: 3, email: "b@acme.com"),
            ]))
            week1.stageRouteAssignments([RouteAssignmentEntry(leadKey: "entity:E1", owner: "dan", pool: "smb"),
                                         RouteAssignmentEntry(leadKey: "entity:E2", owner: "eve", pool: "smb")])
            let first = try #require(try store.commit(weeklyRun("week1"), staging: week1,
                                                      outputs: [(role: "output", path: "/out/clean.csv")]).id)
            #expect(week1.runs.isEmpty && week1.routeAssignments == nil)
            #expect(try store.integers("SELECT snapshot_count FROM run WHERE id = ?", arguments: [first]) == [2])
            #expect(try store.integers("SELECT DISTINCT run_id FROM route_assignment") == [Int(first)])
            #expect(try store.outputFiles().map(\.runID) == [first])

            // Week 2 fails (fail_if, say): the runner drops what its stages staged.
            let failed = RunStagingArea()
            failed.add(try store.stageRun(pipeline: "weekly", summaryJSON: "{}", snapshots: [LeadSnapshot(entityID: "entity:E1", line: 2)]))
            failed.stageRouteAssignments([RouteAssignmentEntry(leadKey: "entity:E1", owner: "gus", pool: "smb"),
                                          RouteAssignmentEntry(leadKey: "entity:E2", owner: "gus", pool: "smb")])
            failed.discard()
            #expect(failed.runs.isEmpty && failed.routeAssignments == nil)
            let reopened = try RunStore(path: path)
            #expect(try owners(reopened) == ["entity:E1": "dan", "entity:E2": "eve"])
            #expect(try reopened.runs().count == 1)

            // Week 3 succeeds without a decay stage (no staged run): its row, assignments and files are one commit too.
            let week3 = RunStagingArea()
            week3.stageRouteAssignments([RouteAssignmentEntry(leadKey: "entity:E1", owner: "fay", pool: "smb")])
            let third = try #require(try reopened.commit(weeklyRun("week3"), staging: week3,
                                                         outputs: [(role: "output", path: "/out/clean.csv")]).id)
            #expect(try owners(reopened) == ["entity:E1": "fay", "entity:E2": "eve"])
            #expect(try reopened.integers("SELECT run_id FROM route_assignment ORDER BY lead_key") == [Int(third), Int(first)])
            #expect(try reopened.integers("SELECT snapshot_count FROM run WHERE id = ?", arguments: [third]) == [0])
            #expect(try reopened.outputFiles().map(\.runID) == [first, third])
        }
    }
}
