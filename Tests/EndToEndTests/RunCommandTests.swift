import Foundation
import Testing
import TestSupport

/// Runs the built `leadhygiene` binary as a user would.
@Suite("leadhygiene run")
struct RunCommandTests {
    static let leads = """
    Email,First Name,Last Name,Company,Website,Phone,Country
    Ann.Lee@Acme.com ,ANN,LEE,"Acme, Inc.",HTTP://WWW.ACME.COM/?utm_source=x,(415) 555-0134,USA
    bob@globex.co.uk,bob,o'brien,Globex Ltd,globex.co.uk,020 7946 0958,United Kingdom
    broken,row
    carl@initech.de,Carl,Müller,Initech GmbH,https://initech.de,030 1234567,Deutschland

    """

    func pipeline(_ dir: TemporaryDirectory, extra: String = "") throws -> String {
        try dir.write("leads.csv", Self.leads)
        return try dir.write("p.yml", """
        name: e2e
        input:  { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        columns: { email: Email, first_name: "First Name" }
        stages:
          - normalize: {}
        \(extra)
        """)
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    @Test func writesOutputRejectsAndAReportThatAccountsForEveryRow() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("PASSED e2e in "))
            #expect(result.stderr.contains("rows_in 4 = rows_out 3 + rows_rejected 1 + rows_merged 0 ✓"))
            let clean = try dir.read("out/clean.csv").split(separator: "\n")
            #expect(clean.count == 4)
            #expect(clean[0].hasPrefix("Email,First Name,Last Name,Company,Website,Phone,Country,norm_email,norm_first_name"))
            // Originals untouched, normalized values beside them.
            #expect(clean[1].hasPrefix("Ann.Lee@Acme.com ,ANN,LEE,\"Acme, Inc.\",HTTP://WWW.ACME.COM/?utm_source=x,(415) 555-0134,USA,ann.lee@acme.com,Ann,Lee,"))
            #expect(clean[1].contains(",acme,http://www.acme.com,acme.com,+14155550134,US,"))
            #expect(clean[2].contains(",Bob,O'Brien,"))
            #expect(clean[2].contains(",globex.co.uk,+442079460958,GB,"))
            #expect(clean[3].contains(",+49301234567,DE,"))
            let rejects = try dir.read("out/rejects.csv").split(separator: "\n")
            #expect(rejects.count == 2)
            #expect(rejects[1].hasPrefix("4,input,csv_wrong_column_count,\"expected 7 fields, found 2\",\"broken,row\""))
            let json = try report(dir)
            #expect(json["rows_in"] as? Int == 4)
            #expect(json["rows_out"] as? Int == 3)
            #expect(json["rows_rejected"] as? Int == 1)
            #expect(json["rows_merged"] as? Int == 0)
            #expect((json["reject_reasons"] as? [String: Int]) == ["csv_wrong_column_count": 1])
            #expect(json["schema_version"] as? Int == 1)
            let samples = (json["reject_samples"] as? [String: [[String: Any]]])?["csv_wrong_column_count"]
            #expect(samples?.first?["line"] as? Int == 4)
            #expect(samples?.first?["detail"] as? String == "expected 7 fields, found 2")
            let stages = json["stages"] as? [[String: Any]]
            #expect(stages?.first?["name"] as? String == "normalize")
            #expect(stages?.first?["rows_in"] as? Int == 3)
            #expect(stages?.first?["seconds"] is Double)
            #expect((json["accounting"] as? [String: Any])?["holds"] as? Bool == true)
        }
    }

    @Test func overwriteReplacesOriginalsWithNormalizedValues() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir)
            try dir.write("p.yml", try dir.read("p.yml").replacingOccurrences(of: "normalize: {}", with: "normalize: { overwrite: true }"))
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 0)
            let clean = try dir.read("out/clean.csv").split(separator: "\n")
            #expect(clean[1].hasPrefix("ann.lee@acme.com,Ann,Lee,\"Acme, Inc.\",http://www.acme.com,+14155550134,US,"))
        }
    }

    @Test func readsStandardInputAndWritesStandardOutputWithFlagsOverridingTheFile() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--input", "-", "--output", "-", "--rejects", "r.csv", "--report", "r.json", "--quiet"],
                                                       stdin: "Email,First Name\nX@Y.COM,zoe\n", in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("Email,First Name,norm_email,norm_first_name"))
            #expect(result.stdout.contains("X@Y.COM,zoe,x@y.com,Zoe,"))
            #expect(dir.exists("r.json"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }

    @Test func writesJSONLWhenTheOutputSaysSo() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir)
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--output", "out/clean.jsonl", "--quiet"], in: dir.url).status == 0)
            let first = try dir.read("out/clean.jsonl").split(separator: "\n")[0]
            let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: String]
            #expect(object?["norm_email"] == "ann.lee@acme.com")
            #expect(object?["Company"] == "Acme, Inc.")
        }
    }

    @Test func aCrossedFailIfExitsOneAndDoesNotPublishTheOutput() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir, extra: "fail_if: { rejected_ratio: \"> 10%\" }")
            try dir.write("out/clean.csv", "previous run\n")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("fail_if crossed: rejected_ratio = 0.25 > 0.1"))
            #expect(try dir.read("out/clean.csv") == "previous run\n")
            #expect(dir.exists("out/rejects.csv"))
            #expect(try report(dir)["status"] as? String == "failed")
        }
    }

    @Test func producesIdenticalOutputWithOneJobOrFour() throws {
        try withTemporaryDirectory { dir in
            _ = try pipeline(dir)
            var text = "Email,First Name,Last Name,Company,Website,Phone,Country\n"
            for i in 0..<20_000 { text += "p\(i)@Firm\(i % 97).com,NAME\(i),x,Firm \(i % 97) LLC,firm\(i % 97).com,+1 415 555 \(String(format: "%04d", i % 10000)),US\n" }
            try dir.write("leads.csv", text)
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--jobs", "1", "--output", "one.csv", "--quiet"], in: dir.url).status == 0)
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--jobs", "4", "--output", "four.csv", "--quiet"], in: dir.url).status == 0)
            let one = try dir.read("one.csv")
            #expect(one == (try dir.read("four.csv")))
            #expect(one.split(separator: "\n").count == 20_001)
        }
    }

    /// Starts a run big enough to still be writing when a test signals it; returns it with its temporary output path.
    func startLongRun(_ dir: TemporaryDirectory) throws -> (process: Process, temporary: String) {
        _ = try pipeline(dir)
        var text = "Email,First Name,Last Name,Company,Website,Phone,Country\n"
        let row = "someone@example.com,Some,One,Example Corp,https://www.example.com,+1 415 555 0134,US\n"
        text.reserveCapacity(row.utf8.count * 600_000)
        for _ in 0..<600_000 { text += row }
        try dir.write("leads.csv", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessRunner.product("leadhygiene"))
        process.arguments = ["run", "p.yml", "--jobs", "1", "--quiet"]
        process.currentDirectoryURL = dir.url
        try process.run()
        return (process, dir.path("out/.clean.csv.tmp-\(process.processIdentifier)"))
    }

    /// Waits until the run has written part of its temporary output.
    func waitForPartialOutput(_ run: (process: Process, temporary: String)) -> Bool {
        for _ in 0..<3000 where run.process.isRunning {
            if let size = (try? FileManager.default.attributesOfItem(atPath: run.temporary))?[.size] as? Int, size > 0 { return true }
            usleep(2000)
        }
        return false
    }

    @Test func aKilledRunLeavesNoOutputFile() throws {
        try withTemporaryDirectory { dir in
            let run = try startLongRun(dir)
            let sawTemporary = waitForPartialOutput(run)
            kill(run.process.processIdentifier, SIGKILL)
            run.process.waitUntilExit()
            #expect(sawTemporary, "the run finished before it could be killed; make the input bigger")
            #expect(!dir.exists("out/clean.csv"))
            #expect(!dir.exists("out/report.json"))
        }
    }

    @Test func anInterruptedRunRemovesItsTemporaryFiles() throws {
        try withTemporaryDirectory { dir in
            let run = try startLongRun(dir)
            let sawTemporary = waitForPartialOutput(run)
            run.process.interrupt()
            run.process.waitUntilExit()
            #expect(sawTemporary, "the run finished before it could be interrupted; make the input bigger")
            #expect(run.process.terminationStatus == 130)
            #expect(!FileManager.default.fileExists(atPath: run.temporary))
            #expect(!dir.exists("out/clean.csv"))
        }
    }
}

