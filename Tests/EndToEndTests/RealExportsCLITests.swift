import Foundation
import Testing
import TestSupport

/// Exports as people receive them: Excel's "CSV (semicolon)" in Windows-1252 with CRLF, HubSpot headers,
/// day-first, ISO and US dates side by side, run by a pipeline file that names only the input.
@Suite("leadhygiene run: real exports")
struct RealExportsCLITests {
    /// Text as Excel writes it on a Western European Windows: Windows-1252 (Latin-1 plus `€`, curly quotes).
    static func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0..<0x80, 0xA0..<0x100: UInt8(scalar.value)
            case 0x20AC: 0x80
            case 0x2019: 0x92
            default: UInt8(ascii: "?")
            }
        }
    }

    static let people: [(first: String, last: String, company: String, country: String, phone: String, expectedPhone: String, expectedCountry: String)] = [
        ("Jürgen", "Müller", "Müller & Söhne GmbH", "Germany", "030 1234567", "+49301234567", "DE"),
        ("Amélie", "Lefèvre", "Société Générale", "France", "01 42 14 20 00", "+33142142000", "FR"),
        ("Björn", "Åkesson", "Ångström AB", "Sweden", "08-123 456 78", "+46812345678", "SE"),
        ("José", "Peña", "Compañía Ibérica S.A.", "Spain", "912 345 678", "+34912345678", "ES"),
        ("Ann", "O’Neil", "Acme, Inc.", "United States", "(415) 555-0134", "+14155550134", "US"),
    ]

    /// The HubSpot-style fixture: 500 rows, `;`, CRLF, Windows-1252, dates in three shapes in one column.
    static func hubspotExport(rows: Int = 500) -> [UInt8] {
        var lines = ["Record ID;First Name;Last Name;Email Address;Job Title;Company Name;Website URL;Phone Number;"
                     + "Country/Region;State/Region;City;Postal Code;Lead Status;Last Activity Date;Create Date;Original Source"]
        for i in 0..<rows {
            let p = people[i % people.count]
            let day = 1 + i % 28, month = 1 + i % 12
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let date = switch i % 3 {
            case 0: "\(two(day)).\(two(month)).2026 09:15"
            case 1: "2026-\(two(month))-\(two(day))T09:15:00Z"
            // US month-first; days up to 28 make the order decidable.
            default: "\(two(month))/\(two(day))/2026 9:15 AM"
            }
            let company = p.company.contains(",") ? "\"\(p.company)\"" : p.company
            let domain = "example\(i % 7).com"
            lines.append("\(1000 + i);\(p.first);\(p.last);\(p.first.lowercased().filter(\.isASCII))\(i)@\(domain);Head of Sales;\(company);"
                         + "https://www.\(domain);\(p.phone);\(p.country);;Berlin;10115;Open;\(date);01.01.2025;Offline Sources")
        }
        return windows1252(lines.joined(separator: "\r\n") + "\r\n")
    }

    func report(_ dir: TemporaryDirectory, _ name: String = "out/report.json") throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read(name).utf8)) as? [String: Any] ?? [:]
    }

    @Test func readsAWindows1252SemicolonCRLFHubSpotExportFromAnotherWorkingDirectoryWithOnlyItsPathNamed() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir.path("project/data"), withIntermediateDirectories: true)
            try dir.write("project/data/hubspot-export.csv", bytes: Self.hubspotExport())
            try dir.write("project/pipelines/weekly.yml", """
            input:  { path: ../data/hubspot-export.csv }
            output: { path: ../out/clean.csv, rejects: ../out/rejects.csv, report: ../out/report.json }
            stages:
              - normalize: {}
              - decay: { actions: { dead: flag } }
            """)
            // From the temporary folder, not the pipeline's: the paths inside it follow the pipeline file.
            let result = try ProcessRunner.leadhygiene(["run", "project/pipelines/weekly.yml", "--now", "2026-11-26T00:00:00Z"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try report(dir, "project/out/report.json")
            #expect(json["rows_in"] as? Int == 500)
            #expect(json["rows_rejected"] as? Int == 0, "\(json["reject_reasons"] ?? "")")
            #expect(json["rows_out"] as? Int == 500)
            let notes = json["notes"] as? [String] ?? []
            #expect(notes.contains { $0.contains("read as Windows-1252") }, "\(notes)")
            #expect(notes.contains { $0.contains("delimited by ';'") }, "\(notes)")
            #expect(notes.contains { $0.contains("last_activity_at ('Last Activity Date')") && $0.contains("0 of the first 500 are not dates") }, "\(notes)")
            #expect(result.stderr.contains("note: 'project/pipelines/../data/hubspot-export.csv' was read as Windows-1252"))
            // HubSpot's headers are mapped by name.
            let columns = (json["columns"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                $0[$1["field"] as? String ?? ""] = $1["column"] as? String
            }
            #expect(columns["email"] == "Email Address")
            #expect(columns["country"] == "Country/Region")
            #expect(columns["region"] == "State/Region")
            #expect(columns["company"] == "Company Name")
            #expect(columns["website"] == "Website URL")
            #expect(columns["record_id"] == "Record ID")
            #expect(columns["last_activity_at"] == "Last Activity Date")
            #expect(columns["source"] == "Original Source")
            // Every date was read: decay found none it could not read, and no lead lacks a date.
            let decay = (json["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any]
            #expect(decay?["unparseable_dates"] as? Int == 0)
            let clean = try dir.read("project/out/clean.csv")
            let lines = clean.components(separatedBy: "\n").filter { !$0.isEmpty }
            #expect(lines.count == 501)
            #expect(lines[0].hasPrefix("Record ID;First Name;Last Name;Email Address;"))
            #expect(!clean.contains("decay_no_date"))
            for p in Self.people {
                #expect(clean.contains(";\(p.first);\(p.last);"), "\(p.first) \(p.last) as UTF-8")
                #expect(clean.contains(";\(p.expectedPhone);\(p.expectedCountry);"), "\(p.phone) in \(p.country)")
            }
            // With `;` as the delimiter, a comma needs no quotes.
            #expect(clean.contains(";Acme, Inc.;"))
        }
    }

    @Test func keepsTheInputsDelimiterForACSVOutputUnlessOutputDelimiterSaysOtherwise() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email;Name\nann@acme.com;Ann\n")
            try dir.write("p.yml", "input: { path: in.csv }\noutput: { path: out.csv }\nstages: []\n")
            var result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out.csv") == "Email;Name\nann@acme.com;Ann\n")
            result = try ProcessRunner.leadhygiene(["run", "p.yml", "--output", "-"], in: dir.url)
            #expect(result.stdout == "Email;Name\nann@acme.com;Ann\n")
            try dir.write("q.yml", "input: { path: in.csv }\noutput: { path: out2.csv, delimiter: \",\" }\nstages: []\n")
            result = try ProcessRunner.leadhygiene(["run", "q.yml"], in: dir.url)
            #expect(try dir.read("out2.csv") == "Email,Name\nann@acme.com,Ann\n")
        }
    }

    @Test func writesAByteOrderMarkCRLFRowsAndRenamedHeadersForACRMImport() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email,Name\nAnn@Acme.com,Ann\n")
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out.csv, bom: true, line_ending: crlf, columns: [Name, norm_email], rename: { norm_email: "Email (clean)" } }
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("out.csv"))))
            #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("Name,Email (clean)\r\nAnn,ann@acme.com\r\n".utf8))
        }
    }

    @Test func refusesARenameOfAColumnTheOutputDoesNotHaveWithTheNearestName() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email,Name\nann@acme.com,Ann\n")
            try dir.write("p.yml", "input: { path: in.csv }\noutput: { path: out.csv, rename: { norm_emial: Email } }\nstages: [normalize]\n")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout.contains("p.yml:2:"))
            #expect(result.stdout.contains("output rename names column 'norm_emial'"))
            #expect(result.stdout.contains("norm_email"))
        }
    }

    @Test func lintNamesTheFixWhenAStatedDelimiterLeavesTheHeaderOneColumn() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email;First Name;Country\nann@acme.com;Ann;DE\n")
            try dir.write("p.yml", "input: { path: in.csv, delimiter: \",\" }\noutput: { path: out.csv }\nstages: []\n")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout.contains("header is one column ('Email;First Name;Country')"))
            #expect(result.stdout.contains("set `input: { delimiter: \";\" }`"))
        }
    }

    @Test(arguments: [("\t", "tab"), ("|", "pipe")])
    func detectsTabAndPipeDelimitedInputs(delimiter: String, name: String) throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.txt", ["Email", "First Name", "Note"].joined(separator: delimiter) + "\n"
                          + ["ann@acme.com", "Ann", "a, b; c"].joined(separator: delimiter) + "\n")
            try dir.write("p.yml", "input: { path: in.txt }\noutput: { path: out.jsonl }\nstages: []\n")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out.jsonl") == "{\"Email\":\"ann@acme.com\",\"First Name\":\"Ann\",\"Note\":\"a, b; c\"}\n")
        }
    }

    @Test func readsUTF16WithAByteOrderMarkAsExcelsUnicodeTextWritesIt() throws {
        try withTemporaryDirectory { dir in
            let text = "Email\tName\r\nj@müller.de\tJürgen Müller 😀\r\n"
            var bytes: [UInt8] = [0xFF, 0xFE]
            for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try dir.write("in.txt", bytes: bytes)
            try dir.write("p.yml", "input: { path: in.txt }\noutput: { path: out.csv }\nstages: []\n")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out.csv") == "Email\tName\nj@müller.de\tJürgen Müller 😀\n")
            #expect(result.stderr.contains("was read as UTF-16LE (detected: its byte order mark)"))
        }
    }

    @Test func readsALaterRowThatIsNotUTF8AsWindows1252UnlessUTF8WasStated() throws {
        try withTemporaryDirectory { dir in
            // The first rows are valid UTF-8; a row far in (past the first block) is Windows-1252.
            var bytes = Array("Email,Name\n".utf8)
            for i in 0..<40_000 { bytes += Array("user\(i)@example.com,Plain Name \(i)\n".utf8) }
            bytes += Array("late@example.com,".utf8) + RealExportsCLITests.windows1252("Jürgen") + [0x0A]
            try dir.write("in.csv", bytes: bytes)
            try dir.write("auto.yml", "input: { path: in.csv }\noutput: { path: auto.csv, report: auto.json }\nstages: []\n")
            var result = try ProcessRunner.leadhygiene(["run", "auto.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("auto.csv").hasSuffix("late@example.com,Jürgen\n"))
            #expect(result.stderr.contains("1 rows were not valid UTF-8 although the input's first block was"))
            try dir.write("stated.yml", "input: { path: in.csv, encoding: utf-8 }\noutput: { path: stated.csv, rejects: rejects.csv, report: stated.json }\nstages: []\n")
            result = try ProcessRunner.leadhygiene(["run", "stated.yml"], in: dir.url)
            let json = try report(dir, "stated.json")
            #expect((json["reject_reasons"] as? [String: Int]) == ["invalid_utf8": 1])
        }
    }

    @Test func decidesDayFirstSlashDatesFromADayOver12AndSaysWhenTheOrderCouldNotBeDecided() throws {
        try withTemporaryDirectory { dir in
            try dir.write("dmy.csv", "Email,Last Activity Date\na@x.com,25/03/2026\nb@x.com,01/02/2026\n")
            try dir.write("undecided.csv", "Email,Last Activity Date\na@x.com,01/02/2026\nb@x.com,03/04/2026\n")
            try dir.write("p.yml", "input: { path: dmy.csv, date_order: mdy }\noutput: { path: out.csv, report: report.json }\nstages: [decay]\n")
            var result = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-11-26T00:00:00Z"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("dates read as dd/MM/yyyy (2); 0 of the first 2 are not dates"), "\(result.stderr)")
            result = try ProcessRunner.leadhygiene(["run", "p.yml", "--input", "undecided.csv", "--now", "2026-11-26T00:00:00Z"], in: dir.url)
            #expect(result.stderr.contains("no value has a day over 12, so 01/02-style dates are read as mdy"), "\(result.stderr)")
        }
    }

    @Test func readsADateColumnInTheFormatItsMappingNamesAndCountsTheRestAsUnparseable() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email,Zuletzt aktiv\na@x.com,2026/11/01 08:30\nb@x.com,gestern\n")
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out.csv, report: report.json }
            columns: { last_activity_at: { column: "Zuletzt aktiv", format: "yyyy/MM/dd HH:mm" } }
            stages: [{ decay: { actions: { dead: flag } } }]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-11-26T00:00:00Z"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("unparseable dates: 1 (stage decay read them as no date)"), "\(result.stderr)")
            #expect(result.stderr.contains("1 of the first 2 dates do not match its format 'yyyy/MM/dd HH:mm'"), "\(result.stderr)")
        }
    }

    @Test func refusesADateFormatWithoutADayAtItsPosition() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "Email,Seen\na@x.com,2026-11\n")
            try dir.write("p.yml", "input: { path: in.csv }\ncolumns:\n  last_activity_at: { column: Seen, format: \"yyyy-MM\" }\nstages: []\n")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout.contains("p.yml:3:"))
            #expect(result.stdout.contains("date format 'yyyy-MM' needs a year, month and day"))
        }
    }

    @Test func listsUnmappedColumnsThatLookLikeCanonicalFields() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", "E-Mail-Adresse,Land des Kontakts (Country),Mobil\na@x.com,DE,0301234567\n")
            try dir.write("p.yml", "input: { path: in.csv }\noutput: { path: out.csv, report: report.json }\nstages: []\n")
            let lint = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(lint.status == 0)
            #expect(lint.stdout.contains("warning: input columns not mapped to any field although their names look like one: "
                                         + "'E-Mail-Adresse' (email?), 'Land des Kontakts (Country)' (country?)"), "\(lint.stdout)")
            let run = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(run.stderr.contains("note: input columns not mapped"))
            let notes = try report(dir, "report.json")["notes"] as? [String] ?? []
            #expect(notes.contains { $0.contains("'Land des Kontakts (Country)' (country?)") })
        }
    }

    @Test func expandsEnvironmentVariablesWithDefaultsAndNamesTheUnsetOne() throws {
        try withTemporaryDirectory { dir in
            try dir.write("week-48.csv", "Email\na@x.com\n")
            try dir.write("p.yml", "input: { path: \"week-${WEEK}.csv\" }\noutput: { path: \"${OUT_DIR:-out}/clean.csv\" }\nstages: []\n")
            var result = try ProcessRunner.run(ProcessRunner.product("leadhygiene"), ["run", "p.yml"], currentDirectory: dir.url,
                                               environment: ["WEEK": "48"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv") == "Email\na@x.com\n")
            result = try ProcessRunner.run(ProcessRunner.product("leadhygiene"), ["lint", "p.yml"], currentDirectory: dir.url,
                                           environment: ["WEEK": ""])
            // An empty variable without a default is used as it is; an unset one is an error at its column.
            #expect(result.stdout.contains("input file 'week-.csv' does not exist"), "\(result.stdout)")
            let unset = try ProcessRunner.run("/usr/bin/env", ["-u", "WEEK", ProcessRunner.product("leadhygiene"), "lint", "p.yml"],
                                              currentDirectory: dir.url)
            #expect(unset.status == 2)
            #expect(unset.stdout.contains("p.yml:1:22: error: environment variable WEEK is not set; set it or give a default: `${WEEK:-value}`"),
                    "\(unset.stdout)")
        }
    }

    @Test func resolvesPipelinePathsAgainstThePipelineFolderAndCommandLinePathsAgainstTheWorkingDirectory() throws {
        try withTemporaryDirectory { dir in
            try dir.write("jobs/leads.csv", "Email\nfrom-pipeline-folder@x.com\n")
            try dir.write("leads.csv", "Email\nfrom-working-directory@x.com\n")
            try dir.write("jobs/p.yml", "input: { path: leads.csv }\noutput: { path: clean.csv }\nstages: []\n")
            var result = try ProcessRunner.leadhygiene(["run", "jobs/p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("jobs/clean.csv").contains("from-pipeline-folder"))
            result = try ProcessRunner.leadhygiene(["run", "jobs/p.yml", "--input", "leads.csv", "--output", "-"], in: dir.url)
            #expect(result.stdout.contains("from-working-directory"))
            try dir.write("jobs/missing.yml", "input: { path: nowhere.csv }\nstages: []\n")
            result = try ProcessRunner.leadhygiene(["lint", "jobs/missing.yml"], in: dir.url)
            #expect(result.stdout.contains("input file 'jobs/nowhere.csv' does not exist"), "\(result.stdout)")
        }
    }
}
