import Foundation
import Testing
import TestSupport

/// `output.split_by: email_status` through the built CLI: the clean rows once more, one file per status, for
/// people who hand lists to an email service provider.
@Suite("leadhygiene run with output.split_by")
struct SplitOutputCLITests {
    /// Two valid, two risky (role, disposable), one invalid, one without an address (unknown with
    /// `missing: unknown`), and a row with a broken field count that the input rejects.
    static let leads = """
    Lead ID,Email
    1,jane@gmail.com
    2,bad@@example.org
    3,info@acme-industries.com
    4,joe@mailinator.com
    5,
    6,ann@outlook.com
    broken,row,with,extra

    """

    static let statuses = ["valid", "risky", "invalid", "unknown"]

    func pipeline(_ dir: TemporaryDirectory, output: String, stages: String? = nil) throws {
        try dir.write("p.yml", """
        input: { path: leads.csv }
        output:
        \(output)
        columns: { email: Email }
        stages:
        \(stages ?? "  - email_check: { dns: { enabled: false }, missing: unknown, actions: { invalid: flag, risky: flag, unknown: keep } }")
        """)
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
    }

    /// A CSV's data rows (without the header), split on LF.
    func rows(_ text: String) -> [Substring] { Array(text.split(separator: "\n").dropFirst()) }

    @Test func everyStatusGetsAFileWithTheHeaderAndTheirCountsAddUpToRowsOut() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try pipeline(dir, output: "  path: out/clean.csv\n  report: out/report.json\n  split_by: email_status")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")

            let clean = try dir.read("out/clean.csv")
            let header = clean.split(separator: "\n")[0]
            let statusColumn = try #require(header.split(separator: ",").firstIndex(of: "email_status"))
            var total = 0
            var leadIDs: [String: [String]] = [:]
            for status in Self.statuses {
                let text = try dir.read("out/clean.\(status).csv")
                #expect(text.split(separator: "\n").first == header, "\(status) starts with the clean output's header")
                for row in rows(text) {
                    let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                    #expect(String(fields[statusColumn]) == status, "\(row)")
                    leadIDs[status, default: []].append(String(fields[0]))
                }
                total += rows(text).count
            }
            #expect(leadIDs == ["valid": ["1", "6"], "risky": ["3", "4"], "invalid": ["2"], "unknown": ["5"]])

            let report = try report(dir)
            #expect(report["rows_out"] as? Int == total)
            #expect(report["rows_rejected"] as? Int == 1)
            #expect(report["split_by"] as? String == "email_status")
            let listed = try #require(report["split_outputs"] as? [[String: Any]])
            #expect(listed.map { $0["path"] as? String } == Self.statuses.map { "out/clean.\($0).csv" })
            #expect(listed.map { $0["rows"] as? Int } == [2, 2, 1, 1])
            #expect(result.stderr.contains("split by email_status: out/clean.valid.csv 2, out/clean.risky.csv 2, "
                                           + "out/clean.invalid.csv 1, out/clean.unknown.csv 1"), "\(result.stderr)")
        }
    }

    @Test func splitFilesFollowTheOutputsFormatByteOrderMarkAndLineEndings() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try pipeline(dir, output: "  path: out/clean.csv\n  split_by: email_status\n  delimiter: \";\"\n  bom: true\n  line_ending: crlf")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let valid = try Data(contentsOf: URL(fileURLWithPath: dir.path("out/clean.valid.csv")))
            #expect(Array(valid.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: valid.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("Lead ID;Email;email_status;"))
            #expect(text.components(separatedBy: "\r\n").count == 4, "header, two rows, and the final empty piece: \(text)")

            try pipeline(dir, output: "  path: out/clean.jsonl\n  split_by: email_status")
            let jsonl = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(jsonl.status == 0, "\(jsonl.stderr)")
            let risky = try dir.read("out/clean.risky.jsonl").split(separator: "\n")
            #expect(risky.count == 2)
            for line in risky {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["email_status"] as? String == "risky")
            }
            #expect(try dir.read("out/clean.unknown.jsonl").split(separator: "\n").count == 1)
        }
    }

    @Test func aStatusThatNoLongerOccursLeavesAFileWithOnlyTheHeaderNotLastWeeksRows() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try pipeline(dir, output: "  path: out/clean.csv\n  report: out/report.json\n  split_by: email_status")
            try dir.write("out/notes.txt", "mine\n")
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url).status == 0)
            #expect(rows(try dir.read("out/clean.risky.csv")).count == 2)

            try dir.write("leads.csv", "Lead ID,Email\n1,jane@gmail.com\n6,ann@outlook.com\n")
            let second = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(second.status == 0, "\(second.stderr)")
            for status in ["risky", "invalid", "unknown"] {
                #expect(rows(try dir.read("out/clean.\(status).csv")).isEmpty, "\(status) holds this run's rows: none")
            }
            #expect(rows(try dir.read("out/clean.valid.csv")).count == 2)
            #expect(try dir.read("out/notes.txt") == "mine\n", "a file the run was not asked to write stays")
        }
    }

    @Test func aRunThatCrossesFailIfPublishesNoSplitFileAndLeavesLastWeeksInPlace() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("out/clean.valid.csv", "last week's valid leads\n")
            try pipeline(dir, output: "  path: out/clean.csv\n  split_by: email_status\nfail_if: { rejected_ratio: \"> 10%\" }")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(try dir.read("out/clean.valid.csv") == "last week's valid leads\n")
            #expect(!dir.exists("out/clean.risky.csv"))
            #expect(!dir.exists("out/clean.csv"))
            #expect(!result.stderr.contains("split by email_status"), "\(result.stderr)")
        }
    }

    @Test func aSplitFileNamedAsTheRejectsIsRefusedBeforeAnythingIsReadOrWritten() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("out/clean.valid.csv", "last week's valid leads\n")
            try pipeline(dir, output: "  path: out/clean.csv\n  rejects: out/clean.valid.csv\n  split_by: email_status")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("p.yml:4:3: error: output split 'valid' and rejects name the same file"), "\(result.stderr)")
            #expect(try dir.read("out/clean.valid.csv") == "last week's valid leads\n")
            #expect(!dir.exists("out/clean.csv"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")) == ["clean.valid.csv"])
        }
    }

    @Test func lintRejectsASplitColumnNoStageWritesWithTheNearestName() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try pipeline(dir, output: "  path: out/clean.csv\n  split_by: email_stat")
            let misspelt = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(misspelt.status == 2)
            #expect(misspelt.stdout.contains("p.yml:4:3: error: output split_by names 'email_stat'"), "\(misspelt.stdout)")
            #expect(misspelt.stdout.contains("did you mean 'email_status'?"), "\(misspelt.stdout)")

            try pipeline(dir, output: "  path: out/clean.csv\n  split_by: email_status", stages: "  - normalize: {}")
            let withoutStage = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(withoutStage.status == 2)
            #expect(withoutStage.stdout.contains("p.yml:4:3: error: output split_by: email_status needs a stage that writes email_status"),
                    "\(withoutStage.stdout)")
        }
    }
}
