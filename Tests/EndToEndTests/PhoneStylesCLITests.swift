import Foundation
import Testing
import TestSupport

/// Phone numbers as European business cards, Japanese input methods and web forms write them.
@Suite("leadhygiene run: phone writing styles")
struct PhoneStylesCLITests {
    @Test func aTrunkPrefixInBracketsFullwidthDigitsAndATelLinkAllGiveTheSameE164Number() throws {
        try withTemporaryDirectory { dir in
            try dir.write("in.csv", """
            Email,Phone,Country
            a@acme.de,+49 (0)30 1234567,
            b@acme.de,０３０ １２３４５６７,Germany
            c@acme.de,tel:+49301234567,
            d@acme.de,030 1234567,DE

            """)
            try dir.write("p.yml", """
            input: { path: in.csv }
            output: { path: out/clean.csv, report: out/report.json }
            stages: [normalize]
            """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try dir.read("out/clean.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let phone = try #require(rows.first?.firstIndex(of: "norm_phone"))
            #expect(rows.dropFirst().map { String($0[phone]) } == Array(repeating: "+49301234567", count: 4))
            // The input's own values are written back as they came.
            #expect(rows[2][1] == "０３０ １２３４５６７")
        }
    }
}
