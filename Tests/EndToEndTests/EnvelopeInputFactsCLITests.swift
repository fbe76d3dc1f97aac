import Foundation
import Testing
import TestSupport

/// `envelope encode --facts` and `report merge --input-facts`: a distributed run's merged report says how the input
/// was read (the notes a one-machine report opens with) and, with a store, carries the input's checksum, as the
/// report of one `leadhygiene run` over the same file does.
@Suite("envelope encode --facts")
struct EnvelopeInputFactsCLITests {
    @Test func theMergedReportHasTheNotesAndChecksumOfTheOneMachineReport() throws {
        try withTemporaryDirectory { dir in
            // Semicolons and a byte that is not UTF-8: the reader says which delimiter and encoding it chose.
            var bytes = Array("Lead ID;Email;First Name;Company\n".utf8)
            for row in 1...300 {
                bytes += Array("L\(row);person\(row)@acme\(row % 7).com;Ren".utf8) + [0xE9] + Array(";Acme \(row % 7)\n".utf8)
            }
            _ = try dir.write("leads.csv", bytes: bytes)
            _ = try dir.write("p.yml", """
                name: facts
                input:  { path: leads.csv }
                output: { path: clean.csv }
                store: { path: store.sqlite }
                columns: { record_id: "Lead ID", email: Email, first_name: "First Name", company: Company }
                stages:
                  - normalize: {}
                  - email_check: { dns: { enabled: false } }
                """)
            let run = try ProcessRunner.leadhygiene(["run", "p.yml", "--report", "one.json", "--now", "2026-12-01T00:00:00Z", "--quiet"],
                                                    in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--facts", "facts.json"], in: dir.url)
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let part = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--now", "2026-12-01T00:00:00Z"],
                                                     stdin: encoded.stdout, in: dir.url)
            #expect(part.status == 0, "\(part.stderr)")
            let summary = try require(part.stdout.split(separator: "\n").last.map(String.init))
            let object = try require(JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
            let line = try JSONSerialization.data(withJSONObject: ["segment": 0, "report": try require(object["report"])])
            _ = try dir.write("parts.jsonl", String(decoding: line, as: UTF8.self) + "\n")
            let merged = try ProcessRunner.leadhygiene(
                ["report", "merge", "p.yml", "--parts", "parts.jsonl", "--report", "merged.json", "--input-facts", "facts.json", "--quiet"],
                in: dir.url)
            #expect(merged.status == 0, "\(merged.stderr)")
            let read = { (name: String) in
                try require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path(name)))) as? [String: Any])
            }
            let one = try read("one.json"), spark = try read("merged.json")
            let notes = try require(one["notes"] as? [String])
            #expect(notes.contains { $0.contains("delimited by ';'") })
            #expect(spark["notes"] as? [String] == notes)
            #expect(spark["input_checksum"] as? String == one["input_checksum"] as? String)
            #expect((one["input_checksum"] as? String)?.isEmpty == false)
            let facts = try read("facts.json")
            #expect((facts["store"] as? String)?.hasSuffix("store.sqlite") == true)
        }
    }
}
