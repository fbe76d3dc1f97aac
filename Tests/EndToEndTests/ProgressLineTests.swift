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

extension ProgressLineTests {
    @Test func underATerminalTheLineNamesDedupesPhasesAndDecaysComparisonWithLastRun() throws {
        try withTemporaryDirectory { dir in
            try writeDedupeRun(dir)
            try dir.write("p.yml", "input: { path: leads.csv }\noutput: { path: out/clean.csv }\nstore: out/store.sqlite\n"
                          + "stages: [normalize, dedupe, decay]\n")
            let binary = ProcessRunner.product("leadhygiene")
            for now in ["2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z"] {
                let result = try ProcessRunner.run("/usr/bin/script", ["-qec", "\(binary) run p.yml --now \(now)", "/dev/null"],
                                                   currentDirectory: dir.url)
                #expect(result.status == 0, "\(result.stdout)")
                let lines = result.stdout.replacingOccurrences(of: "\u{1B}[K", with: "").split(separator: "\r").map(String.init)
                // Every phase is drawn as it starts, however short; counts where the stage knows them.
                for phase in ["blocking: keys per rule", "blocking: comparing pairs in blocks 0 of ", "training: u from random pairs",
                              "training: EM sessions per blocking rule 0 of ", "scoring pairs 0 of ", "clustering links 0 of ",
                              "naming the entities", "writing the entity columns 0 of "] {
                    #expect(lines.contains { $0.hasPrefix("dedupe (whole list) · 12,000 rows · \(phase)") && $0.contains(" in this step") },
                            "no line for \(phase)")
                }
                #expect(lines.contains { $0.hasPrefix("decay (whole list) · 12,000 rows · loading the last run from the store · ") })
                #expect(lines.contains { $0.hasPrefix("writing · ") })
                #expect(lines.contains { $0.hasPrefix("recording the run in the store · ") })
                // No line names a phase without a name.
                #expect(!lines.contains { $0.hasPrefix(" · ") })
                if now.hasPrefix("2026-11-27") {
                    #expect(lines.contains { $0.hasPrefix("decay (whole list) · 12,000 rows · comparing with last run 0 of 12,000 (0 %) · ") })
                    #expect(result.stdout.contains("  since last run (run 1): 0 new, 0 vanished, "))
                } else {
                    #expect(lines.contains { $0.hasPrefix("decay (whole list) · 12,000 rows · scoring (no earlier run to compare with) 0 of 12,000") })
                }
            }
        }
    }
}
