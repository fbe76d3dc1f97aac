import Foundation
import RunStore
import Testing
import TestSupport

/// `envelope encode --store`: a Spark run given `--store` for a pipeline that names none is recorded with the
/// input's checksum, as `leadhygiene run --store` records it, so the store knows a retry of the same input at the
/// same reference time and records it once.
@Suite("envelope encode --store")
struct EnvelopeStoreOptionCLITests {
    static let now = "2026-12-01T00:00:00Z"

    /// One run as the Spark driver runs it with `--store store`: the input encoded, both stages in one task that reads
    /// the store and stages what it would write, the merged report, then `store import`. Returns the import.
    static func segmentedRun(store: String, attempt: Int, in dir: TemporaryDirectory) throws -> ProcessResult {
        let facts = "facts-\(attempt).json", report = "spark-\(attempt).json", staged = "staged-\(attempt).bin"
        let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--store", store, "--facts", facts], in: dir.url)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let task = try ProcessRunner.leadhygiene(
            ["run", "p.yml", "--envelope", "--now", now, "--jobs", "1", "--stages", "1-2", "--store", store, "--staged", staged],
            stdin: encoded.stdout, in: dir.url)
        #expect(task.status == 0, "\(task.stderr)")
        let summary = try require(task.stdout.split(separator: "\n").last.map(String.init))
        let object = try require(JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let part = try JSONSerialization.data(withJSONObject: ["segment": 0, "report": try require(object["report"])])
        _ = try dir.write("parts-\(attempt).jsonl", String(decoding: part, as: UTF8.self) + "\n")
        let merged = try ProcessRunner.leadhygiene(
            ["report", "merge", "p.yml", "--parts", "parts-\(attempt).jsonl", "--report", report, "--input-facts", facts, "--quiet"],
            in: dir.url)
        #expect(merged.status == 0, "\(merged.stderr)")
        return try ProcessRunner.leadhygiene(["store", "import", "p.yml", "--store", store, "--report", report, "--staged", staged],
                                             in: dir.url)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func aRetryOfTheSameInputWithAStoreOnTheCommandLineIsRecordedOnce() throws {
        try withTemporaryDirectory { dir in
            let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                                  ["--rows", "400", "--seed", "17", "--output", dir.path("leads.csv")])
            #expect(generated.status == 0, "\(generated.stderr)")
            // No `store:` here: the store is named on the command line only, as `leadhygiene_spark.py --store` names it.
            _ = try dir.write("p.yml", """
                name: no-store
                input:  { path: leads.csv }
                output: { path: clean.csv }
                columns: { record_id: "Lead ID" }
                stages:
                  - normalize: {}
                  - decay: {}
                """)
            let one = try ProcessRunner.leadhygiene(
                ["run", "p.yml", "--store", "one.sqlite", "--now", Self.now, "--report", "one.json", "--output", "one-clean.csv", "--quiet"],
                in: dir.url)
            #expect(one.status == 0, "\(one.stderr)")
            let checksum = try Self.json(dir.path("one.json"))["input_checksum"] as? String
            #expect(checksum?.isEmpty == false)

            let first = try Self.segmentedRun(store: "spark.sqlite", attempt: 1, in: dir)
            #expect(first.status == 0, "\(first.stderr)")
            let facts = try Self.json(dir.path("facts-1.json"))
            #expect(facts["input_checksum"] as? String == checksum)
            #expect(facts["store"] as? String == "spark.sqlite")
            // Encoding reads no store: the first encode ran before the store existed and left none behind.
            #expect(try Self.json(dir.path("spark-1.json"))["input_checksum"] as? String == checksum)

            let retry = try Self.segmentedRun(store: "spark.sqlite", attempt: 2, in: dir)
            #expect(retry.status == 0, "\(retry.stderr)")
            let store = try require((try Self.json(dir.path("spark-2.json")))["store"] as? [String: Any])
            #expect(store["already_recorded"] as? Bool == true, "\(store)")
            let runs = try RunStore(path: dir.path("spark.sqlite")).runs()
            #expect(runs.map(\.inputChecksum) == [checksum ?? "-"])
        }
    }

    @Test func encodingWithAStoreThatDoesNotExistCreatesNothing() throws {
        try withTemporaryDirectory { dir in
            _ = try dir.write("leads.csv", "Lead ID,Email\nL1,ann@acme.com\nL2,bo@acme.com\n")
            _ = try dir.write("p.yml", """
                name: no-store
                input:  { path: leads.csv }
                output: { path: clean.csv }
                columns: { record_id: "Lead ID", email: Email }
                stages:
                  - normalize: {}
                """)
            let plain = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--facts", "plain.json"], in: dir.url)
            let stored = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--store", "new.sqlite", "--facts", "stored.json"],
                                                       in: dir.url)
            #expect(plain.status == 0 && stored.status == 0, "\(plain.stderr)\(stored.stderr)")
            #expect(try Self.json(dir.path("plain.json"))["input_checksum"] is NSNull)
            #expect((try Self.json(dir.path("stored.json"))["input_checksum"] as? String)?.isEmpty == false)
            #expect(!FileManager.default.fileExists(atPath: dir.path("new.sqlite")))
            // The rows are encoded the same way; only the header says a store is used.
            #expect(plain.stdout.split(separator: "\n").dropFirst() == stored.stdout.split(separator: "\n").dropFirst())
        }
    }
}
