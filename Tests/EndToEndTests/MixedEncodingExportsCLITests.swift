import Foundation
import Testing
import TestSupport

/// Files whose bytes are mostly one encoding with a few rows of another, as lists pasted together from
/// several exports are: the good rows keep their text, the odd rows are read and counted, none is lost.
@Suite("leadhygiene run: mixed-encoding exports")
struct MixedEncodingExportsCLITests {
    @Test func aUTF8ExportWithAWindows1252RowNearItsTopKeepsEveryOtherRowsText() throws {
        try withTemporaryDirectory { dir in
            var bytes = Array("Email,First Name,Last Name,Company\r\n".utf8)
            bytes += Array("juergen@mueller-soehne.de,Jürgen,Müller,Müller & Söhne GmbH\r\n".utf8)
            bytes += Array("amelie@societe.fr,Amélie,Lefèvre,Société Générale\r\n".utf8)
            // A row pasted in from Excel's Windows-1252 "CSV": "Renée Dupré".
            bytes += Array("renee@dupre.fr,Ren".utf8) + [0xE9] + Array("e,Dupr".utf8) + [0xE9] + Array(",Dupr".utf8) + [0xE9] + Array(" SARL\r\n".utf8)
            bytes += Array("zoe@bronte.co.uk,Zoë,Brontë,Brontë Ltd\r\n".utf8)
            try dir.write("in.csv", bytes: bytes)
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
            #expect(json["rows_in"] as? Int == 4)
            #expect(json["rows_out"] as? Int == 4)
            let clean = try dir.read("out/clean.csv")
            for text in ["Jürgen,Müller,Müller & Söhne GmbH", "Amélie,Lefèvre,Société Générale", "Renée,Dupré,Dupré SARL", "Zoë,Brontë,Brontë Ltd"] {
                #expect(clean.contains(text), "\(text) in \(clean)")
            }
            #expect(!clean.contains("Ã"))
            #expect(result.stderr.contains("1 rows were not valid UTF-8"), "\(result.stderr)")
        }
    }
}
