import Foundation
import Testing
import TestSupport

/// The summary a sales-ops person reads on standard error, `--summary json` for jobs, and report.json's
/// `headline`, run with the built binary on a CRM export, twice against one store.
@Suite("Run summary")
struct RunSummaryCLITests {
    static let header = "Lead ID,Email,First Name,Last Name,Title,Company,Website,Last Activity,Land des Kontakts (Country)"

    /// This week's export: a duplicate, a role address (risky, flagged), a broken address (rejected), a lead
    /// idle for years (dead), hostile values in text fields and a missing title. The country column's
    /// German name maps to no field, which the run notes.
    static let week1 = [
        "L1,ann.lee@acme.com,Ann,Lee,VP Sales,Acme Inc,acme.com,2026-10-01,US",
        "L2,bob.stone@globex.com,Bob,Stone,CTO,Globex,globex.com,2026-09-15,DE",
        "L3,info@initech.com,Info,Desk,,Initech,initech.com,2026-10-20,",
        "L4,carol@@umbrella.com,Carol,Ng,Buyer,Umbrella,umbrella.com,2026-10-02,",
        "L5,ann.lee@acme.com,Ann,Lee,VP Sales,Acme Inc,acme.com,2026-08-01,",
        "L6,dave.old@hooli.com,Dave,Old,Manager,Hooli,hooli.com,2019-01-01,",
        "L7,eve.ray@soylent.com,=HYPERLINK(\"x\"),Ray,<script>alert(1)</script>,Soylent,soylent.com,2026-11-01,",
        "L8,frank.moe@vandelay.com,Frank,Moe,Importer,Vandelay,vandelay.com,2026-10-11,",
    ] + colleagues

    /// Twenty ordinary leads at twenty firms: enough rows for dedupe to weigh a shared address against.
    static let colleagues = (0..<20).map { i in
        let first = ["Hana", "Igor", "Jon", "Kim", "Lars", "Mia", "Nils", "Olga", "Paul", "Quinn", "Rosa", "Sven", "Tara",
                     "Uwe", "Vera", "Walt", "Xena", "Yuri", "Zoe", "Abe"][i]
        let last = ["Berg", "Cruz", "Diaz", "Endo", "Falk", "Gray", "Holm", "Ito", "Jung", "Kahn", "Lund", "Mohr", "Nash",
                    "Ortiz", "Pike", "Rao", "Sato", "Tran", "Vogel", "Wolf"][i * 7 % 20]
        return "F\(i),\(first.lowercased()).\(last.lowercased())@firm\(i).com,\(first),\(last),Analyst,Firm \(i) GmbH,"
            + "firm\(i).com,2026-10-\(10 + i % 15),"
    }

    /// Next week's: L8 gone, L9 new, L2 promoted (title), L7 moved company.
    static var week2: [String] {
        week1.filter { !$0.hasPrefix("L8,") }.map { row in
            if row.hasPrefix("L2,") { return row.replacingOccurrences(of: ",CTO,", with: ",CEO,") }
            if row.hasPrefix("L7,") { return row.replacingOccurrences(of: ",Soylent,soylent.com,", with: ",Wonka Industries,soylent.com,") }
            return row
        } + ["L9,gina.lin@stark.com,Gina,Lin,Engineer,Stark,stark.com,2026-11-10,"]
    }

    func writePipeline(_ dir: TemporaryDirectory, failIf: String = "") throws {
        try dir.write("week1.csv", ([Self.header] + Self.week1).joined(separator: "\n") + "\n")
        try dir.write("week2.csv", ([Self.header] + Self.week2).joined(separator: "\n") + "\n")
        try dir.write("p.yml", """
            name: people
            input: { path: week1.csv }
            output: { path: out/clean.jsonl, format: jsonl, rejects: out/rejects.csv, report: out/report.json }
            store: out/store.sqlite
            columns: { record_id: "Lead ID", email: Email, first_name: "First Name", last_name: "Last Name", title: Title, company: Company, website: Website, last_activity_at: "Last Activity" }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false } }
              - dedupe: { mode: annotate }
              - decay: {}
            \(failIf)
            """)
    }

