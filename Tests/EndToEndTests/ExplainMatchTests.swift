import Foundation
import RunStore
import Testing
import TestSupport

/// `leadhygiene explain-match`: a reviewer asks why two rows were, or were not, merged.
@Suite("explain-match")
struct ExplainMatchTests {
    static let pipeline = """
        input:  { path: leads.csv }
        output: { path: clean.csv }
        columns: { record_id: "Lead ID" }
        stages:
          - normalize: {}
          - dedupe: {}
        """

    /// The input line a lead starts on, found by its `Lead ID` at the start of a physical line.
    static func line(ofLead id: String, in text: String) throws -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.hasPrefix(id + ",") }) + 1
    }

    @Test func explainsAMergedPairAndAPairOfDifferentPeopleAsTheRunJudgedThem() throws {
        try withTemporaryDirectory { dir in
            let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("SampleData/leads.csv")
            let input = try String(contentsOf: sample, encoding: .utf8)
            try dir.write("leads.csv", input)
            try dir.write("p.yml", Self.pipeline)
            let run = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")

            // A row dedupe marked as a duplicate, and the row it is a duplicate of.
            let clean = try dir.read("clean.csv").split(separator: "\n").map(String.init)
            let header = clean[0].split(separator: ",").map(String.init)
            let duplicateOf = try #require(header.firstIndex(of: "duplicate_of"))
            let entity = try #require(header.firstIndex(of: "entity_id"))
            let rows = clean.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                .filter { $0.count == header.count }  // rows without quoted commas are enough here
            let duplicate = try #require(rows.first { !$0[duplicateOf].isEmpty })
            let duplicateLine = try Self.line(ofLead: duplicate[0], in: input)
            let survivorLine = try #require(Int(duplicate[duplicateOf]))
            try FileManager.default.removeItem(atPath: dir.path("clean.csv"))

            let merged = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "\(survivorLine)", "\(duplicateLine)", "--json"], in: dir.url)
            #expect(merged.status == 0, "\(merged.stderr)")
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
            #expect(verdict["same_entity"] as? Bool == true)
            let fields = try #require(verdict["fields"] as? [[String: Any]])
            #expect(fields.map { $0["field"] as? String }.contains("email"))
            let sum = fields.compactMap { $0["weight"] as? Double }.reduce(verdict["prior_weight"] as? Double ?? .nan, +)
            #expect(abs(sum - (verdict["weight"] as? Double ?? .nan)) < 1e-6)
            #expect(!FileManager.default.fileExists(atPath: dir.path("clean.csv")), "explain-match wrote the output")

            // Two rows in different entities.
            let other = try #require(rows.first { $0[entity] != duplicate[entity] && $0[duplicateOf].isEmpty })
            let apart = try ProcessRunner.leadhygiene(
                ["explain-match", "p.yml", "\(duplicateLine)", "\(try Self.line(ofLead: other[0], in: input))"], in: dir.url)
            #expect(apart.status == 0, "\(apart.stderr)")
            #expect(apart.stdout.hasSuffix("different entities\n"), "\(apart.stdout)")
            #expect(apart.stdout.contains("below the threshold"), "\(apart.stdout)")

            let header1 = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "1", "\(duplicateLine)"], in: dir.url)
            #expect(header1.status == 2)
            #expect(header1.stderr.contains("line 1 is not a row dedupe compared"), "\(header1.stderr)")
        }
    }

    @Test func leavesTheRunStoreAsItWas() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Lead ID,Email,First Name,Last Name,Company
                1,bob.smith@acme.test,Bob,Smith,Acme
                2,robert.smith@acme.test,Robert,Smith,Acme Inc
                3,ann.lee@globex.test,Ann,Lee,Globex

                """)
            // decay before dedupe would record a run on its own; under explain-match nothing is recorded.
            try dir.write("p.yml", """
                input: { path: leads.csv }
                store: store.sqlite
                columns: { record_id: "Lead ID" }
                stages:
                  - decay: {}
                  - dedupe: {}
                """)
            let result = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "3"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("first_name"), "\(result.stdout)")
            #expect(try RunStore(path: dir.path("store.sqlite")).runs(pipeline: "p").isEmpty)
        }
    }

    @Test func refusesAPipelineWithoutDedupe() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.test\nc@d.test\n")
            try dir.write("p.yml", "input: { path: leads.csv }\nstages:\n  - normalize: {}\n")
            let result = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "3"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("p.yml:2:1: error: the pipeline has no dedupe stage to explain"), "\(result.stderr)")
        }
    }
}
