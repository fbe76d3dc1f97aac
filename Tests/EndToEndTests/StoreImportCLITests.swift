import Foundation
import RunStore
import Testing
import TestSupport

/// `leadhygiene store import`: a pipeline with a store run in segments, as scripts/leadhygiene_spark.py runs it (the
/// whole-list segments read the store and write what they staged with `run --envelope --staged`, nothing commits),
/// is recorded by the import as two one-machine `leadhygiene run`s record themselves, week after week; a failed run,
/// or a store that recorded another run after the segments read it, is refused and the store stays as it was.
@Suite("leadhygiene store import")
struct StoreImportCLITests {
    static let weeks = ["2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z"]

    /// Two weeks of a generated list (the second with leads gone, new titles and new companies, as
    /// Benchmarks/next_week.py makes it) and the weekly pipeline: normalize, email_check, dedupe, firmographic_merge
    /// and decay with a store. email_check rejects invalid addresses and dedupe merges: decay snapshots the rejected
    /// rows and counts the merged ones, which the segments before it hand on as `carried` lines (`run --carry`).
    static func weeklyPipeline(in dir: TemporaryDirectory, failIf: String = "") throws {
        let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                              ["--rows", "2500", "--seed", "31", "--output", dir.path("week1.csv"),
                                               "--firmographics", dir.path("firmographics.csv")])
        #expect(generated.status == 0, "\(generated.stderr)")
        let lines = try dir.read("week1.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let names = lines[0].split(separator: ",").map(String.init)
        let title = try require(names.firstIndex(of: "Title")), company = try require(names.firstIndex(of: "Company"))
        var next = [lines[0]]
        for (index, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if line.contains("\"") || fields.count != names.count {
                next.append(line)
                continue
            }
            if index % 97 == 0 { continue }
            if index % 41 == 0 { fields[title] = "Senior " + fields[title] }
            if index % 53 == 0 { fields[company] = "Other \(index % 1000) Corp" }
            next.append(fields.joined(separator: ","))
        }
        _ = try dir.write("week2.csv", next.joined(separator: "\n") + "\n")
        _ = try dir.write("p.yml", """
            name: weekly
            input:  { path: week1.csv }
            output: { path: out/clean.csv }
            store: { path: one.sqlite, keep_runs: 4 }
            columns: { record_id: "Lead ID" }
            \(failIf)
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false }, actions: { invalid: reject, risky: flag, unknown: keep } }
              - dedupe: { mode: merge }
              - firmographic_merge:
                  sources: [ { name: generated, path: firmographics.csv, as_of: 2026-10-01 } ]
              - decay: {}
            """)
    }

