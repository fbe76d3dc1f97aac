import Foundation
import Testing
import TestSupport

/// dedupe's entity ids across weekly runs, through the built CLI and a real store file.
@Suite("Stable entity ids")
struct StableEntityIDTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData/leads.csv")

    func pipeline(_ dir: TemporaryDirectory, input: String, store: String) throws -> String {
        try dir.write("p-\(store).yml", """
        name: ids
        input:  { path: \(input) }
        output: { path: out-\(store).csv }
        store: \(store).sqlite
        columns: { record_id: "Lead ID" }
        stages:
          - normalize: {}
          - dedupe: { mode: annotate }
        """)
    }

    /// Lead ID → entity_id from an output file.
    func entityIDs(_ dir: TemporaryDirectory, _ file: String) throws -> [String: String] {
        let lines = try dir.read(file).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let id = try #require(header.firstIndex(of: "Lead ID"))
        let entity = try #require(header.firstIndex(of: "entity_id"))
        var result: [String: String] = [:]
        // Lead ID is the first column and entity ids contain no commas; count from the end for entity_id.
        let fromEnd = header.count - entity
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            result[String(fields[id])] = String(fields[fields.count - fromEnd])
        }
        return result
    }

    @Test func anEntityKeepsItsIdWhenTheRowItWasNamedAfterLeavesTheList() throws {
        try withTemporaryDirectory { dir in
            let text = try String(contentsOf: Self.sample, encoding: .utf8)
            try dir.write("week1.csv", text)
            #expect(try ProcessRunner.leadhygiene(["run", try pipeline(dir, input: "week1.csv", store: "memory"), "--quiet"], in: dir.url).status == 0)
            let week1 = try entityIDs(dir, "out-memory.csv")

            // Entities with three or more rows; drop the smallest Lead ID of each, the row a fresh run names it after.
            var rowsByEntity: [String: [String]] = [:]
            for (lead, entity) in week1 { rowsByEntity[entity, default: []].append(lead) }
            let groups = rowsByEntity.filter { $0.value.count >= 3 }
            try #require(groups.count >= 5)
            let dropped = Set(groups.values.map { $0.min()! })
            let week2Lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { line in !dropped.contains(String(line.prefix { $0 != "," })) }
            try dir.write("week2.csv", week2Lines.joined(separator: "\n"))

            #expect(try ProcessRunner.leadhygiene(["run", try pipeline(dir, input: "week2.csv", store: "memory"), "--quiet"], in: dir.url).status == 0)
            let week2 = try entityIDs(dir, "out-memory.csv")
            #expect(try ProcessRunner.leadhygiene(["run", try pipeline(dir, input: "week2.csv", store: "fresh"), "--quiet"], in: dir.url).status == 0)
            let withoutMemory = try entityIDs(dir, "out-fresh.csv")

            var kept = 0, renamedWithoutMemory = 0, total = 0, split = 0
            for (entity, leads) in groups {
                let remaining = leads.filter { !dropped.contains($0) }
                // The dropped row may have been what held the others together (a swapped name on one side, a job
                // change on the other); then the entity splits, and the id stays with one of its parts.
                let week2Entities = Set(remaining.compactMap { week2[$0] })
                if week2Entities.count > 1 {
                    split += 1
                    #expect(week2Entities.contains(entity), "a split entity lost its id: \(remaining)")
                    continue
                }
                for lead in remaining {
                    total += 1
                    if week2[lead] == entity { kept += 1 }
                    if withoutMemory[lead] != entity { renamedWithoutMemory += 1 }
                }
            }
            #expect(kept == total, "\(total - kept) of \(total) rows changed entity id although the store remembers them")
            #expect(split * 10 <= groups.count, "\(split) of \(groups.count) entities split when one row left")
            #expect(renamedWithoutMemory > 0, "without the store the ids should follow the new smallest row")
        }
    }
}
