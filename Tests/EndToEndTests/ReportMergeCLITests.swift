import Foundation
import Testing
import TestSupport

/// `leadhygiene report merge`: the reports of a list's partitions, run apart as a distributed run runs them
/// (`run --envelope --stages`), become the report.json and HTML page one `leadhygiene run` writes, timings and
/// paths aside; the accounting is checked across partitions and `fail_if` is judged on the whole list.
@Suite("leadhygiene report merge")
struct ReportMergeCLITests {
    static let now = "2026-12-01T00:00:00Z"

    /// A generated list and a pipeline of the per-record stages, in two segments when `dedupe` is true (dedupe
    /// needs every row: its segment runs as one partition, as the Spark driver runs it with --dedupe-single-task).
    static func pipeline(in dir: TemporaryDirectory, dedupe: Bool = false, failIf: String = "") throws {
        let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                              ["--rows", "4000", "--seed", "23", "--output", dir.path("leads.csv"),
                                               "--firmographics", dir.path("firmographics.csv")])
        #expect(generated.status == 0, "\(generated.stderr)")
        _ = try dir.write("p.yml", """
            name: merged
            input:  { path: leads.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json, html_report: out/report.html }
            columns: { record_id: "Lead ID", email: Email, first_name: "First Name", last_name: "Last Name", title: Title,
                       company: Company, website: Website, country: Country }
            \(failIf)
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false }, actions: { invalid: reject, risky: flag, unknown: keep } }
            \(dedupe ? "  - dedupe: { mode: merge }" : "")
              - firmographic_merge:
                  sources: [ { name: generated, path: firmographics.csv, as_of: 2026-10-01 } ]
              - score:
                  name: icp
                  groups:
                    - name: persona
                      rules:
                        - { when: "title matches_any [vp, head of, director, chief]", points: 40 }
                    - name: size
                      rules:
                        - { when: "firmo_employee_count between 50 and 2000", points: 20 }
                  tiers: { A: ">= 50", B: ">= 20", C: else }
            """)
    }

    /// The pipeline's segments run as a distributed run runs them: a per-record segment in `partitions` parts, a
    /// dedupe segment as one; returns the lines `report merge` reads, one per partition's report.
    static func partitionReports(in dir: TemporaryDirectory, segments: [(stages: String, partitions: Int)]) throws -> [String] {
        let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        var lines = encoded.stdout.split(separator: "\n").map(String.init)
        let input = try require(JSONSerialization.jsonObject(with: Data(lines.removeFirst().utf8)) as? [String: Any])
        var header = try String(decoding: JSONSerialization.data(withJSONObject: input), as: UTF8.self)
        var parts: [String] = []
        for (index, segment) in segments.enumerated() {
            var kept: [(seq: Int, line: String)] = []
            var columns: [String] = []
            let size = (lines.count + segment.partitions - 1) / segment.partitions
            for start in stride(from: 0, to: lines.count, by: size) {
                let result = try ProcessRunner.leadhygiene(
                    ["run", "p.yml", "--envelope", "--now", now, "--jobs", "1", "--stages", segment.stages],
                    stdin: ([header] + lines[start..<min(start + size, lines.count)]).map { $0 + "\n" }.joined(), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                for line in result.stdout.split(separator: "\n").map(String.init) {
                    let object = try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    switch object["kind"] as? String {
                    case "summary":
                        let report = try require(object["report"])
                        let part = try JSONSerialization.data(withJSONObject: ["segment": index, "report": report])
                        parts.append(String(decoding: part, as: UTF8.self))
                    case "header": columns = object["columns"] as? [String] ?? []
                    case "row": kept.append((try require(object["seq"] as? Int), line))
                    default: break
                    }
                }
            }
            // The next segment reads the rows this one kept, in input order, with every column made so far.
            lines = kept.sorted { $0.seq < $1.seq }.map(\.line)
            var next = input
            next["row_columns"] = columns
            header = try String(decoding: JSONSerialization.data(withJSONObject: next), as: UTF8.self)
        }
        return parts
    }

    static func merge(_ parts: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        _ = try dir.write("parts.jsonl", parts.map { $0 + "\n" }.joined())
        return try ProcessRunner.leadhygiene(
            ["report", "merge", "p.yml", "--parts", "parts.jsonl", "--report", "spark/report.json", "--html", "spark/report.html"],
            in: dir.url)
    }

    /// A report without what a distributed run may say otherwise: when and how long it ran, with how many
    /// threads, where its files were, the bytes it set aside.
    static func comparable(_ text: String) throws -> NSDictionary {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] { return object.filter { !$0.key.contains("seconds") }.mapValues(strip) }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        var report = try require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["run_id", "started_at", "jobs", "pipeline_file", "input", "output", "rejects", "timing", "held_rows"] {
            report[key] = nil
        }
        return try require(strip(report) as? NSDictionary)
    }

    @Test(arguments: [false, true])
    func partitionReportsMergeIntoTheOneMachineReport(dedupe: Bool) throws {
        try withTemporaryDirectory { dir in
            try Self.pipeline(in: dir, dedupe: dedupe)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", Self.now, "--quiet"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            let segments: [(stages: String, partitions: Int)] = dedupe ? [("1-2", 3), ("3-3", 1), ("4-5", 3)] : [("1-4", 3)]
            let merged = try Self.merge(try Self.partitionReports(in: dir, segments: segments), in: dir)
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stderr.hasPrefix("PASSED merged in "), "\(merged.stderr)")
            let oneMachine = try Self.comparable(dir.read("out/report.json"))
            let distributed = try Self.comparable(dir.read("spark/report.json"))
            for key in Set(oneMachine.allKeys.compactMap { $0 as? String }).union(distributed.allKeys.compactMap { $0 as? String }) {
                #expect((oneMachine[key] as? NSObject) == (distributed[key] as? NSObject), "report key \(key) differs")
            }
            // The page is the merged report's, as `report html` renders it.
            let page = try ProcessRunner.leadhygiene(["report", "html", "spark/report.json"], in: dir.url)
            #expect(page.stdout == (try dir.read("spark/report.html")))
        }
    }

    @Test func aThresholdCrossedOverTheWholeListFailsTheMerge() throws {
        try withTemporaryDirectory { dir in
            // No partition judges fail_if (each holds a part of the list): the merge judges the whole.
            try Self.pipeline(in: dir, failIf: #"fail_if: { rejected_ratio: "> 0.001" }"#)
            let merged = try Self.merge(try Self.partitionReports(in: dir, segments: [("1-4", 2)]), in: dir)
            #expect(merged.status == 1)
            let report = try require(JSONSerialization.jsonObject(with: Data(dir.read("spark/report.json").utf8)) as? [String: Any])
            #expect(report["status"] as? String == "failed")
            #expect((report["failure"] as? String ?? "").hasPrefix("fail_if crossed: rejected_ratio = "))
            let conditions = try require(report["fail_if"] as? [[String: Any]])
            #expect(conditions.map { $0["crossed"] as? Bool } == [true])
            #expect((report["accounting"] as? [String: Any])?["holds"] as? Bool == true)
        }
    }

    @Test func aPartitionThatLostARowBreaksTheMergedAccounting() throws {
        try withTemporaryDirectory { dir in
            try Self.pipeline(in: dir)
            var parts = try Self.partitionReports(in: dir, segments: [("1-4", 2)])
            // The second partition says one row fewer came out than it took in and put anywhere.
            var report = try require(JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any])
            var counts = try require(report["report"] as? [String: Any])
            counts["rows_out"] = try require(counts["rows_out"] as? Int) - 1
            report["report"] = counts
            parts[1] = String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
            let merged = try Self.merge(parts, in: dir)
            #expect(merged.status == 1)
            let written = try require(JSONSerialization.jsonObject(with: Data(dir.read("spark/report.json").utf8)) as? [String: Any])
            #expect((written["failure"] as? String ?? "").hasPrefix("accounting identity broken across partitions"))
            #expect(merged.stderr.contains("✗ ACCOUNTING BROKEN"), "\(merged.stderr)")
        }
    }

    @Test func linesThatAreNotPartitionReportsAreRefusedWithTheirNumber() throws {
        try withTemporaryDirectory { dir in
            try Self.pipeline(in: dir)
            let merged = try Self.merge([#"{"segment":0,"report":{"rows_in":1}}"#, #"{"segment":0,"rows":[1,2"#], in: dir)
            #expect(merged.status == 1)
            #expect(merged.stderr.contains("line 2: not JSON at byte "), "\(merged.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("spark/report.json")))
        }
    }
}
