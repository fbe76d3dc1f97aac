import Foundation
import LeadIO
import LeadRecords
import Testing
import TestSupport

/// Records end in LF, CRLF or a CR alone (classic Mac "CSV (Macintosh)" exports), and a file may mix them.
@Suite("Line endings")
struct LineEndingTests {
    @Test func readsAFileWhoseRecordsEndInACarriageReturnAlone() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mac.csv", "Email,Name\ra@x.com,Ann\rb@y.com,Bob\r")
            let (columns, records) = try readAll(path)
            #expect(columns == ["Email", "Name"])
            #expect(records.map(\.values) == [["a@x.com", "Ann"], ["b@y.com", "Bob"]])
            #expect(records.map(\.line) == [2, 3])
        }
    }

    @Test func readsAFileThatMixesCRLFAndBareCR() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.csv", "Email,Name\ra@x.com,Ann\r\nb@y.com,Bob\nc@z.com,Cy\r\rd@w.com,Di")
            let (columns, records) = try readAll(path)
            #expect(columns == ["Email", "Name"])
            #expect(records.map(\.values) == [["a@x.com", "Ann"], ["b@y.com", "Bob"], ["c@z.com", "Cy"], ["d@w.com", "Di"]])
            // The blank line between Cy and Di (`\r\r`) is a line of its own.
            #expect(records.map(\.line) == [2, 3, 4, 6])
        }
    }

    @Test func keepsACarriageReturnInsideAQuotedFieldAsData() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("quoted.csv", "Email,Note\ra@x.com,\"one\rtwo\"\rb@y.com,plain\r")
            let (_, records) = try readAll(path)
            #expect(records.map(\.values) == [["a@x.com", "one\rtwo"], ["b@y.com", "plain"]])
            #expect(records.map(\.line) == [2, 4])
        }
    }

    @Test func keepsTheFirstRowWhenOnlyTheHeaderEndsInACarriageReturn() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("header.csv", "Email,Name\ra@x.com,Ann\nb@y.com,Bob\n")
            let (columns, records) = try readAll(path)
            #expect(columns == ["Email", "Name"])
            #expect(records.map(\.values) == [["a@x.com", "Ann"], ["b@y.com", "Bob"]])
        }
    }

    @Test func findsRecordsWhoseCRLFIsSplitAcrossReadBlocksOfABareCRFile() throws {
        try withTemporaryDirectory { dir in
            // Enough rows that the file spans several 1 MiB blocks, with both CR-only and CRLF rows.
            var text = "Email,Name\r"
            for i in 0..<60_000 { text += "user\(i)@example.com,Name \(i)" + (i % 3 == 0 ? "\r\n" : "\r") }
            let path = try dir.write("big.csv", text)
            let (_, records) = try readAll(path, chunkSize: 1000)
            #expect(records.count == 60_000)
            #expect(records.allSatisfy { $0.isActive })
            #expect(records.last?.values == ["user59999@example.com", "Name 59999"])
            #expect(records.last?.line == 60_001)
        }
    }
}
