import Foundation
import Testing
import TestSupport

/// `output.merged`: rows folded into another row are written, not only counted.
@Suite("Merged rows file")
struct MergedOutputTests {
    /// Runs normalize + dedupe in merge mode on the sample leads with `output` as the pipeline's output line;
    /// returns the report's `rows_merged`.
    func runMerge(in dir: TemporaryDirectory, output: String, report: String) throws -> Int {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/leads.csv")
        try dir.write("leads.csv", try String(contentsOf: sample, encoding: .utf8))
        try dir.write("p.yml", """
        input:  { path: leads.csv }
        output: { \(output) }
        columns: { record_id: "Lead ID" }
        stages:
          - normalize: {}
          - dedupe: { mode: merge }
        """)
        let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(dir.read(report).utf8)) as? [String: Any]
        return try #require(json?["rows_merged"] as? Int)
    }

    @Test func writesEveryMergedRowWithTheLineItWasMergedInto() throws {
        try withTemporaryDirectory { dir in
            let rowsMerged = try runMerge(in: dir, output: "path: clean.csv, merged: merged.csv, report: report.json", report: "report.json")
            #expect(rowsMerged > 0)
            let merged = try dir.read("merged.csv").split(separator: "\n")
            #expect(merged.first?.hasPrefix("merged_line,merged_into_line,Lead ID,") == true)
            #expect(merged.count == rowsMerged + 1)
            // Each merged row appears once, and points at a survivor: a row that was not itself merged away.
            let pairs = try merged.dropFirst().map { row -> (line: Int, into: Int) in
                let fields = row.split(separator: ",", maxSplits: 2)
                return (try #require(Int(fields[0])), try #require(Int(fields[1])))
            }
            let mergedLines = Set(pairs.map(\.line))
            #expect(mergedLines.count == pairs.count)
            #expect(pairs.allSatisfy { !mergedLines.contains($0.into) && $0.into != $0.line })
        }
    }

    @Test func mergeModeKeepsTheFoldedRowsBesideTheOutputWhenNoMergedPathIsGiven() throws {
        try withTemporaryDirectory { dir in
            let rowsMerged = try runMerge(in: dir, output: "path: out/clean.csv, report: out/report.json", report: "out/report.json")
            #expect(rowsMerged > 0)
            let merged = try dir.read("out/clean.merged.csv").split(separator: "\n")
            #expect(merged.first?.hasPrefix("merged_line,merged_into_line,Lead ID,") == true)
            #expect(merged.count == rowsMerged + 1)
        }
    }
}
