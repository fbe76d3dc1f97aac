import Foundation
import Testing
import TestSupport

/// dedupe in annotate mode holds each row with only the columns it reads; the rest waits in a temporary file and
/// comes back before the rows go on. The files are the same whether values were set aside, could not be (no
/// temporary directory), or stopped being (a file-size limit reached mid-list).
@Suite("dedupe sets aside what it does not read")
struct DedupeHeldRowsCLITests {
    static func generatedList(in dir: TemporaryDirectory) throws {
        let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                              ["--rows", "3000", "--seed", "11", "--output", dir.path("leads.csv")])
        #expect(generated.status == 0, "\(generated.stderr)")
        _ = try dir.write("p.yml", """
            chunk_size: 100
            input:  { path: leads.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            columns: { record_id: "Lead ID" }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false } }
              - dedupe: { mode: annotate, explain: true }
            """)
        try FileManager.default.createDirectory(atPath: dir.path("tmp"), withIntermediateDirectories: true)
    }

    /// Runs `command` (the pipeline with two jobs) under `/bin/sh` with `TMPDIR` set; returns its result and report.
    func run(_ dir: TemporaryDirectory, tmpdir: String, shell: String = "")
        throws -> (result: ProcessResult, bytesSetAside: Int, notes: [String]) {
        let result = try ProcessRunner.run("/bin/sh", ["-c", "\(shell) exec \"$0\" run p.yml --jobs 2 --quiet --now 2026-12-01T00:00:00Z \"$@\"",
                                                       ProcessRunner.product("leadhygiene")] + (shell.isEmpty ? [] : ["--output", "-"]),
                                           currentDirectory: dir.url, environment: ["TMPDIR": tmpdir])
        let report = try require(JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
        let held = try require(report["held_rows"] as? [String: Any])
        return (result, try require(held["bytes_set_aside"] as? Int), report["notes"] as? [String] ?? [])
    }

    @Test func theFilesAreTheSameWhetherValuesAreSetAsideOrNot() throws {
        try withTemporaryDirectory { dir in
            try Self.generatedList(in: dir)
            let setAside = try run(dir, tmpdir: dir.path("tmp"))
            #expect(setAside.result.status == 0, "\(setAside.result.stderr)")
            #expect(setAside.bytesSetAside > 500_000, "most of each row's text waits on disk")
            #expect(setAside.notes.allSatisfy { !$0.contains("whole") })
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("tmp")).isEmpty, "the temporary file is gone")
            let clean = try dir.read("out/clean.csv"), rejects = try dir.read("out/rejects.csv")
            #expect(clean.contains("match_explain"))

            // No temporary directory: rows are held whole, with a note saying so.
            let noTemporary = try run(dir, tmpdir: dir.path("missing"))
            #expect(noTemporary.result.status == 0, "\(noTemporary.result.stderr)")
            #expect(noTemporary.bytesSetAside == 0)
            #expect(noTemporary.notes.contains { $0.hasPrefix("dedupe held its rows whole: cannot create a temporary file in") })
            #expect(try dir.read("out/clean.csv") == clean)
            #expect(try dir.read("out/rejects.csv") == rejects)

            // A file-size limit (`ulimit -f 256`) stops the temporary file partway (EFBIG): the chunks after it are held
            // whole. The clean file goes to standard output, which the limit does not cover.
            let limited = try run(dir, tmpdir: dir.path("tmp"), shell: "ulimit -f 256;")
            #expect(limited.result.status == 0, "\(limited.result.stderr)")
            #expect(limited.bytesSetAside > 0 && limited.bytesSetAside < setAside.bytesSetAside)
            #expect(limited.notes.contains { $0.hasPrefix("dedupe held some rows whole") && $0.contains("File too large") })
            #expect(limited.result.stdout == clean)
            #expect(try dir.read("out/rejects.csv") == rejects)
        }
    }
}
