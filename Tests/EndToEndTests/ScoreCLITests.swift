import Foundation
import Testing
import TestSupport

/// `score` through the built `leadhygiene`, on a HubSpot-style contacts export.
@Suite("leadhygiene run: score")
struct ScoreCLITests {
    static let contacts = """
        Record ID,First Name,Last Name,Email,Job Title,Company Name,Website URL,Number of Employees,Country/Region,Email Opt Out
        101,Ann,Lee,ann@acme.com,VP Sales,Acme,www.acme.com/,"1,200",DE,false
        102,Bob,Ng,bob@globex.com,Head of Growth,Globex,https://globex.com:8443,200-500,US,true
        103,Cy,Ito,cy.ito@gmail.com,Director of IT,,,,FR,false
        104,Dee,Roe,dee@initech.com,Intern,Initech,initech.com,10k+,IR,false
        105,Eve,Poe,eve@umbrella.com,,Umbrella,umbrella.com,75,GB,false

        """

    static let pipeline = """
        input:  { path: contacts.csv }
        output: { path: out/clean.jsonl, rejects: out/rejects.csv, report: out/report.json }
        columns: { record_id: "Record ID", email: Email, title: "Job Title", company: "Company Name", website: "Website URL", country: "Country/Region" }
        stages:
          - normalize: {}
          - score:
              name: icp
              groups:
                - name: size
                  cap: 30
                  rules:
                    - { when: "`Number of Employees` between 200 and 2000", points: 30 }
                    - { when: "`Number of Employees` between 50 and 199", points: 15 }
                - name: persona
                  rules:
                    - { when: "title matches_any [vp, head of, director, chief] and not title matches_any [assistant, intern]", points: 40 }
                - name: penalties
                  rules:
                    - { when: "norm_email matches_any [gmail com]", points: -20, label: free mail }
                    - { when: "country in [KP, IR, SY, CU]", exclude: sanctioned_country }
              tiers: { A: ">= 70", B: ">= 45", C: ">= 20", D: else }
              gates: { A: "`Email Opt Out` == false" }
        """

    func rows(_ dir: TemporaryDirectory) throws -> [[String: String]] {
        try dir.read("out/clean.jsonl").split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
    }

    @Test func scoresExplainsEveryRowShowsMissingGroupsAndGatesTierA() throws {
        try withTemporaryDirectory { dir in
            try dir.write("contacts.csv", Self.contacts)
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try rows(dir)
            #expect(rows.map { $0["Record ID"] } == ["101", "102", "103", "105"])
            #expect(rows.map { $0["icp_score"] } == ["70", "70", "20", "15"])
            // 102 opted out of email: the A gate sends it to B.
            #expect(rows.map { $0["icp_tier"] } == ["A", "B", "C", "D"])
            #expect(rows[0]["icp_reasons"] == "+30 size: Number of Employees \"1,200\"; +40 persona: title \"VP Sales\"")
            #expect(rows[2]["icp_reasons"] == "+40 persona: title \"Director of IT\"; -20 penalties: free mail")
            // No employee count: size could not be judged, which the row says instead of scoring 0 silently.
            #expect(rows[2]["icp_missing"] == "size")
            #expect(rows[3]["icp_missing"] == "persona")

            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("5,score,sanctioned_country,\"penalties: country \"\"IR\"\"\""), "\(rejects)")
            let report = try #require(JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
            #expect(report["rows_in"] as? Int == 5)
            #expect(report["rows_rejected"] as? Int == 1)
            #expect((report["reject_reasons"] as? [String: Int])?["sanctioned_country"] == 1)
            let stages = try #require(report["stages"] as? [[String: Any]])
            let summary = try #require(stages.first { $0["name"] as? String == "score" }?["summary"] as? [String: Any])
            #expect(summary["tiers"] as? [String: Int] == ["A": 1, "B": 1, "C": 1, "D": 1])
            #expect(summary["gate_drops"] as? [String: Int] == ["A": 1])
            let groups = try #require(summary["groups"] as? [[String: Any]])
            #expect(groups.map { $0["missing"] as? Int } == [1, 1, 0])
            #expect(groups[0]["share_missing"] as? Double == 0.25)
        }
    }

    @Test func aMisspeltColumnInAConditionIsAnErrorAtItsLineAndColumnWithTheNearestName() throws {
        try withTemporaryDirectory { dir in
            try dir.write("contacts.csv", Self.contacts)
            try dir.write("p.yml", Self.pipeline.replacingOccurrences(of: "norm_email matches_any", with: "norm_emial matches_any"))
            for command in ["lint", "run"] {
                let result = try ProcessRunner.leadhygiene([command, "p.yml"], in: dir.url)
                #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
                // Line 19; the condition's text starts at column 24 (after the quote): the name is its first word.
                #expect((result.stdout + result.stderr).contains("p.yml:19:24: error: stage 'score': group 'penalties', rule 1: "
                                                                 + "'norm_emial' names no column: the input lacks it and no earlier stage writes it; "
                                                                 + "did you mean 'norm_email'?"), "\(result.stdout)\(result.stderr)")
            }
            #expect(!dir.exists("out/clean.jsonl"))
        }
    }

    @Test func aSyntaxErrorInsideAGateIsReportedAtItsCharacter() throws {
        try withTemporaryDirectory { dir in
            try dir.write("contacts.csv", Self.contacts)
            try dir.write("p.yml", Self.pipeline.replacingOccurrences(of: "`Email Opt Out` == false", with: "`Email Opt Out` is missing"))
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            // Line 22: `      gates: { A: "` puts the text at column 20; `is` is 16 characters in.
            #expect((result.stdout + result.stderr).contains("p.yml:22:36: error: stage 'score': gate of tier 'A': expected a comparison after 'Email Opt Out'"),
                    "\(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("found 'is'; write 'is_missing' (or 'not … is_missing')"))
        }
    }
}