    /// One week run as the Spark driver runs it, against `store`: normalize and email_check in two partitions, dedupe
    /// in one task and firmographic_merge with decay in another, each of those two reading the store and staging
    /// into a file of its own; then the merged report. The first two segments hand on the rows they set aside
    /// (`--carry`), which the driver adds, in seq order, to the last one's rows: there they pass through
    /// firmographic_merge untouched to decay. Returns the import's arguments (the staged files, in order).
    static func segmentedRun(week: Int, store: String, in dir: TemporaryDirectory) throws -> [String] {
        let input = "week\(week + 1).csv", facts = "facts-\(week).json"
        let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--input", input, "--facts", facts], in: dir.url)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        var lines = encoded.stdout.split(separator: "\n").map(String.init)
        let described = try require(JSONSerialization.jsonObject(with: Data(lines.removeFirst().utf8)) as? [String: Any])
        var header = try String(decoding: JSONSerialization.data(withJSONObject: described), as: UTF8.self)
        var parts: [String] = [], staged: [String] = []
        var carried: [(seq: Int, line: String)] = []
        let segments: [(stages: String, partitions: Int, readsStore: Bool)] = [("1-2", 2, false), ("3-3", 1, true), ("4-5", 1, true)]
        for (index, segment) in segments.enumerated() {
            let carries = index < segments.count - 1
            if !carries {
                var kept = [(seq: Int, line: String)]()
                for line in lines { kept.append((try require(Int(line.dropFirst(7).prefix { $0.isNumber })), line)) }
                lines = (kept + carried).sorted { $0.seq < $1.seq }.map(\.line)
            }
            var kept: [(seq: Int, line: String)] = []
            var columns: [String] = []
            let size = (lines.count + segment.partitions - 1) / segment.partitions
            for start in stride(from: 0, to: lines.count, by: size) {
                var arguments = ["run", "p.yml", "--envelope", "--now", weeks[week], "--jobs", "1", "--stages", segment.stages,
                                 "--output", "out/clean.csv"] + (carries ? ["--carry"] : [])
                if segment.readsStore {
                    staged.append("staged-\(week)-\(index).bin")
                    arguments += ["--store", store, "--staged", staged.last!]
                }
                let result = try ProcessRunner.leadhygiene(
                    arguments, stdin: ([header] + lines[start..<min(start + size, lines.count)]).map { $0 + "\n" }.joined(), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                for line in result.stdout.split(separator: "\n").map(String.init) {
                    let object = try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    switch object["kind"] as? String {
                    case "summary":
                        let part = try JSONSerialization.data(withJSONObject: ["segment": index, "report": try require(object["report"])])
                        parts.append(String(decoding: part, as: UTF8.self))
                    case "header": columns = object["columns"] as? [String] ?? []
                    case "row": kept.append((try require(object["seq"] as? Int), line))
                    case "carried": carried.append((try require(object["seq"] as? Int), line))
                    default: break
                    }
                }
            }
            lines = kept.sorted { $0.seq < $1.seq }.map(\.line)
            var next = described
            next["row_columns"] = columns
            header = try String(decoding: JSONSerialization.data(withJSONObject: next), as: UTF8.self)
        }
        _ = try dir.write("parts-\(week).jsonl", parts.joined(separator: "\n") + "\n")
        let merged = try ProcessRunner.leadhygiene(
            ["report", "merge", "p.yml", "--parts", "parts-\(week).jsonl", "--report", "spark-\(week).json", "--input", input,
             "--input-facts", facts, "--quiet"], in: dir.url)
        #expect(merged.status <= 1, "\(merged.stderr)")
        return staged.flatMap { ["--staged", $0] }
    }

    /// What a store holds that two runs of the same weeks must agree on: each run's row (timings aside), its
    /// snapshots, and the rows per table.
    static func contents(_ path: String) throws -> [String] {
        let store = try RunStore(path: path)
        var lines: [String] = []
        for run in try store.runs() {
            lines.append("run \(run.id ?? 0) \(run.pipeline) \(run.inputChecksum) \(run.referenceTime.timeIntervalSince1970) "
                         + "\(run.rowsIn) \(run.rowsActive) \(run.rowsRejected) \(run.rowsMerged) \(run.snapshotCount) \(run.summaryJSON)")
            lines += try store.snapshots(runID: run.id ?? 0).map { "\($0)" }
        }
        // run_output holds the files' paths, which differ by nature.
        lines += try store.statistics().rows.filter { $0.table != "run_output" }.map { "\($0.table) \($0.rows)" }
        return lines
    }

    static func report(_ path: String) throws -> [String: Any] {
        try require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func twoWeeksImportedRecordTheStoreTwoOneMachineRunsRecord() throws {
        try withTemporaryDirectory { dir in
            try Self.weeklyPipeline(in: dir)
            for week in 0..<2 {
                let run = try ProcessRunner.leadhygiene(
                    ["run", "p.yml", "--input", "week\(week + 1).csv", "--now", Self.weeks[week], "--report", "one-\(week).json", "--quiet"],
                    in: dir.url)
                #expect(run.status == 0, "\(run.stderr)")
                let staged = try Self.segmentedRun(week: week, store: "spark.sqlite", in: dir)
                let imported = try ProcessRunner.leadhygiene(
                    ["store", "import", "p.yml", "--store", "spark.sqlite", "--report", "spark-\(week).json"] + staged, in: dir.url)
                #expect(imported.status == 0, "\(imported.stderr)")
                #expect(imported.stderr.contains("store: run \(week + 1) recorded"))
                // The report names the run and the store's history as the one-machine run's does, timings aside.
                let one = try Self.report(dir.path("one-\(week).json")), spark = try Self.report(dir.path("spark-\(week).json"))
                #expect(spark["input_checksum"] as? String == one["input_checksum"] as? String)
                #expect((spark["store"] as? [String: Any])?["run_id"] as? Int == week + 1)
                #expect((spark["history"] as? [Any])?.count == week + 1)
                let decay = { (report: [String: Any]) in
                    ((report["stages"] as? [[String: Any]])?.last?["summary"] as? [String: Any])?["run_over_run"] as? [String: Any]
                }
                #expect(decay(spark)?["recorded_run"] as? Int == week + 1)
                #expect(decay(spark)?["previous_run"] as? Int == decay(one)?["previous_run"] as? Int)
                #expect(decay(spark)?["leads_compared"] as? Int == decay(one)?["leads_compared"] as? Int)
            }
            // Week 2 compared with week 1 and kept its entity ids: the same runs, snapshots and rows per table.
            let one = try Self.contents(dir.path("one.sqlite")), spark = try Self.contents(dir.path("spark.sqlite"))
            #expect(one.count > 2_000)
            // Rows set aside before decay are among them: snapshots of rejected rows, and runs that counted merged rows.
            #expect(one.contains { $0.contains("rejected:email_") })
            let runs = try RunStore(path: dir.path("one.sqlite")).runs()
            #expect(runs.count == 2 && runs.allSatisfy { $0.rowsMerged > 0 && $0.rowsRejected > 0 })
            let differing = zip(one, spark).first { $0 != $1 }
            #expect(one.count == spark.count && differing == nil, "one machine \(differing?.0 ?? "") spark \(differing?.1 ?? "")")
        }
    }

    @Test func anImportIsRefusedWhenTheStoreRecordedARunAfterTheSegmentsReadIt() throws {
        try withTemporaryDirectory { dir in
            try Self.weeklyPipeline(in: dir)
            let staged = try Self.segmentedRun(week: 0, store: "one.sqlite", in: dir)
            // A one-machine run records week 1 between the segments' reading and the import.
            let run = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", Self.weeks[0], "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            let before = try Self.contents(dir.path("one.sqlite"))
            let report = try dir.read("spark-0.json")
            let imported = try ProcessRunner.leadhygiene(
                ["store", "import", "p.yml", "--report", "spark-0.json"] + staged, in: dir.url)
            #expect(imported.status == 1)
            #expect(imported.stderr.contains("the store changed since the run's tasks read it"))
            #expect(try Self.contents(dir.path("one.sqlite")) == before)
            #expect(try dir.read("spark-0.json") == report)
        }
    }

    @Test func aRunThatCrossedFailIfIsNotImported() throws {
        try withTemporaryDirectory { dir in
            try Self.weeklyPipeline(in: dir, failIf: #"fail_if: { rejected_ratio: "> 0.001" }"#)
            let staged = try Self.segmentedRun(week: 0, store: "one.sqlite", in: dir)
            #expect(try Self.report(dir.path("spark-0.json"))["status"] as? String == "failed")
            let imported = try ProcessRunner.leadhygiene(
                ["store", "import", "p.yml", "--report", "spark-0.json"] + staged, in: dir.url)
            #expect(imported.status == 1)
            #expect(imported.stderr.contains("the run failed, so it is not recorded"))
            #expect(try RunStore(path: dir.path("one.sqlite")).runs().isEmpty)
        }
    }

    @Test func aFileThatIsNotAStagedRunIsRefused() throws {
        try withTemporaryDirectory { dir in
            try Self.weeklyPipeline(in: dir)
            let staged = try Self.segmentedRun(week: 0, store: "one.sqlite", in: dir)
            // A staged file cut short (a task killed while writing it) names itself and records nothing.
            let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path("staged-0-2.bin")))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir.path("staged-0-2.bin")))
            let imported = try ProcessRunner.leadhygiene(
                ["store", "import", "p.yml", "--report", "spark-0.json"] + staged, in: dir.url)
            #expect(imported.status == 1)
            #expect(imported.stderr.contains("is not a staged run"))
            #expect(try RunStore(path: dir.path("one.sqlite")).runs().isEmpty)
        }
    }
}
