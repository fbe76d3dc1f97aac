import Foundation
import Testing
import TestSupport

/// `leadhygiene run` on `.xlsx` inputs: the same records, rejects and report as the list saved as CSV.
@Suite("leadhygiene run on .xlsx")
struct XLSXInputCLITests {
    func copyFixture(_ name: String, to dir: TemporaryDirectory, as target: String? = nil) throws {
        try FileManager.default.copyItem(atPath: WorkbookFixture.generated(name), toPath: dir.path(target ?? name))
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    @Test func aWorkbookGivesTheSameCleanRowsAsTheSameListSavedAsCSV() throws {
        try withTemporaryDirectory { dir in
            try copyFixture("crm-export.xlsx", to: dir)
            try copyFixture("crm-export.csv", to: dir)
            for kind in ["xlsx", "csv"] {
                try dir.write("\(kind).yml", """
                input:  { path: crm-export.\(kind) }
                output: { path: out/\(kind)/clean.csv, rejects: out/\(kind)/rejects.csv, report: out/\(kind)/report.json }
                stages: [normalize]
                """)
                let result = try ProcessRunner.leadhygiene(["run", "\(kind).yml"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
            }
            let fromWorkbook = try dir.read("out/xlsx/clean.csv")
            #expect(fromWorkbook == (try dir.read("out/csv/clean.csv")))
            #expect(fromWorkbook.split(separator: "\n").count == 6)
            #expect(fromWorkbook.contains("Jürgen,Müller,Müller & Söhne GmbH,4915112345678,"))
            #expect(fromWorkbook.contains("\"Société Générale, Paris\""))
            let json = try JSONSerialization.jsonObject(with: Data(dir.read("out/xlsx/report.json").utf8)) as? [String: Any] ?? [:]
            #expect(json["rows_in"] as? Int == 5)
            #expect(json["rows_out"] as? Int == 5)
            let notes = json["notes"] as? [String] ?? []
            #expect(notes.contains { $0.contains("1 cell of sheet 'Contacts' held an Excel error") })
        }
    }

    @Test func inputSheetPicksTheSheetAndRejectsCarryTheSheetsRowNumbers() throws {
        try withTemporaryDirectory { dir in
            try WorkbookFixture(sheets: [
                ("Summary", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>total</t></is></c></row>"#)),
                ("Leads", WorkbookFixture.rows("""
                    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>\
                    <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>4915112345678</v></c></row>\
                    <row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5"><v>10000</v></c><c r="D5" t="s"><v>4</v></c></row>
                    """)),
            ], sharedStrings: ["<t>email</t>", "<t>phone</t>", "<t>ana@example.es</t>", "<t>bob@example.com</t>", "<t>stray note</t>"])
                .write(to: dir.path("export.xlsx"))
            try dir.write("p.yml", """
            input:  { path: export.xlsx, sheet: Leads }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages: []
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv") == "email,phone\nana@example.es,4915112345678\n")
            let rejects = try dir.read("out/rejects.csv").split(separator: "\n")
            #expect(rejects.count == 2)
            #expect(rejects[1].hasPrefix("5,input,xlsx_value_outside_header,\"cell D5 holds a value, but the header ends at column B"))
            #expect(rejects[1].hasSuffix(",\"bob@example.com,10000,,stray note\",,"))
            let json = try report(dir)
            #expect(json["rows_in"] as? Int == 2)
            #expect(json["rows_rejected"] as? Int == 1)
            #expect(result.stderr.contains("note: read sheet 'Leads' of 'export.xlsx'; its other sheets ('Summary')"))
        }
    }

    @Test func formatXlsxReadsAWorkbookWhateverItsName() throws {
        try withTemporaryDirectory { dir in
            try copyFixture("mac-1904.xlsx", to: dir, as: "export.bin")
            try dir.write("p.yml", """
            input:  { path: export.bin, format: xlsx }
            output: { path: out/clean.csv }
            stages: []
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv").hasPrefix("email,signed_up,last_seen\na@example.com,2026-02-12,2026-02-12T09:15:30\n"))
        }
    }

    @Test func aFileThatIsNotAWorkbookIsOneErrorNamingIt() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.xlsx", "email\na@example.com\n")
            try dir.write("p.yml", """
            input:  { path: leads.xlsx }
            output: { path: out/clean.csv }
            stages: []
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot read input: leads.xlsx: is not a readable .xlsx workbook (not a ZIP archive, or a damaged one)"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }

    @Test func lintNamesTheSheetsWhenInputSheetNamesNone() throws {
        try withTemporaryDirectory { dir in
            try copyFixture("crm-export.xlsx", to: dir)
            try dir.write("p.yml", """
            input:  { path: crm-export.xlsx, sheet: Leads }
            output: { path: out/clean.csv }
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout.contains("has no sheet named 'Leads'; its sheets are 'Contacts', 'Notes'")
                    || result.stderr.contains("has no sheet named 'Leads'; its sheets are 'Contacts', 'Notes'"))
        }
    }
}
