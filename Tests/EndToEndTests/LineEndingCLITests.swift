import Foundation
import Testing
import TestSupport

/// Files as classic Mac Excel ("CSV (Macintosh)") and some mail-merge tools write them: records end in a CR alone.
@Suite("leadhygiene run: line endings")
struct LineEndingCLITests {
    func run(_ dir: TemporaryDirectory, input bytes: [UInt8]) throws -> (ProcessResult, [String: Any]) {
        try dir.write("leads.csv", bytes: bytes)
        try dir.write("p.yml", """
        input:  { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        stages: [normalize]
        """)
        let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
        let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
        return (result, report)
    }

    @Test func readsEveryRowOfAFileWhoseRecordsEndInACarriageReturnAlone() throws {
        try withTemporaryDirectory { dir in
            let (result, report) = try run(dir, input: Array("Email,First Name\rann@acme.com,Ann\rbob@globex.com,Bob\rcy@initech.de,\"Cy\rJr\"\r".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(report["rows_in"] as? Int == 3)
            #expect(report["rows_out"] as? Int == 3)
            let clean = try dir.read("out/clean.csv")
            #expect(clean.hasPrefix("Email,First Name,norm_email"))
            #expect(clean.contains("bob@globex.com,Bob,bob@globex.com"))
            // The CR inside the quoted field is data, written back quoted.
            #expect(clean.contains("cy@initech.de,\"Cy\rJr\",cy@initech.de"))
        }
    }

    @Test func keepsTheFirstRowWhenOnlyTheHeaderEndsInACarriageReturnAndTheRestMix() throws {
        try withTemporaryDirectory { dir in
            let (result, report) = try run(dir, input: Array("Email,First Name\rann@acme.com,Ann\r\nbob@globex.com,Bob\ncy@initech.de,Cy".utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(report["rows_in"] as? Int == 3)
            #expect(report["rows_rejected"] as? Int == 0)
        }
    }
}
