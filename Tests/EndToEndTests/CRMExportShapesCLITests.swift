import Foundation
import Testing
import TestSupport

/// Shapes CRM exports take that a list's author never meant: a note cell holding a whole e-mail thread,
/// a property exported twice under one name.
@Suite("leadhygiene run: CRM export shapes")
struct CRMExportShapesCLITests {
    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    static let pipeline = """
    input:  { path: export.csv }
    output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
    stages:
      - normalize: {}
    """

    @Test func aNoteOverTheSizeCapSpanningThousandsOfLinesIsOneRejectedRow() throws {
        try withTemporaryDirectory { dir in
            // Semicolons and CRLF as Excel saves them; the thread is 1.3 MB, over the 1 MiB default cap.
            let thread = (0..<90_000).map { "> wrote on \($0): see below" }.joined(separator: "\r\n")
            let text = "Id;Email;Company;Notes\r\n1;ann@acme.com;Acme;short\r\n2;bob@beta.com;Beta;\"\(thread)\"\r\n"
                + "3;cy@gamma.com;Gamma;fine\r\n4;di@delta.com;Delta\r\n"
            try dir.write("export.csv", text)
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try report(dir)
            #expect(json["rows_in"] as? Int == 4)
            #expect(json["rows_out"] as? Int == 2)
            #expect(json["rows_rejected"] as? Int == 2)
            let rejects = try dir.read("out/rejects.csv").components(separatedBy: "\n").filter { !$0.isEmpty }
            #expect(rejects.count == 3)
            #expect(rejects[1].hasPrefix("3;input;record_too_long;"), "\(rejects[1].prefix(200))")
            #expect(rejects[1].contains("lines 3–90002"))
            // The row after the note keeps its own line in the file.
            #expect(rejects[2].hasPrefix("90004;input;csv_wrong_column_count;"), "\(rejects[2].prefix(200))")
            #expect(try dir.read("out/clean.csv").contains("cy@gamma.com"))
        }
    }

    @Test func aRepeatedHeaderNameIsNamedWithTheRowsWhoseValueIsOnlyInTheLaterColumn() throws {
        try withTemporaryDirectory { dir in
            try dir.write("export.csv", "Record ID;E-Mail;Company;E-Mail;Phone\r\n1;ann@acme.com;Acme;;030 1234567\r\n"
                          + "2;;Beta;bob@beta.com;\r\n3;cy@gamma.com;Gamma;cy@gamma.de;\r\n")
            try dir.write("p.yml", Self.pipeline)
            let lint = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(lint.status == 0, "\(lint.stderr)")
            let expected = "the header names 'E-Mail' 2 times (columns 2, 4): email is read from column 2 only; "
                + "in 1 of the first 3 rows only a later one has a value"
            #expect((lint.stdout + lint.stderr).contains("warning: " + expected), "\(lint.stdout)\(lint.stderr)")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let notes = try report(dir)["notes"] as? [String] ?? []
            #expect(notes.contains { $0.hasPrefix(expected) }, "\(notes)")
            // Both columns stay in the output as they were.
            #expect(try dir.read("out/clean.csv").hasPrefix("Record ID;E-Mail;Company;E-Mail;Phone;"))
        }
    }

