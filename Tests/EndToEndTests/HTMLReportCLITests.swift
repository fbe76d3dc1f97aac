import Foundation
import Testing
import TestSupport

/// `output.html_report` and `leadhygiene report html`, through the built CLI: the page a run publishes and
/// the page rendered later from its report.json are the same bytes.
@Suite("HTML report through the CLI")
struct HTMLReportCLITests {
    /// The sample list's first 120 rows (real clusters for dedupe), then one person seven times whose company
    /// is a script, and a row whose company breaks out of an attribute: lines 122–128 and 129.
    static func leads() throws -> String {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/leads.csv")
        let lines = try String(contentsOf: sample, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var rows = lines.prefix(121).map(String.init)
        for copy in 1...7 {
            rows.append(
                "L900000\(copy),Bob,Stone,bob@globex.com,CEO,<script>alert(1)</script>,globex.com,"
                    + "+1 415 555 0100,United States,Boston,web,2025-08-15,2026-02-12")
        }
        rows.append(
            #"L9000008,Cy,Park,not-an-email,CTO,"""><img src=x onerror=alert(1)>",initech.io,,,,web,2025-08-15,2026-02-12"#)
        return rows.joined(separator: "\n") + "\n"
    }

    static let pipeline = """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json, html_report: out/report.html }
        store: out/store.sqlite
        stages:
          - normalize: {}
          - email_check: { dns: { enabled: false } }
          - dedupe: {}
        """

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aRunWritesThePageAndReportHTMLRendersItsReportToTheSameBytes() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write("weekly.yml", Self.pipeline)
            let run = try ProcessRunner.leadhygiene(
                ["run", "weekly.yml", "--now", "2026-11-01T00:00:00Z", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            let page = try bytes(dir.path("out/report.html"))
            let text = String(decoding: page, as: UTF8.self)
            #expect(text.hasPrefix("<!DOCTYPE html>"))
            #expect(!text.lowercased().contains("http:") && !text.lowercased().contains("https:"))
            #expect(!text.contains("<script") && !text.contains("<img"))
            #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(text.contains("<section id=\"duplicates\">"))

            let rendered = try ProcessRunner.leadhygiene(["report", "html", "out/report.json", "-o", "again.html"], in: dir.url)
            #expect(rendered.status == 0, "\(rendered.stderr)")
            #expect(try bytes(dir.path("again.html")) == page)
            let printed = try ProcessRunner.leadhygiene(["report", "html", "out/report.json"], in: dir.url)
            #expect(printed.status == 0)
            #expect(Data(printed.stdout.utf8) == page)
        }
    }

    @Test func aSecondRunWithAStoreListsBothRunsAndTheLargestClusters() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write("weekly.yml", Self.pipeline)
            for now in ["2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z"] {
                let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", now, "--quiet"], in: dir.url)
                #expect(run.status == 0, "\(run.stderr)")
            }
            let report = try JSONSerialization.jsonObject(with: bytes(dir.path("out/report.json"))) as? [String: Any] ?? [:]
            let history = report["history"] as? [[String: Any]] ?? []
            #expect(history.count == 2)
            #expect(history.map { $0["rows_in"] as? Int } == [128, 128])
            let checksum = report["input_checksum"] as? String ?? ""
            #expect(!checksum.isEmpty)
            let stages = report["stages"] as? [[String: Any]] ?? []
            let dedupe = stages.first { $0["name"] as? String == "dedupe" }?["summary"] as? [String: Any] ?? [:]
            let clusters = dedupe["largest_clusters"] as? [[String: Any]] ?? []
            #expect(clusters.count == 5)
            #expect(clusters.first?["size"] as? Int == 7)
            let rows = clusters.first?["rows"] as? [[String: Any]] ?? []
            #expect(rows.compactMap { $0["line"] as? Int } == [122, 123, 124, 125, 126])
            #expect(rows.first?["company"] as? String == "<script>alert(1)</script>")
            let pairs = dedupe["explained_pairs"] as? [[String: Any]] ?? []
            #expect(pairs.count == 3)
            #expect((pairs.first?["lines"] as? [Int])?.first == 122)
            let fields = pairs.first?["fields"] as? [Any] ?? []
            #expect(!fields.isEmpty)
            let page = String(decoding: try bytes(dir.path("out/report.html")), as: UTF8.self)
            #expect(page.contains("<svg class=\"spark\""))
            #expect(page.contains("<svg class=\"chart waterfall\""))
        }
    }

    @Test func aRunThatCrossesFailIfPublishesAPageThatSaysFailedAndKeepsNoCleanList() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write("weekly.yml", Self.pipeline + "\nfail_if: { rows_rejected: \"> 0\" }\n")
            let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet"], in: dir.url)
            #expect(run.status == 1)
            let page = String(decoding: try bytes(dir.path("out/report.html")), as: UTF8.self)
            #expect(page.contains("<span class=\"verdict failed\">FAILED</span>"))
            #expect(page.contains("fail_if crossed"))
            #expect(!FileManager.default.fileExists(atPath: dir.path("out/clean.csv")))
        }
    }

    @Test func aRelativePathIsReadFromThePipelineFilesFolder() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write(
                "pipelines/weekly.yml",
                """
                input: { path: ../leads.csv }
                output: { path: ../out/clean.csv, html_report: ../out/report.html }
                stages:
                  - email_check: { dns: { enabled: false } }
                """)
            let run = try ProcessRunner.leadhygiene(["run", "pipelines/weekly.yml", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.path("out/report.html")))
            #expect(!FileManager.default.fileExists(atPath: dir.path("pipelines/out/report.html")))
        }
    }

    @Test func aDryRunWritesNoPage() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write("weekly.yml", Self.pipeline)
            let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--dry-run", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("out/report.html")))
        }
    }

    @Test func anHTMLReportOverTheJSONReportIsRefusedBeforeAnythingIsRead() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads())
            try dir.write(
                "weekly.yml",
                Self.pipeline.replacingOccurrences(of: "html_report: out/report.html", with: "html_report: out/report.json"))
            let run = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet"], in: dir.url)
            #expect(run.status == 2)
            #expect(run.stderr.contains("report and html_report name the same file"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("out/clean.csv")))
        }
    }

    @Test func reportHTMLNamesAFileItCannotRead() throws {
        try withTemporaryDirectory { dir in
            try dir.write("notes.txt", "not a report")
            let missing = try ProcessRunner.leadhygiene(["report", "html", "missing.json"], in: dir.url)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("missing.json"))
            let garbage = try ProcessRunner.leadhygiene(["report", "html", "notes.txt", "-o", "page.html"], in: dir.url)
            #expect(garbage.status == 1)
            #expect(garbage.stderr.contains("notes.txt is not JSON"))
            #expect(!FileManager.default.fileExists(atPath: dir.path("page.html")))
        }
    }
}
