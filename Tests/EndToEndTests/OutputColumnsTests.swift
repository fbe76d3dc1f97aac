import Foundation
import Testing
import TestSupport

/// `output.columns`: a clean output with only the columns a CRM import wants, in its order.
@Suite("leadhygiene run with output.columns")
struct OutputColumnsTests {
    static let leads = """
    Lead ID,Email,First Name,Last Name,Company,Phone
    L-1,Ann.Lee@Acme.com ,ANN,LEE,"Acme, Inc.",(415) 555-0134
    L-2,bob@globex.co.uk,bob,o'brien,Globex Ltd,020 7946 0958
    broken,row

    """

    static let allColumns = "Lead ID,Email,First Name,Last Name,Company,Phone,norm_email,norm_first_name"

    /// Writes the leads and a pipeline whose `output:` mapping gets `output` as extra lines.
    func pipeline(_ dir: TemporaryDirectory, output: String, stages: String = "[normalize]") throws {
        try dir.write("leads.csv", Self.leads)
        try dir.write("p.yml", """
        name: crm-import
        input: { path: leads.csv }
        output:
          path: out/clean.csv
          rejects: out/rejects.csv
          report: out/report.json
        \(output)
        stages: \(stages)
        """)
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    @Test func writesOnlyTheChosenColumnsInTheirOrderWhileRejectsKeepEveryColumn() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "  columns: [Lead ID, norm_email, First Name, norm_last_name, Company, norm_company_key]")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv") == """
            Lead ID,norm_email,First Name,norm_last_name,Company,norm_company_key
            L-1,ann.lee@acme.com,ANN,Lee,"Acme, Inc.",acme
            L-2,bob@globex.co.uk,bob,O'Brien,Globex Ltd,globex

            """)
            let rejects = try dir.read("out/rejects.csv").split(separator: "\n")
            #expect(rejects[0].hasPrefix("reject_line,reject_stage,reject_reason,reject_detail,reject_raw," + Self.allColumns))
            #expect(rejects[1].hasPrefix("4,input,csv_wrong_column_count,"))
            let json = try report(dir)
            #expect(json["output_columns"] as? [String]
                    == ["Lead ID", "norm_email", "First Name", "norm_last_name", "Company", "norm_company_key"])
            #expect(json["rows_out"] as? Int == 2)
        }
    }

    @Test func withoutTheOptionTheOutputKeepsEveryColumnAndTheReportListsThem() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "")
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 0)
            let header = try dir.read("out/clean.csv").split(separator: "\n")[0]
            #expect(header.hasPrefix(Self.allColumns))
            #expect(try report(dir)["output_columns"] as? [String] == header.split(separator: ",").map(String.init))
        }
    }

    @Test func writesJSONLWithOnlyTheChosenKeysInTheirOrder() throws {
        try withTemporaryDirectory { dir in
            try dir.write("crm.jsonl", """
            {"id":7,"email":"Zoe@Example.COM","name":"zoe","notes":"long free text the CRM does not want"}
            {"id":8,"email":"yan@example.com","name":"Yan","extra":true}

            """)
            try dir.write("p.yml", """
            input: { path: crm.jsonl }
            output:
              path: out/clean.jsonl
              columns: [norm_email, id, name]
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.jsonl") == """
            {"norm_email":"zoe@example.com","id":"7","name":"zoe"}
            {"norm_email":"yan@example.com","id":"8","name":"Yan"}

            """)
        }
    }

    @Test func theFormulaGuardStillAppliesToTheChosenColumns() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email,Company,Notes\nann@acme.com,=HYPERLINK(\"http://x.test\"),@SUM(1)\n")
            try dir.write("p.yml", """
            input: { path: leads.csv }
            output: { path: out/clean.csv, formula_guard: true, columns: [Company, Email] }
            stages: []
            """)
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 0)
            #expect(try dir.read("out/clean.csv") == "Company,Email\n\"'=HYPERLINK(\"\"http://x.test\"\")\",ann@acme.com\n")
        }
    }

    @Test func lintPointsAtAnUnknownColumnWithDidYouMeanAndExitsTwo() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "  columns:\n    - Lead ID\n    - norm_emial")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout == "p.yml:9:7: error: output column 'norm_emial' is neither an input column nor one a stage adds; did you mean 'norm_email'?\n")
        }
    }

    @Test func lintRefusesAColumnOnlyAStageAddsWhenThatStageIsNotInThePipeline() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "  columns: [Lead ID, norm_email]")
            #expect(try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url).status == 0)
            try pipeline(dir, output: "  columns: [Lead ID, norm_email]", stages: "[]")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout == "p.yml:7:22: error: output column 'norm_email' is neither an input column nor one a stage adds\n")
        }
    }

    @Test func runRefusesABadColumnListBeforeWritingAnything() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "  columns: [Email, Lead ID, Email]")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("p.yml:7:29: error: output column 'Email' is listed twice (first at 7:13)"))
            #expect(!dir.exists("out/clean.csv"))
            #expect(!dir.exists("out/rejects.csv"))
            #expect(!dir.exists("out/report.json"))
        }
    }
}
