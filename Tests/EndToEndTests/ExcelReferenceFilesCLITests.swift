import Foundation
import Testing
import TestSupport

/// The do-not-contact list and the firmographic reference file kept in Excel and saved as its "CSV" on a
/// German Windows (`;`, Windows-1252): every entry is read, none is skipped as an unreadable row.
@Suite("leadhygiene run: reference files saved by Excel")
struct ExcelReferenceFilesCLITests {
    @Test func aSemicolonWindows1252DoNotContactListAndReferenceFileAreReadEntryByEntry() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
            Email,Company,Website,Country
            jo@mueller-soehne.de,Müller & Söhne,mueller-soehne.de,US
            ann@acme.com,Acme,acme.com,US

            """)
            try dir.write("dnc.csv", bytes: RealExportsCLITests.windows1252("E-Mail-Adresse;Grund\r\njo@mueller-soehne.de;Anruf Jürgen Müller\r\n"))
            try dir.write("firmen.csv", bytes: RealExportsCLITests.windows1252(
                "Company Name;Domain;Industry\r\nMüller & Söhne GmbH;mueller-soehne.de;Maschinenbau\r\nAcme Inc.;acme.com;Software\r\n"))
            try dir.write("policy.yml", "country_from: [lead]\ndefault: { email: {} }\n")
            try dir.write("p.yml", """
            input: { path: leads.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages:
              - firmographic_merge: { sources: [ { name: firmen, path: firmen.csv, as_of: 2026-10-01 } ] }
              - compliance: { policy: policy.yml, do_not_contact: [dnc.csv], actions: { dnc_listed: reject } }
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
            #expect(report["rows_in"] as? Int == 2)
            #expect(report["rows_rejected"] as? Int == 1)
            #expect((report["reject_reasons"] as? [String: Int]) == ["dnc_listed": 1])
            #expect(try dir.read("out/rejects.csv").contains("Anruf Jürgen Müller"))
            #expect(try dir.read("out/clean.csv").contains("ann@acme.com,Acme,acme.com,US,domain,"))
            // The run says how it read them, as it does for the input; the lead list itself needed no note.
            let notes = report["notes"] as? [String] ?? []
            #expect(notes.contains("firmographic_merge source 'firmen': 'firmen.csv' was read as Windows-1252 (detected: "
                                   + "its first block is not valid UTF-8)"), "\(notes)")
            #expect(notes.contains { $0.hasPrefix("firmographic_merge source 'firmen': 'firmen.csv' is delimited by ';'") }, "\(notes)")
            #expect(notes.contains { $0.hasPrefix("compliance do-not-contact list: 'dnc.csv' was read as Windows-1252") }, "\(notes)")
            #expect(!notes.contains { $0.contains("leads.csv") }, "\(notes)")
        }
    }
}
