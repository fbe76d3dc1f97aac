import Foundation
import Testing
import TestSupport

/// The same list deduplicated twice gives the same report and files: the model's sums run in one fixed order,
/// not in the order a dictionary happens to hold its patterns in this process, nor by how many threads ran.
@Suite("dedupe is reproducible")
struct DedupeDeterminismCLITests {
    /// A generated lead list (with the duplicates, typos and malformed rows a CRM export has) and a pipeline that merges.
    static func generatedList(rows: Int, in dir: TemporaryDirectory) throws {
        let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                              ["--rows", String(rows), "--seed", "7", "--output", dir.path("leads.csv")])
        #expect(generated.status == 0, "\(generated.stderr)")
        _ = try dir.write("p.yml", """
            input:  { path: leads.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, merged: out/merged.csv, report: out/report.json }
            columns: { record_id: "Lead ID", email: Email, first_name: "First Name", last_name: "Last Name", title: Title,
                       company: Company, website: Website, country: Country }
            stages:
              - normalize: {}
              - dedupe: { mode: merge }
            """)
    }

    /// Runs the pipeline with `jobs` threads; returns the dedupe section of its report and its three files.
    func run(jobs: Int, in dir: TemporaryDirectory) throws -> (dedupe: String, files: [String]) {
        let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--jobs", String(jobs), "--now", "2026-12-01T00:00:00Z", "--quiet"],
                                                   in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try require(JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
        let stages = try require(report["stages"] as? [[String: Any]])
        var dedupe = try require(stages.first { $0["name"] as? String == "dedupe" })
        // Seconds and memory per phase are the only figures that may change from run to run.
        for key in dedupe.keys where key.contains("seconds") || key.contains("phases") || key.contains("memory") { dedupe[key] = nil }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: dedupe, options: [.sortedKeys]), as: UTF8.self)
        return (text, try ["out/clean.csv", "out/rejects.csv", "out/merged.csv"].map { try dir.read($0) })
    }

    @Test func twoRunsAndOneOrTwoThreadsGiveTheSameModelReportAndFiles() throws {
        try withTemporaryDirectory { dir in
            try Self.generatedList(rows: 4000, in: dir)
            let first = try run(jobs: 2, in: dir)
            #expect(first.dedupe.contains("\"match_prior\""))
            #expect(first.files[2].split(separator: "\n").count > 100, "the list has duplicates to merge")
            let second = try run(jobs: 2, in: dir)
            let oneThread = try run(jobs: 1, in: dir)
            #expect(second.dedupe == first.dedupe)
            #expect(oneThread.dedupe == first.dedupe)
            #expect(second.files == first.files)
            #expect(oneThread.files == first.files)
        }
    }
}
