import Foundation
import Testing
import TestSupport

/// The same list saved with each of Excel's "Save as" text formats gives the same clean rows: the reader
/// works out the encoding, line ends and delimiter each one uses without being told.
@Suite("leadhygiene run: Excel's Save-as formats")
struct ExcelSaveAsFormatsCLITests {
    static let rows = [["Email", "First Name", "Company"],
                       ["juergen@mueller-soehne.de", "Jürgen", "Müller & Söhne GmbH"],
                       ["amelie@societe.fr", "Amélie", "Société Générale"],
                       ["bjorn@angstrom.se", "Björn", "Ångström AB"],
                       ["ann@acme.com", "Ann", "O’Neil Ltd"]]

    /// Mac OS Roman, for the characters in ``rows``.
    static func macRoman(_ text: String) -> [UInt8] {
        let high: [Character: UInt8] = ["ü": 0x9F, "é": 0x8E, "è": 0x8F, "ö": 0x9A, "Å": 0x81, "’": 0xD5, "“": 0xD2, "”": 0xD3]
        return text.flatMap { character -> [UInt8] in high[character].map { [$0] } ?? Array(String(character).utf8) }
    }

    func run(_ dir: TemporaryDirectory, _ name: String, _ bytes: [UInt8]) throws -> (ProcessResult, [String: Any], String) {
        try dir.write(name, bytes: bytes)
        try dir.write("\(name).yml", """
        input: { path: \(name) }
        output: { path: out/\(name)/clean.csv, rejects: out/\(name)/rejects.csv, report: out/\(name)/report.json }
        stages: [normalize]
        """)
        let result = try ProcessRunner.leadhygiene(["run", "\(name).yml"], in: dir.url)
        let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/\(name)/report.json").utf8)) as? [String: Any] ?? [:]
        return (result, report, try dir.read("out/\(name)/clean.csv"))
    }

    @Test func csvMacintoshInMacRomanWithCRLineEndsKeepsItsAccents() throws {
        try withTemporaryDirectory { dir in
            let text = Self.rows.map { $0.joined(separator: ",") }.joined(separator: "\r") + "\r"
            let (result, report, clean) = try run(dir, "mac.csv", Self.macRoman(text))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(report["rows_in"] as? Int == 4)
            #expect(report["rows_out"] as? Int == 4)
            for row in Self.rows.dropFirst() { #expect(clean.contains(row.joined(separator: ",")), "\(row) in \(clean)") }
            #expect(result.stderr.contains("was read as Mac Roman"), "\(result.stderr)")
        }
    }
}

extension ExcelSaveAsFormatsCLITests {
    @Test func aSepLineAboveTheHeaderNamesTheDelimiterAndIsNotARow() throws {
        try withTemporaryDirectory { dir in
            // Excel on a German Windows, with the `sep=;` line it writes on request: Windows-1252, `;`, CRLF.
            let text = "sep=;\r\n" + Self.rows.map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
            let (result, report, clean) = try run(dir, "sep.csv", RealExportsCLITests.windows1252(text))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(report["rows_in"] as? Int == 4)
            #expect(report["rows_out"] as? Int == 4)
            #expect(clean.hasPrefix("Email;First Name;Company;norm_email"), "\(clean)")
            for row in Self.rows.dropFirst() { #expect(clean.contains(row.joined(separator: ";")), "\(row) in \(clean)") }
            #expect(!clean.contains("sep="))
            #expect(result.stderr.contains("names its delimiter on its first line (sep=;)"), "\(result.stderr)")
        }
    }
}
