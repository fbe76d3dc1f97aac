import Foundation
import Testing
import TestSupport

/// `leadhygiene run` on JSONL exports whose later records carry keys the first ones lack.
@Suite("leadhygiene run on JSONL")
struct JSONLInputCLITests {
    /// 1,500 leads; `linkedin` first appears on line 1,200, past the old 1,000-line sample.
    static let export: String = (1...1_500).map { line in
        "{\"email\":\"lead\(line)@example.com\",\"name\":\"lead \(line)\""
            + (line == 1_200 ? ",\"linkedin\":\"https://linkedin.com/in/lead\(line)\"" : "") + "}\n"
    }.joined()

    func pipeline(_ dir: TemporaryDirectory, input: String = "") throws {
        try dir.write("crm.jsonl", Self.export)
        try dir.write("p.yml", """
        input:  { path: crm.jsonl, format: jsonl\(input) }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        stages: [normalize]
        """)
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    @Test func aTerminalSeesTheFirstPassOverAFileOfSeveralBlocks() throws {
        try withTemporaryDirectory { dir in
            // About 2.5 MB, so the pass reads more than one 1 MiB block.
            let big = (1...30_000).map { "{\"email\":\"lead\($0)@example.com\",\"note\":\"\(String(repeating: "x", count: 40))\"}\n" }.joined()
            try dir.write("crm.jsonl", big)
            try dir.write("p.yml", """
            input:  { path: crm.jsonl, format: jsonl }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages: []
            """)
            // `script` gives the run a terminal, which is when the progress line is drawn.
            let command = "cd '\(dir.url.path)' && '\(ProcessRunner.product("leadhygiene"))' run p.yml"
            let result = try ProcessRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"])
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stdout.contains("learning the JSONL columns · "))
            #expect(try dir.read("out/clean.csv").split(separator: "\n").count == 30_001)
        }
    }

    @Test func aFileKeepsTheRowWhoseKeyFirstAppearsLateAndOutputsThatColumn() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("note:"))
            let clean = try dir.read("out/clean.csv").split(separator: "\n")
            #expect(clean.count == 1_501)
            #expect(clean[0].hasPrefix("email,name,linkedin,"))
            #expect(clean[1_200].hasPrefix("lead1200@example.com,lead 1200,https://linkedin.com/in/lead1200,"))
            let json = try report(dir)
            #expect(json["rows_rejected"] as? Int == 0)
            #expect(json["notes"] as? [String] == [])
        }
    }

    @Test func aNumericSampleRejectsTheLateKeysRowWithItsLineNumber() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, input: ", schema_sample_lines: 1000")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv").split(separator: "\n")[0].hasPrefix("email,name,norm_"))
            let rejects = try dir.read("out/rejects.csv").split(separator: "\n")
            #expect(rejects.count == 2)
            #expect(rejects[1].hasPrefix("1200,input,jsonl_unexpected_field,key 'linkedin' is not among the columns"))
        }
    }

    @Test func standardInputFromAPipeSamplesItsFirstLinesAndSaysSo() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--input", "-"], stdin: Self.export, in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("note: standard input is not a regular file and cannot be read twice, "
                                           + "so its JSONL columns come from its first 1000 lines"))
            let json = try report(dir)
            #expect((json["notes"] as? [String])?.count == 1)
            #expect((json["reject_reasons"] as? [String: Int]) == ["jsonl_unexpected_field": 1])
            #expect(try dir.read("out/rejects.csv").split(separator: "\n")[1].hasPrefix("1200,input,jsonl_unexpected_field,"))
        }
    }

    @Test func standardInputRedirectedFromAFileIsReadWhole() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            // `< crm.jsonl` makes standard input a regular file, which can be read twice.
            let result = try ProcessRunner.run("/bin/sh", ["-c", "exec \"$0\" run p.yml --input - < crm.jsonl",
                                                           ProcessRunner.product("leadhygiene")], currentDirectory: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("note:"))
            #expect(try report(dir)["rows_rejected"] as? Int == 0)
            #expect(try dir.read("out/clean.csv").split(separator: "\n")[0].hasPrefix("email,name,linkedin,"))
        }
    }
}
