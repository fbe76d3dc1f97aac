import Foundation
import LeadIO
import LeadRecords
import Testing
import TestSupport

@Suite("Delimited (CSV/TSV) reading")
struct DelimitedReaderTests {
    @Test func readsQuotedFieldsWithDelimitersNewlinesAndDoubledQuotes() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "name,note\n\"Acme, Inc\",\"line one\nline two\"\n\"Say \"\"hi\"\"\",plain\n")
            let (columns, records) = try readAll(path)
            #expect(columns == ["name", "note"])
            #expect(records.map(\.values) == [["Acme, Inc", "line one\nline two"], ["Say \"hi\"", "plain"]])
            #expect(records.map(\.line) == [2, 4])
        }
    }

    @Test func acceptsCRLFLineEndingsAndStripsTheUTF8ByteOrderMark() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("Email,Name\r\na@x.com,Ann\r\nb@y.com,\"B\r\nob\"\r\n".utf8))
            let (columns, records) = try readAll(path)
            #expect(columns == ["Email", "Name"])
            #expect(records.map(\.values) == [["a@x.com", "Ann"], ["b@y.com", "B\r\nob"]])
        }
    }

    @Test func readsALastRecordWithoutTrailingNewlineAndSkipsBlankLines() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "a,b\n\n1,2\n\n3,4")
            let (_, records) = try readAll(path)
            #expect(records.map(\.values) == [["1", "2"], ["3", "4"]])
            #expect(records.map(\.line) == [3, 5])
        }
    }

    @Test(arguments: [(UInt8(ascii: "\t"), "a\tb\n1\t2,3\n"), (UInt8(ascii: ";"), "a;b\n1;2,3\n"), (UInt8(ascii: "|"), "a|b\n1|2,3\n")])
    func readsOtherDelimiters(delimiter: UInt8, text: String) throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.txt", text)
            let (columns, records) = try readAll(path, format: .delimited(delimiter: delimiter))
            #expect(columns == ["a", "b"])
            #expect(records.map(\.values) == [["1", "2,3"]])
        }
    }

    @Test func rejectsARowWithTheWrongColumnCountWithItsLineNumberAndGoesOn() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
            let (_, records) = try readAll(path)
            #expect(records.count == 4)
            #expect(records[1].rejection?.reason == .csvWrongColumnCount)
            #expect(records[1].line == 3)
            #expect(records[1].rejection?.detail == "expected 3 fields, found 2")
            #expect(records[2].rejection?.reason == .csvWrongColumnCount)
            #expect(records[2].raw == "6,7,8,9")
            #expect(records[3].values == ["10", "11", "12"])
        }
    }

    @Test func rejectsAnUnterminatedQuoteOnItsLineAndResumesOnTheNextLine() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "a,b\n1,ok\n2,\"never closed\n3,fine\n4,\"also fine\"\n")
            let (_, records) = try readAll(path)
            #expect(records.map(\.line) == [2, 3, 4, 5])
            #expect(records[1].rejection?.reason == .csvUnterminatedQuote)
            #expect(records[1].raw == "2,\"never closed")
            #expect(records[2].values == ["3", "fine"])
            #expect(records[3].values == ["4", "also fine"])
        }
    }

    @Test func rejectsAQuoteThatSwallowsLaterLinesWithoutLosingThem() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "a,b,c\n1,\"oops,x\n2,\"b\",c\n3,d,e\n")
            let (_, records) = try readAll(path)
            #expect(records.first?.rejection?.reason == .csvUnterminatedQuote)
            #expect(records.dropFirst().map(\.values) == [["2", "b", "c"], ["3", "d", "e"]])
        }
    }

    @Test func rejectsTextAfterAClosingQuoteButKeepsAQuoteInsideAnUnquotedField() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "a,b\n\"x\"y,1\n5\" screen,2\n")
            let (_, records) = try readAll(path)
            #expect(records[0].rejection?.reason == .csvStrayQuote)
            #expect(records[1].values == ["5\" screen", "2"])
        }
    }

    @Test func rejectsInvalidUTF8WithItsLineNumber() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: Array("a,b\n1,caf".utf8) + [0xE9] + Array("\n2,ok\n".utf8))
            let (_, records) = try readAll(path)
            #expect(records[0].rejection?.reason == .invalidUTF8)
            #expect(records[0].line == 2)
            #expect(records[1].values == ["2", "ok"])
        }
    }

    @Test func rejectsARowOverTheSizeCapAndReadsTheRowsAfterIt() throws {
        try withTemporaryDirectory { dir in
            let long = String(repeating: "x", count: 5000)
            let path = try dir.write("in.csv", "a,b\n1,short\n2,\(long)\n3,short\n")
            let (_, records) = try readAll(path, maxRecordBytes: 1000)
            #expect(records.count == 3)
            #expect(records[1].rejection?.reason == .recordTooLong)
            #expect(records[1].line == 3)
            #expect((records[1].raw?.utf8.count ?? 0) <= 1024)
            #expect(records[2].values == ["3", "short"])
        }
    }

    @Test func failsClearlyOnAnEmptyInput() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "")
            #expect(throws: InputOutputError.self) { _ = try readAll(path) }
        }
    }

    @Test func namesColumnsWhenThereIsNoHeader() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "1,2\n3,4\n")
            let (columns, records) = try readAll(path, hasHeader: false)
            #expect(columns == ["column_1", "column_2"])
            #expect(records.map(\.values) == [["1", "2"], ["3", "4"]])
        }
    }

    @Test func streamsAcrossReadBlocksWithMultiLineFieldsAndKeepsLineNumbers() throws {
        // Larger than the 1 MiB read block, with a multi-line field in every row, in small chunks.
        try withTemporaryDirectory { dir in
            var text = "id,note\n"
            for i in 0..<40_000 { text += "\(i),\"first line \(i)\nsecond, line\"\n" }
            let path = try dir.write("big.csv", text)
            let (_, records) = try readAll(path, chunkSize: 333)
            #expect(records.count == 40_000)
            #expect(records.allSatisfy { $0.isActive })
            #expect(records[39_999].values == ["39999", "first line 39999\nsecond, line"])
            #expect(records[39_999].line == 2 + 2 * 39_999)
        }
    }
}

