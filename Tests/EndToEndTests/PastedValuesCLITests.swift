import Foundation
import Testing
import TestSupport

/// Values as people paste them into spreadsheets and CRMs: copied from web pages (non-breaking spaces
/// around an address), from chat (zero-width characters, emoji), with combining accents or a direction
/// override. They are checked as what they mean and written back exactly as they came.
@Suite("leadhygiene run: pasted values")
struct PastedValuesCLITests {
    static let rows: [[String]] = [
        ["Email", "First Name", "Company"],
        ["\u{A0}ann@acme.com\u{A0}", "Ann", "Acme"],
        ["\u{FEFF}bob@globex.com\u{202F}", "Zoe\u{301}", "Globex\u{200B}Corp"],
        ["cy@initech.de", "Ana 👩‍💻", "Initech \u{202E}GmbH"],
        ["dee\u{A0}ann@acme.com", "Dee", "Acme"],
    ]

    @Test func anAddressPaddedWithNonBreakingSpacesIsValidAndEveryValueIsWrittenBackAsItCame() throws {
        try withTemporaryDirectory { dir in
            let csv = Self.rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
            try dir.write("in.csv", csv)
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false }, actions: { invalid: reject } }
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
            #expect(report["rows_in"] as? Int == 4)
            #expect(report["rows_out"] as? Int == 3)
            #expect(report["rows_rejected"] as? Int == 1)
            // The input's values, byte for byte, at the start of each clean row and of the rejected one.
            let clean = try dir.read("out/clean.csv").components(separatedBy: "\n")
            for row in Self.rows.prefix(4) {
                #expect(clean.contains { $0.hasPrefix(row.joined(separator: ",") + ",") }, "\(row)")
            }
            #expect(clean[1].contains(",Acme,ann@acme.com,Ann,"), "norm_email: \(clean[1])")
            #expect(clean[1].contains(",valid,,ann@acme.com,"), "email_status, email_normalized: \(clean[1])")
            #expect(clean[2].contains(",Globex\u{200B}Corp,bob@globex.com,Zoé,"), "norm_email: \(clean[2])")
            #expect(clean[2].contains(",valid,,bob@globex.com,"), "email_status, email_normalized: \(clean[2])")
            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("email_invalid_syntax"))
            #expect(rejects.contains("dee\u{A0}ann@acme.com,Dee,Acme"))
        }
    }
}