@Suite("leadhygiene lint, stages and usage")
struct OtherCommandTests {
    @Test func lintPrintsFileLineColumnAndExitsTwo() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@x.com\n")
            try dir.write("p.yml", "input: { path: leads.csv }\nstages:\n  - normalize: { overwrit: yes }\n")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout == "p.yml:3:18: error: unknown option 'overwrit' in stage 'normalize'; did you mean 'overwrite'?\n")
        }
    }

    @Test func lintExitsZeroOnTheShippedPipelines() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Pipelines").path) where file.hasSuffix(".yml") {
            let result = try ProcessRunner.leadhygiene(["lint", "Pipelines/\(file)"], in: root)
            #expect(result.status == 0, "\(file): \(result.stdout)")
        }
    }

    @Test func runWithABadPipelineFileExitsTwo() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.com\n")
            try dir.write("p.yml", "input: { path: leads.csv }\nstagez: [normalize]\n")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("p.yml:2:1: error: unknown key 'stagez' in pipeline file; did you mean 'stages'?"))
        }
    }

    @Test func aMissingInputFailsTheRunWithExitOneAndAReport() throws {
        try withTemporaryDirectory { dir in
            try dir.write("p.yml", "input: { path: missing.csv }\noutput: { path: out/clean.csv, report: out/report.json }\nstages: [normalize]\n")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("p.yml:1:10: error: input file 'missing.csv' does not exist"))
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["status"] as? String == "failed")
            #expect((report?["failure"] as? String)?.contains("input file 'missing.csv' does not exist") == true)
            #expect(!dir.exists("out/clean.csv"))
        }
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try ProcessRunner.leadhygiene(["run"]).status == 2)
        #expect(try ProcessRunner.leadhygiene(["frobnicate"]).status == 2)
        #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--jobs", "0"]).status == 2)
        #expect(try ProcessRunner.leadhygiene(["--help"]).status == 0)
    }

    @Test func stagesListsOptionsTypesAndDefaults() throws {
        let result = try ProcessRunner.leadhygiene(["stages"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("normalize  —  "))
        #expect(result.stdout.contains("overwrite: bool = false"))
        #expect(result.stdout.contains("chunk_size: int = 1024"))
        #expect(result.stdout.contains("schema_sample_lines: int|all = all"))
    }

    @Test func reasonsListsTheInputCodes() throws {
        let result = try ProcessRunner.leadhygiene(["reasons"])
        #expect(result.stdout.contains("csv_unterminated_quote"))
        #expect(result.stdout.contains("csv_wrong_column_count"))
    }
}
