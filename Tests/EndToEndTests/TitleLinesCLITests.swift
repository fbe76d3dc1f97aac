import Foundation
import Testing
import TestSupport

/// CRM "report" exports and hand-made sheets put a title line above the header.
@Suite("leadhygiene run: title lines above the header")
struct TitleLinesCLITests {
    @Test func aTitleAboveTheHeaderIsSkippedSaidAndTheRowsKeepTheirLineNumbers() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", """
            Lead export 2026-11-30,,,\r
            Email,First Name,Last Name,Company\r
            ann@acme.com,Ann,Lee,Acme\r
            bob@globex.com,Bob,Ray\r
            cy@initech.de,Cy,Lo,Initech\r

            """)
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false } }
            """)
            var result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
            #expect(report["rows_in"] as? Int == 3)
            #expect(report["rows_out"] as? Int == 2)
            #expect(report["rows_rejected"] as? Int == 1)
            #expect(try dir.read("out/clean.csv").hasPrefix("Email,First Name,Last Name,Company,norm_email"))
            #expect(try dir.read("out/rejects.csv").contains("\n4,input,csv_wrong_column_count,"))
            #expect(result.stderr.contains("1 title line above its header ('Lead export 2026-11-30') was skipped"), "\(result.stderr)")
            // Stated, the first line is the header again: no email column, so email_check cannot run.
            try dir.write("zero.yml", """
            input: { path: in.csv, skip_lines: 0 }
            output: { path: out0/clean.csv }
            stages: [email_check]
            """)
            result = try ProcessRunner.leadhygiene(["run", "zero.yml"], in: dir.url)
            #expect(result.status != 0)
            #expect(result.stderr.contains("needs the email field"), "\(result.stderr)")
            #expect(!dir.exists("out0/clean.csv"))
        }
    }

    @Test func aWorkbookWithAHeadingInA1ReadsTheTableBelowIt() throws {
        try withTemporaryDirectory { dir in
            func cell(_ ref: String, _ text: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>" }
            let rows = "<row r=\"1\">\(cell("A1", "Leads from the fair"))</row>"
                + "<row r=\"2\">\(cell("A2", "Email"))\(cell("B2", "First Name"))\(cell("C2", "Company"))</row>"
                + "<row r=\"3\">\(cell("A3", "ann@acme.com"))\(cell("B3", "Ann"))\(cell("C3", "Acme"))</row>"
            try WorkbookFixture(sheets: [("Leads", WorkbookFixture.rows(rows))]).write(to: dir.path("in.xlsx"))
            try dir.write("p.yml", """
            input: { path: in.xlsx }
            output: { path: out/clean.csv, report: out/report.json }
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let clean = try dir.read("out/clean.csv").components(separatedBy: "\n")
            #expect(clean[0].hasPrefix("Email,First Name,Company,norm_email,"))
            #expect(clean[1].hasPrefix("ann@acme.com,Ann,Acme,ann@acme.com,"))
            #expect(clean.count == 3)
            #expect(result.stderr.contains("1 title row above its header ('Leads from the fair') was skipped"), "\(result.stderr)")
        }
    }
}