    func run(_ dir: TemporaryDirectory, _ extra: [String]) throws -> ProcessResult {
        try ProcessRunner.leadhygiene(["run", "p.yml"] + extra, in: dir.url)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func stage(_ report: [String: Any], _ name: String) -> [String: Any] {
        (report["stages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == name } ?? [:]
    }

    /// The clean rows as written, one object each.
    func cleanRows(_ dir: TemporaryDirectory) throws -> [[String: Any]] {
        try dir.read("out/clean.jsonl").split(separator: "\n").map { try json(String($0)) }
    }

    @Test func theSummaryJSONHeadlineAddsUpAndMatchesTheReportAndTheRowsWritten() throws {
        try withTemporaryDirectory { dir in
            try writePipeline(dir)
            let result = try run(dir, ["--now", "2026-11-20T00:00:00Z", "--summary", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try json(result.stdout)
            let report = try json(dir.read("out/report.json"))
            let headline = try #require(summary["headline"] as? [String: Int])
            #expect(headline == report["headline"] as? [String: Int])
            // The accounting identity, in the headline's words.
            let rowsIn = try #require(headline["rows_in"])
            #expect(rowsIn == Self.week1.count)
            #expect(rowsIn == headline["usable"]! + headline["flagged"]! + headline["rejected"]! + headline["merged"]!)
            #expect(headline["usable"]! + headline["flagged"]! == report["rows_out"] as? Int)
            #expect(headline["rejected"] == report["rows_rejected"] as? Int)
            #expect(headline["merged"] == report["rows_merged"] as? Int)
            // Flagged and mailable, counted again from the clean rows as written.
            let rows = try cleanRows(dir)
            let flagged = rows.filter { $0["email_action"] as? String == "flag" || $0["decay_action"] as? String == "flag" }
            #expect(headline["flagged"] == flagged.count)
            #expect(flagged.contains { $0["Email"] as? String == "info@initech.com" })
            #expect(headline["mailable"] == rows.filter { $0["decay_mailable"] as? String == "yes" }.count)
            // What each stage found agrees with the stage's own summary in the report.
            let dedupe = try #require(stage(summary, "dedupe")["findings"] as? [String: Int])
            let dedupeSummary = try #require(stage(report, "dedupe")["summary"] as? [String: Any])
            #expect(dedupe["duplicate_rows"] == dedupeSummary["duplicate_rows"] as? Int)
            #expect(dedupe["duplicate_rows"] == 1)
            #expect(dedupe["entities_with_duplicates"] == 1)
            #expect(dedupe["rows_merged"] == 0)
            let email = try #require(stage(summary, "email_check")["findings"] as? [String: Any])
            let statuses = try #require((stage(report, "email_check")["summary"] as? [String: Any])?["email_status"] as? [String: Int])
            for status in ["valid", "risky", "invalid"] { #expect(email[status] as? Int == statuses[status, default: 0]) }
            #expect((email["risky_by_reason"] as? [String: Int])?["email_role_account"] == 1)
            #expect(stage(report, "dedupe")["findings"] as? [String: Int] == dedupe)
            // The first run of a history has nothing to compare with.
            let since = try #require(summary["since_last_run"] as? [String: Any])
            #expect(since["previous_run"] is NSNull)
            #expect(result.stderr.contains("  since last run: nothing to compare with, this is the first run of its history in the store"))
        }
    }

    @Test func aSecondRunAgainstTheStoreSaysWhatChangedSinceTheFirst() throws {
        try withTemporaryDirectory { dir in
            try writePipeline(dir)
            let first = try run(dir, ["--now", "2026-11-20T00:00:00Z"])
            #expect(first.status == 0, "\(first.stderr)")
            let second = try run(dir, ["--input", "week2.csv", "--now", "2026-11-27T00:00:00Z", "--summary", "json"])
            #expect(second.status == 0, "\(second.stderr)")
            let lines = second.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("PASSED people in ") == true)
            #expect(lines.first?.contains(" usable, ") == true && lines.first?.contains(" flagged, ") == true)
            #expect(lines.first?.contains(" mailable") == true)
            #expect(lines.count > 1 && lines[1].hasSuffix("✓"))
            // Compared: the 27 rows email_check kept, less L9 (new) and L5 (L1's duplicate: one entity, compared once).
            #expect(lines.contains("  since last run (run 1): 1 new, 1 vanished, 1 changed title, 1 changed company, "
                                   + "0 flipped to invalid; 25 compared"), "\(second.stderr)")
            let since = try #require(json(second.stdout)["since_last_run"] as? [String: Int])
            #expect(since == ["previous_run": 1, "leads_compared": 25, "new": 1, "vanished": 1, "changed_title": 1,
                              "changed_company": 1, "flipped_invalid": 0])
            #expect(try json(dir.read("out/report.json"))["since_last_run"] as? [String: Int] == since)
            // Per stage, in a person's words.
            #expect(lines.contains { $0.hasPrefix("  email_check: ") && $0.contains(" risky (email_role_account 1)") })
            #expect(lines.contains { $0.hasPrefix("  dedupe: 1 duplicate row of 1 person; ") && $0.hasSuffix("none merged (mode annotate: duplicate_of marks them)") })
            #expect(lines.contains { $0.hasPrefix("  decay: ") && $0.contains(" dead; ") })
            // Every note the report holds is printed.
            let notes = try json(dir.read("out/report.json"))["notes"] as? [String] ?? []
            #expect(notes.contains { $0.contains("'Land des Kontakts (Country)' (country?)") })
            for note in notes { #expect(lines.contains("  note: \(note)")) }
        }
    }

    @Test func aRunThatCrossesFailIfSaysFailedFirstAndQuietPrintsOnlyTheVerdictTheIdentityAndWhy() throws {
        try withTemporaryDirectory { dir in
            try writePipeline(dir, failIf: "fail_if: { rejected_ratio: \"> 0.01\" }")
            let loud = try run(dir, ["--now", "2026-11-20T00:00:00Z", "--summary", "json"])
            #expect(loud.status == 1)
            let lines = loud.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("FAILED people in ") == true)
            // Every row is still accounted for: the identity's ✓ stays, but it is not the verdict.
            #expect(lines.count > 1 && lines[1].hasSuffix("✓"))
            #expect(lines.last?.hasPrefix("  FAILED: fail_if crossed: rejected_ratio = ") == true)
            let summary = try json(loud.stdout)
            #expect(summary["status"] as? String == "failed")
            #expect((summary["fail_if"] as? [[String: Any]])?.first?["crossed"] as? Bool == true)

            let quiet = try run(dir, ["--now", "2026-11-20T00:00:00Z", "--quiet"])
            #expect(quiet.status == 1)
            let quietLines = quiet.stderr.split(separator: "\n").map(String.init)
            #expect(quietLines.count == 3, "\(quiet.stderr)")
            #expect(quietLines.first?.hasPrefix("FAILED people in ") == true)
            // The same counts as the full summary's first line (only the seconds differ).
            func counts(_ line: String?) -> Substring? { line.flatMap { text in text.range(of: "): ").map { text[$0.upperBound...] } } }
            #expect(counts(quietLines.first) == counts(lines.first))
            #expect(quietLines.count > 1 && quietLines[1] == lines[1])
            #expect(quietLines.last == lines.last)
            #expect(quiet.stdout.isEmpty)
        }
    }

    @Test func quietPrintsNothingForARunThatPassedButTheJSONStillComes() throws {
        try withTemporaryDirectory { dir in
            try writePipeline(dir)
            let result = try run(dir, ["--now", "2026-11-20T00:00:00Z", "--quiet", "--summary", "json"])
            #expect(result.status == 0)
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            #expect(try json(result.stdout)["status"] as? String == "ok")
        }
    }

    @Test func summaryJSONRefusesToShareStandardOutputWithTheCleanRows() throws {
        try withTemporaryDirectory { dir in
            try writePipeline(dir)
            let result = try run(dir, ["--output", "-", "--summary", "json"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--summary json writes standard output"))
            #expect(!dir.exists("out/report.json"))
        }
    }
}