    @Test func theSecondColumnOfARepeatedNameIsMappedAsNameHash2() throws {
        try withTemporaryDirectory { dir in
            // The contact's address is the second `E-Mail` (the first is the company's, HubSpot's order).
            try dir.write("export.csv", "Record ID;E-Mail;Company;E-Mail;Phone\r\n1;info@acme.com;Acme;ANN@acme.com;030 1234567\r\n"
                          + "2;;Beta;bob@beta.com;\r\n")
            try dir.write("p.yml", Self.pipeline.replacingOccurrences(of: "stages:", with: "columns: { email: \"E-Mail#2\" }\nstages:"))
            let lint = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let notes = try report(dir)["notes"] as? [String] ?? []
            #expect(notes.contains("the header names 'E-Mail' 2 times (columns 2, 4): email is read from column 4"), "\(notes)")
            let clean = try dir.read("out/clean.csv").split(separator: "\n").map(String.init)
            #expect(clean[0].hasPrefix("Record ID;E-Mail;Company;E-Mail;Phone;norm_email"), "\(clean)")
            #expect(clean[1].hasPrefix("1;info@acme.com;Acme;ANN@acme.com;030 1234567;ann@acme.com"), "\(clean)")
            #expect(clean[2].hasPrefix("2;;Beta;bob@beta.com;;bob@beta.com"), "\(clean)")

            // There is no third: the file:line:col error names the header's columns.
            try dir.write("p3.yml", Self.pipeline.replacingOccurrences(of: "stages:", with: "columns: { email: \"E-Mail#3\" }\nstages:"))
            let third = try ProcessRunner.leadhygiene(["lint", "p3.yml"], in: dir.url)
            #expect(third.status != 0)
            #expect((third.stdout + third.stderr).contains("column 'E-Mail#3' (for email) is not in the input header"),
                    "\(third.stdout)\(third.stderr)")
        }
    }

    @Test func aRepeatedNameIsAKeyOfItsOwnInJSONLOutputAndInADistributedRunsEnvelope() throws {
        try withTemporaryDirectory { dir in
            try dir.write("export.csv", "Record ID;E-Mail;Company;E-Mail\r\n1;info@acme.com;Acme;ann@acme.com\r\n2;;Beta;bob@beta.com\r\n")
            try dir.write("p.yml", Self.pipeline.replacingOccurrences(of: "stages:", with: "columns: { email: \"E-Mail#2\" }\nstages:"))
            // JSONL output: one key per column, none given twice.
            let jsonl = try ProcessRunner.leadhygiene(["run", "p.yml", "--output", "out/clean.jsonl"], in: dir.url)
            #expect(jsonl.status == 0, "\(jsonl.stderr)")
            let first = try dir.read("out/clean.jsonl").split(separator: "\n")[0]
            #expect(first.hasPrefix(#"{"Record ID":"1","E-Mail":"info@acme.com","Company":"Acme","E-Mail#2":"ann@acme.com","norm_email":"ann@acme.com""#),
                    "\(first)")

            // A Spark task's path (encode, then run a partition): every row kept, each line the one-machine run writes.
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-12-01T00:00:00Z"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
            #expect(encoded.status == 0, "\(encoded.stderr)")
            #expect(encoded.stdout.contains(#""E-Mail":"info@acme.com","Company":"Acme","E-Mail#2":"ann@acme.com""#), "\(encoded.stdout)")
            let partition = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--now", "2026-12-01T00:00:00Z",
                                                           "--output", "out/clean.csv", "--rejects", "out/rejects.csv"],
                                                          stdin: encoded.stdout, in: dir.url)
            #expect(partition.status == 0, "\(partition.stderr)")
            let lines = partition.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.filter { $0["kind"] as? String == "reject" }.isEmpty, "\(partition.stdout)")
            let texts = lines.filter { $0["kind"] as? String == "row" }.compactMap { $0["text"] as? String }
            let clean = try dir.read("out/clean.csv").split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }
            #expect(texts.map { $0.trimmingCharacters(in: .newlines) } == clean.map(String.init), "\(texts) \(clean)")
        }
    }

    @Test func aDelimiterEndingEveryLineIsNamedAsAColumnWithoutAName() throws {
        try withTemporaryDirectory { dir in
            try dir.write("export.csv", "Id;Email;Company;\r\n1;ann@acme.com;Acme;\r\n2;bob@beta.com;Beta;\r\n")
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let notes = try report(dir)["notes"] as? [String] ?? []
            #expect(notes.contains { $0.hasPrefix("the header leaves a column without a name; it is read and written as 'column_4' "
                                                  + "(empty in the first 2 rows: a delimiter ending every line") }, "\(notes)")
            #expect(try dir.read("out/clean.csv").hasPrefix("Id;Email;Company;column_4;norm_email;"))
        }
    }
}
