import Foundation
import RunStore
import Testing
import TestSupport

/// `--log-level`/`--log-format` and the `LEADHYGIENE_*` variables through the built CLI: log lines on
/// standard error carry the run id the report has; the flag wins over the environment, the environment
/// over the pipeline file.
@Suite("Run logs and configuration from the environment")
struct RunLoggingCLITests {
    static let pipeline = """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: out/store.sqlite
        fail_if: { rejected_ratio: "> 0.5" }
        stages:
          - normalize: {}
          - decay: {}
        """

    func prepare(_ dir: TemporaryDirectory) throws {
        try dir.write("weekly.yml", Self.pipeline)
        try dir.write("leads.csv", "Email,Title\nann@acme.com,CTO\nbob@globex.com,CFO\nnot-an-email,CEO\n")
    }

    func run(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("leadhygiene"), ["run", "weekly.yml", "--now", "2026-11-23T00:00:00Z"] + arguments,
                              currentDirectory: dir.url, environment: environment)
    }

    func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    func objects(_ text: String) throws -> [[String: Any]] {
        try lines(text).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    @Test func jsonLogsAtInfoAreParseableLinesWithTheRunIDTheReportHas() throws {
        try withTemporaryDirectory { dir in
            try prepare(dir)
            let result = try run(["--log-format", "json", "--log-level", "info", "--quiet"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let events = try objects(result.stderr)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
            let runID = try #require(report["run_id"] as? String)
            #expect(!events.isEmpty)
            for event in events {
                for key in ["ts", "level", "run_id", "stage", "phase", "message"] { #expect(event[key] != nil, "\(key) missing in \(event)") }
                #expect(event["run_id"] as? String == runID)
            }
            // Every stage says it finished, with its rows; then the outputs, the store commit and the run.
            let finished = events.filter { $0["phase"] as? String == "finished" && $0["stage"] as? String != "run" }
            #expect(finished.map { $0["stage"] as? String } == ["normalize", "decay"])
            #expect(finished.first?["rows_in"] as? Int == 3)
            #expect(events.map { $0["phase"] as? String }.suffix(3) == ["published", "store_commit", "finished"])
            let store = try #require(events.first { $0["phase"] as? String == "store_commit" })
            #expect(store["store_run_id"] as? Int == 1)
            // The keys come in a fixed order, so lines can be read and diffed as text too.
            let first = try #require(lines(result.stderr).first)
            #expect(first.hasPrefix("{\"ts\":"))
            #expect(first.contains("\"level\":\"info\",\"run_id\":\"\(runID)\",\"stage\":\"run\",\"phase\":\"started\",\"message\":\"run started\""))
        }
    }

    @Test func theDefaultLevelPrintsNothingButTheSummary() throws {
        try withTemporaryDirectory { dir in
            try prepare(dir)
            let quiet = try run(["--quiet"], in: dir)
            #expect(quiet.status == 0)
            #expect(quiet.stderr == "")
            try FileManager.default.removeItem(atPath: dir.path("out"))
            let plain = try run([], in: dir)
            #expect(plain.status == 0)
            let summary = lines(plain.stderr)
            #expect(summary.first?.hasPrefix("PASSED weekly") == true)
            #expect(summary.dropFirst().allSatisfy { $0.hasPrefix("  ") })
        }
    }

    @Test func theEnvironmentSetsLogsAndStoreAndAFlagWinsOverIt() throws {
        try withTemporaryDirectory { dir in
            try prepare(dir)
            let environment = ["LEADHYGIENE_LOG_LEVEL": "info", "LEADHYGIENE_LOG_FORMAT": "json", "LEADHYGIENE_STORE": "env.sqlite"]
            let fromEnvironment = try run(["--quiet"], in: dir, environment: environment)
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
            #expect(try objects(fromEnvironment.stderr).count > 3)
            #expect(dir.exists("env.sqlite"))
            #expect(!dir.exists("out/store.sqlite"))
            #expect(try RunStore(path: dir.path("env.sqlite")).runs().count == 1)

            let flags = try run(["--quiet", "--log-format", "text", "--log-level", "error", "--store", "flag.sqlite"], in: dir,
                                environment: environment)
            #expect(flags.status == 0, "\(flags.stderr)")
            #expect(flags.stderr == "")
            #expect(dir.exists("flag.sqlite"))
            #expect(try RunStore(path: dir.path("env.sqlite")).runs().count == 1)

            let text = try run(["--quiet", "--log-format", "text"], in: dir, environment: environment)
            let first = try #require(lines(text.stderr).first)
            #expect(first.contains(" info run_id="))
            #expect(first.contains(" stage=run phase=started run started"))
        }
    }

    @Test(arguments: [("LEADHYGIENE_LOG_LEVEL", "loud"), ("LEADHYGIENE_LOG_FORMAT", "xml"), ("LEADHYGIENE_STORE", "")])
    func anInvalidValueInTheEnvironmentIsAUsageErrorNamingTheVariable(variable: String, value: String) throws {
        try withTemporaryDirectory { dir in
            try prepare(dir)
            let result = try run([], in: dir, environment: [variable: value])
            #expect(result.status == 2)
            #expect(result.stderr.contains(variable))
            #expect(!dir.exists("out/clean.csv"))
        }
    }
}
