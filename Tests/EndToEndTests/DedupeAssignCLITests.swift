import Foundation
import RunStore
import Testing
import TestSupport

/// `leadhygiene dedupe assign`: the entities a distributed run's cluster tasks reported, named again as one run over
/// all their rows names them; with a store, the record keys that two tasks' entities hold are staged with the ID of
/// the last of those entities, for `store import` to read after the tasks' own files.
@Suite("leadhygiene dedupe assign")
struct DedupeAssignCLITests {
    func object(_ line: Substring) throws -> [String: Any] {
        try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
    }

    @Test func anOldEntitySplitOverTwoTasksIsNamedOnceAndAKeyInTwoTasksKeepsItsLastEntitysID() throws {
        try withTemporaryDirectory { dir in
            _ = try dir.write("p.yml", """
                input:  { path: leads.csv }
                output: { path: out/clean.csv }
                store: { path: store.sqlite }
                columns: { record_id: "Lead ID" }
                stages:
                  - dedupe: { mode: annotate }
                """)
            // Task 0 holds the entity of lines 2 and 3 (K1, K2); task 1 the entities of line 5 (K3: with K1 and K2, last
            // week's E-old) and line 7 (K2 again, a new lead under that key). Each task let its entity inherit E-old.
            _ = try dir.write("entities.jsonl", """
                {"first":5,"size":1,"key":"K3","votes":{"E-old":1},"id":"E-old"}
                {"first":2,"size":2,"key":"K1","votes":{"E-old":2},"id":"E-old"}
                {"first":7,"size":1,"key":"K2","votes":{"E-old":1},"id":"E-old"}

                """)
            _ = try dir.write("conflicts.jsonl", "{\"key\":\"K2\",\"first\":7}\n")
            let assigned = try ProcessRunner.leadhygiene(
                ["dedupe", "assign", "p.yml", "--entities", "entities.jsonl", "--conflicts", "conflicts.jsonl", "--staged", "assigned.staged",
                 "--now", "2026-12-08T00:00:00Z"], in: dir.url)
            #expect(assigned.status == 0, "\(assigned.stderr)")
            // The larger part keeps E-old; the others are named by their smallest keys, distinct from each other.
            let renamed = try assigned.stdout.split(separator: "\n").map(object)
            #expect(renamed.map { $0["first"] as? Int } == [5, 7])
            let ids = renamed.compactMap { $0["id"] as? String }
            #expect(ids.count == 2 && Set(ids).count == 2 && !ids.contains("E-old") && ids.allSatisfy { $0.hasPrefix("E") && $0.count == 13 })

            // The staged file holds K2 with line 7's ID, read as `store import` reads it.
            let store = try RunStore(path: dir.path("store.sqlite"))
            let staging = RunStagingArea()
            let file = try StagedRunFile.read(from: dir.path("assigned.staged"), into: store, adding: staging)
            #expect(file.baseRunID == nil)
            #expect(try store.entityIDs(forRecordKeys: ["K1", "K2", "K3"], staged: staging.entityKeys) == ["K2": ids[1]])
        }
    }
}
