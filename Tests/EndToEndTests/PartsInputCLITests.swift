import Foundation
import Testing
import TestSupport

/// A folder of part files as the input: what Spark (`df.write.csv(…, header=True)`), Hive, `split` and chunked CRM
/// exports write. Read as one file, the parts in name order, lines numbered on as `cat` joins them.
@Suite("leadhygiene run: a folder of parts as the input")
struct PartsInputCLITests {
    static let pipeline = """
    input:  { path: parts }
    output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
    stages:
      - normalize: {}
      - email_check: { dns: { enabled: false } }
    """

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any] ?? [:]
    }

    @Test func sparkStylePartsAreReadAsOneFileWithLinesNumberedOnThroughTheParts() throws {
        try withTemporaryDirectory { dir in
            // As Spark leaves them: a marker, checksum files, an empty partition; `part-10` after `part-2`; one part
            // without a final line end, one with CRLF and a byte order mark (written by another tool), one row too wide.
            try dir.write("parts/_SUCCESS", "")
            try dir.write("parts/.part-1.csv.crc", "crc")
            try dir.write("parts/part-1.csv", "Email,Name,Company\nann@acme.com,Ann,Acme\nbob@beta.com,Bob,Beta\n")
            try dir.write("parts/part-2.csv", "Email,Name,Company\ncy@gamma.com,\"Cy\nSmith\",Gamma\nnot-an-address,Di,Delta")
            try dir.write("parts/part-3.csv", "")
            try dir.write("parts/part-10.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("Email,Name,Company\r\ned@eps.com,Ed,Eps,extra\r\nflo@phi.com,Flo,Phi\r\n".utf8))
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")

            let notes = try report(dir)["notes"] as? [String] ?? []
            #expect(notes.contains { $0.hasPrefix("'parts' is a folder of 3 parts, read in name order with their lines numbered on from one part "
                                                  + "to the next: part-1.csv (line 1), part-2.csv (line 4), part-10.csv (line 8); 1 empty part was skipped") },
                    "\(notes)")
            let clean = try dir.read("out/clean.csv")
            for email in ["ann@acme.com", "bob@beta.com", "cy@gamma.com", "flo@phi.com"] { #expect(clean.contains(email), "\(email)") }
            #expect(clean.hasPrefix("Email,Name,Company,"), "one header, not one per part")
            #expect(!clean.contains("Email,Name,Company\n"))
            // Rejects name the line as the parts joined by `cat` count it: part-2's last row is line 7 (a multi-line
            // row before it), part-10's wide row line 9.
            let rejects = try dir.read("out/rejects.csv").split(separator: "\n").map(String.init)
            #expect(rejects.contains { $0.hasPrefix("7,email_check,email_invalid_syntax,") }, "\(rejects)")
            #expect(rejects.contains { $0.hasPrefix("9,input,csv_wrong_column_count,") }, "\(rejects)")
            let accounting = try report(dir)["accounting"] as? [String: Any]
            #expect(accounting?["identity"] as? String == "rows_in 6 = rows_out 4 + rows_rejected 2 + rows_merged 0", "\(String(describing: accounting))")

            // The same rows as the parts joined into one file by hand.
            let joined = "Email,Name,Company\nann@acme.com,Ann,Acme\nbob@beta.com,Bob,Beta\ncy@gamma.com,\"Cy\nSmith\",Gamma\n"
                + "not-an-address,Di,Delta\ned@eps.com,Ed,Eps,extra\nflo@phi.com,Flo,Phi\n"
            try dir.write("joined.csv", joined)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--input", "joined.csv", "--output", "out/joined.csv"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            #expect(try dir.read("out/joined.csv") == clean)
        }
    }

    @Test func jsonlPartsTakeEveryPartsKeys() throws {
        try withTemporaryDirectory { dir in
            try dir.write("parts/part-00000.jsonl", #"{"email":"ann@acme.com","name":"Ann"}"# + "\n")
            try dir.write("parts/part-00001.jsonl", #"{"email":"bob@beta.com","company":"Beta"}"# + "\n"
                          + #"{"email":"cy@gamma.com","name":"Cy","phone":"+1 212 555 0100"}"# + "\n")
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let clean = try dir.read("out/clean.csv").split(separator: "\n").map(String.init)
            #expect(clean[0].hasPrefix("email,name,company,phone,"), "\(clean[0])")
            #expect(clean[2].hasPrefix("bob@beta.com,,Beta,,"), "\(clean)")
            #expect(clean[3].hasPrefix("cy@gamma.com,Cy,,+1 212 555 0100,"), "\(clean)")
        }
    }

    @Test func aPartWithAnotherHeaderStopsTheRunNamingItAndPublishesOnlyTheReport() throws {
        try withTemporaryDirectory { dir in
            try dir.write("parts/part-0.csv", "Email,Name\nann@acme.com,Ann\n")
            try dir.write("parts/part-1.csv", "Email,Nom\nbob@beta.com,Bob\n")
            try dir.write("p.yml", Self.pipeline)
            let expected = "parts/part-1.csv: its header (Email, Nom) is not the first part's, 'part-0.csv' (Email, Name)"
            let lint = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(lint.status != 0)
            #expect((lint.stdout + lint.stderr).contains(expected), "\(lint.stdout)\(lint.stderr)")
            let result = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(!dir.exists("out/clean.csv") && !dir.exists("out/rejects.csv"))
            #expect(try report(dir)["status"] as? String == "failed")
            // The same header quoted another way is the same header.
            try dir.write("parts/part-1.csv", "\"Email\",\"Name\"\r\nbob@beta.com,Bob\r\n")
            let quoted = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(quoted.status == 0, "\(quoted.stderr)")

            // A file written into the input folder would be read as a part next time: refused before anything runs.
            try dir.write("parts/part-1.csv", "Email,Name\nbob@beta.com,Bob\n")
            let inside = try ProcessRunner.leadhygiene(["run", "p.yml", "--output", "parts/clean.csv"], in: dir.url)
            #expect(inside.status == 2)
            #expect(inside.stderr.contains("output 'parts/clean.csv' is inside the input folder 'parts', whose files are read as its parts"),
                    "\(inside.stderr)")
            #expect(!dir.exists("parts/clean.csv"))
            // A Spark run's driver hands its files to `envelope encode`, which refuses them as `run` does.
            let encode = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml", "--output", "out/clean.csv", "--rejects", "parts/rejects.csv"],
                                                       in: dir.url)
            #expect(encode.status == 2)
            #expect(encode.stderr.contains("rejects 'parts/rejects.csv' is inside the input folder 'parts'"), "\(encode.stderr)")
            #expect(encode.stdout.isEmpty)

            // A folder with no part holding data is said so, before anything runs.
            try FileManager.default.removeItem(atPath: dir.path("parts"))
            try dir.write("parts/_SUCCESS", "")
            let empty = try ProcessRunner.leadhygiene(["run", "p.yml"], in: dir.url)
            #expect(empty.status != 0)
            #expect(empty.stderr.contains("is a folder with no part file holding data"), "\(empty.stderr)")
        }
    }
}