@Suite("Stray quotes")
struct StrayQuoteTests {
    @Test func aStrayQuoteThatClosesRowsLaterDoesNotSwallowTheRowsBetween() throws {
        // Row 2 opens a quote in `company`; row 5 has a lone quote that would close it, leaving 13-ish
        // fields by RFC 4180. The rows between are complete rows of their own, so the quote is stray.
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "id,company,site\n1,\"Acme,acme.com\n2,Beta,beta.com\n3,Gamma,gamma.com\n4,\",delta.com\n5,Eps,eps.com\n")
            let (_, records) = try readAll(path)
            #expect(records.first?.rejection?.reason == .csvUnterminatedQuote)
            #expect(records.first?.line == 2)
            #expect(records.dropFirst().prefix(2).map(\.values) == [["2", "Beta", "beta.com"], ["3", "Gamma", "gamma.com"]])
            #expect(records.count == 5)
        }
    }

    @Test func aGenuineMultiLineNoteIsKept() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "id,note,site\n1,\"called twice\nno answer, left voicemail\",acme.com\n2,ok,b.com\n")
            let (_, records) = try readAll(path)
            #expect(records.map(\.values) == [["1", "called twice\nno answer, left voicemail", "acme.com"], ["2", "ok", "b.com"]])
        }
    }
}

/// A quoted field longer than `max_record_bytes` that runs over many lines: a CRM note or a pasted
/// e-mail thread in one cell. It is one record, so it is one reject; its lines are not rows.
@Suite("Quoted fields over the size cap")
struct LongQuotedFieldTests {
    /// `count` lines of note text, quoted, with an escaped quote in the middle.
    static func note(lines count: Int, newline: String) -> String {
        "\"" + (0..<count).map { $0 == count / 2 ? "said \"\"call back\"\", line \($0)" : "note line \($0)" }
            .joined(separator: newline) + "\""
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func aLongMultiLineNoteIsOneRejectAndTheNextRowKeepsItsLine(newline: String) throws {
        try withTemporaryDirectory { dir in
            let text = ["id,email,note", "1,ann@acme.com,short", "2,bob@beta.com,\(Self.note(lines: 500, newline: newline))",
                        "3,cy@gamma.com,fine", "4,di@delta.com"].joined(separator: newline) + newline
            let path = try dir.write("in.csv", text)
            let (_, records) = try readAll(path, maxRecordBytes: 1000, chunkSize: 7)
            #expect(records.count == 4)
            #expect(records[1].rejection?.reason == .recordTooLong)
            #expect(records[1].line == 3)
            #expect(records[1].rejection?.detail.contains("lines 3–502") == true)
            #expect(records[1].raw == "2,bob@beta.com,\"note line 0")
            #expect(records[2].values == ["3", "cy@gamma.com", "fine"])
            #expect(records[2].line == 503)
            // The row after keeps its own line number in its own reject.
            #expect(records[3].rejection?.reason == .csvWrongColumnCount)
            #expect(records[3].line == 504)
        }
    }

    @Test func aNoteLongerThanTheReadBlockIsReadThroughWithoutBeingHeld() throws {
        // 3 MiB of note: more than the reader's 1 MiB block, so its end is found across refills.
        try withTemporaryDirectory { dir in
            let text = "id,note\n1,\(Self.note(lines: 200_000, newline: "\r\n"))\r\n2,after\r\n"
            let path = try dir.write("in.csv", text)
            let (_, records) = try readAll(path)
            #expect(records.count == 2)
            #expect(records[0].rejection?.reason == .recordTooLong)
            #expect(records[1].values == ["2", "after"])
            #expect(records[1].line == 200_002)
        }
    }

    @Test func aQuoteThatNeverClosesTakesTheRestAsOneRejectNamingTheLines() throws {
        try withTemporaryDirectory { dir in
            let lines = (0..<300).map { "fragment \($0)" }.joined(separator: "\n")
            let path = try dir.write("in.csv", "id,note\n1,ok\n2,\"\(lines)\n")
            let (_, records) = try readAll(path, maxRecordBytes: 1000)
            #expect(records.count == 2)
            #expect(records[1].rejection?.reason == .csvUnterminatedQuote)
            #expect(records[1].rejection?.detail.contains("lines 3–302") == true)
        }
    }

    @Test func aStrayQuoteOverTheCapStillLeavesTheRowsAfterIt() throws {
        // The line after the quote is a complete row: the quote is stray, and only its line is set aside.
        try withTemporaryDirectory { dir in
            let rows = (3..<200).map { "\($0),company \($0),site\($0).com" }.joined(separator: "\n")
            let path = try dir.write("in.csv", "id,company,site\n1,\"Acme,acme.com\n\(rows)\n")
            let (_, records) = try readAll(path, maxRecordBytes: 1000)
            #expect(records.count == 198)
            #expect(records[0].rejection?.reason == .csvUnterminatedQuote)
            #expect(records[1].values == ["3", "company 3", "site3.com"])
            #expect(records.dropFirst().allSatisfy { $0.isActive })
        }
    }
}
