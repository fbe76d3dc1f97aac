import Foundation
import Testing
import TestSupport

/// The progress line as a person at a terminal sees it: every phase, never stale, and nothing on a pipe.
@Suite("Progress line")
struct ProgressLineTests {
    func writeDedupeRun(_ dir: TemporaryDirectory) throws {
        // Enough rows that dedupe works for a second or more, long enough for the line to be redrawn during it.
        let rows = (0..<12_000).map { i in
            "first\(i % 3000).last\(i % 2000)@acme\(i % 500).com,First\(i % 3000),Last\(i % 2000),Acme \(i % 500)"
        }
        try dir.write("leads.csv", "Email,First Name,Last Name,Company\n" + rows.joined(separator: "\n") + "\n")
        try dir.write("p.yml", "input: { path: leads.csv }\noutput: { path: out/clean.csv }\nstages: [normalize, dedupe]\n")
    }

    @Test func underATerminalTheLineFollowsReadingThenTheWholeListStage() throws {
        try withTemporaryDirectory { dir in
            try writeDedupeRun(dir)
            // `script` gives the run a pseudo-terminal, as an interactive shell would.
            let command = "\(ProcessRunner.product("leadhygiene")) run p.yml"
            let result = try ProcessRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"], currentDirectory: dir.url)
            #expect(result.status == 0, "\(result.stdout)")
            let lines = result.stdout.replacingOccurrences(of: "\u{1B}[K", with: "").split(separator: "\r").map(String.init)
            #expect(lines.contains { $0.hasPrefix("reading · ") && $0.contains(" rows/s · ") && $0.contains(" elapsed") })
            #expect(lines.contains { $0.hasPrefix("reading · 12,000 rows · 100 %") })
            #expect(lines.contains { $0.hasPrefix("dedupe (whole list) · 12,000 rows · ") && $0.contains(" in this phase") })
            #expect(result.stdout.contains("rows_in 12000 = rows_out"))
        }
    }

    @Test func onAPipeThereIsNoProgressLine() throws {
        try withTemporaryDirectory { dir in
            try writeDedupeRun(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0)
            #expect(!result.stderr.contains("\r"))
            #expect(!result.stderr.contains("reading · "))
        }
    }
}
