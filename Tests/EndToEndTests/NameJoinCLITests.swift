import Foundation
import Testing
import TestSupport

/// The company-name join through the built `leadhygiene`: a lead whose name fits two reference
/// companies is written unjoined and marked `ambiguous`, and the report shows the name-match figures.
@Suite("leadhygiene run: firmographic_merge by company name")
struct NameJoinCLITests {
    @Test func marksAnAmbiguousNameAndReportsTheNameMatchFigures() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Lead ID,Company,Email
                1,Acme,ann@gmail.com
                2,"Robinson, Black and Robbins",
                3,ROBINSON BLACK & ROBBINS LLC,
                4,Hamiltom Collier Inc.,
                5,Rogers Group,

                """)
            try dir.write("ref.csv", """
                company_name,domain,industry
                Acme Inc,acme.com,Retail
                Acme LLC,acme.io,Mining
                "Robinson, Black and Robbins Studio",,Design
                Robinson Black and Robbins,,Law
                Hamilton Collier,,Logistics
                Roger,,Bakery

                """)
            try dir.write("p.yml", """
                input:  { path: leads.csv }
                output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
                columns: { record_id: "Lead ID", company: Company, email: Email }
                stages:
                  - firmographic_merge:
                      sources: [{ name: ref, path: ref.csv }]
                      fields: { industry: {} }
                """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try dir.read("out/clean.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = try #require(rows.first)
            let match = try #require(header.firstIndex(of: "firmo_match"))
            let industry = try #require(header.firstIndex(of: "firmo_industry"))
            // Columns after the quoted company of row 2 shift by its two commas; compare from the end instead.
            let fromEnd = { (row: [Substring], column: Int) in String(row[row.count - (header.count - column)]) }
            #expect(rows.dropFirst().map { fromEnd($0, match) } == ["ambiguous", "name", "name", "name", ""])
            #expect(rows.dropFirst().map { fromEnd($0, industry) } == ["", "Law", "Law", "Logistics", ""])

            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["rows_in"] as? Int == 5)
            #expect(report?["rows_out"] as? Int == 5)
            let stages = report?["stages"] as? [[String: Any]]
            let summary = try #require(stages?.first { $0["name"] as? String == "firmographic_merge" }?["summary"] as? [String: Any])
            let ambiguous = try #require(summary["ambiguous"] as? [String: Any])
            #expect(ambiguous["total"] as? Int == 1)
            let sample = try #require((ambiguous["sample"] as? [[String: Any]])?.first)
            #expect(sample["line"] as? Int == 2)
            #expect(sample["lead_name"] as? String == "Acme")
            #expect(sample["reason"] as? String == "same_name_different_domains")
            #expect(summary["matched_by_name"] as? Int == 3)
            #expect(summary["unmatched"] as? Int == 1)
            let nameMatch = try #require(summary["name_match"] as? [String: Any])
            #expect(nameMatch["kinds"] as? [String: Int] == ["exact_key": 2, "same_words": 0, "typo": 1])
            let scores = try #require(nameMatch["scores"] as? [String: Int])
            #expect(scores["1"] == 2)
            #expect(scores.values.reduce(0, +) == 3)
            let weakest = try #require(nameMatch["weakest"] as? [[String: Any]])
            #expect(weakest.count == 3)
            #expect(weakest.first?["lead_name"] as? String == "Hamiltom Collier Inc.")
            #expect(weakest.first?["reference_name"] as? String == "Hamilton Collier")
            #expect(weakest.first?["line"] as? Int == 5)
        }
    }
}
