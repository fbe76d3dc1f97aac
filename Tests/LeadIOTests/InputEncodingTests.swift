import Foundation
import LeadIO
import LeadRecords
import Testing
import TestSupport

/// Inputs in the encodings exports come in are read as UTF-8, whatever the block boundaries.
@Suite("Input encodings")
struct InputEncodingTests {
    func readAll(_ path: String, encoding: InputEncoding) throws -> (reader: RecordReader, records: [Record]) {
        let reader = try RecordReader(path: path, format: .csv, encoding: encoding)
        var parser = RecordParser(format: reader.format, columns: reader.columns)
        parser.readsInvalidUTF8AsWindows1252 = reader.readsInvalidUTF8RowsAsWindows1252
        var records: [Record] = []
        while let chunk = try reader.nextChunk() { records += parser.parse(chunk, width: reader.columns.count).records }
        return (reader, records)
    }

    @Test func readsWindows1252WhenTheFirstBlockIsNotUTF8() throws {
        try withTemporaryDirectory { dir in
            // "Müller,€ 5 – “quoted”" in Windows-1252.
            let path = try dir.write("in.csv", bytes: Array("Name,Note\nM".utf8) + [0xFC] + Array("ller,".utf8)
                                     + [0x80, 0x20, 0x35, 0x20, 0x96, 0x20, 0x93] + Array("quoted".utf8) + [0x94, 0x0A])
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .windows1252)
            #expect(records.map(\.values) == [["Müller", "€ 5 – “quoted”"]])
        }
    }

    @Test func keepsAUTF8FileUTF8WhenOneOfItsFirstRowsIsWindows1252() throws {
        try withTemporaryDirectory { dir in
            // Two UTF-8 rows, then "Müller" pasted in from a Windows-1252 file, then another UTF-8 row.
            let path = try dir.write("in.csv", bytes: Array("Name,Company\nJürgen,Ångström AB\nAmélie,Société\nM".utf8) + [0xFC]
                                     + Array("ller,Dupr".utf8) + [0xE9, 0x0A] + Array("Zoë,Brontë\n".utf8))
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .utf8)
            #expect(records.map(\.values) == [["Jürgen", "Ångström AB"], ["Amélie", "Société"], ["Müller", "Dupré"], ["Zoë", "Brontë"]])
            #expect(records.allSatisfy { $0.isActive })
        }
    }

    @Test func aHeaderInWindows1252AboveUTF8RowsIsReadAsWindows1252() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: Array("Stra".utf8) + [0xDF] + Array("e,Firma\nHauptstraße 1,Müller GmbH\nRüdesheimer Straße 2,Söhne\n".utf8))
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.columns == ["Straße", "Firma"])
            #expect(records.map(\.values) == [["Hauptstraße 1", "Müller GmbH"], ["Rüdesheimer Straße 2", "Söhne"]])
        }
    }

    @Test func readsAFileWhoseLinesEndInACRAloneAsMacRomanWhenItIsNotUTF8() throws {
        try withTemporaryDirectory { dir in
            // "Jürgen,Société" as Excel for Mac's "CSV (Macintosh)" writes it: ü 0x9F, é 0x8E, CR line ends.
            let path = try dir.write("in.csv", bytes: Array("Name,Company\rJ".utf8) + [0x9F] + Array("rgen,Soci".utf8) + [0x8E, 0x74, 0x8E, 0x0D])
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .macRoman)
            #expect(records.map(\.values) == [["Jürgen", "Société"]])
            // Stated, the same bytes read as Windows-1252 give what Windows would show.
            let (_, stated) = try readAll(path, encoding: .windows1252)
            #expect(stated.map(\.values) == [["JŸrgen", "SociŽtŽ"]])
        }
    }

    @Test func keepsWindows1252ForAFileWithCRLFLineEnds() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: Array("Name\r\nM".utf8) + [0xFC] + Array("ller\r\n".utf8))
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .windows1252)
            #expect(records.map(\.values) == [["Müller"]])
        }
    }

    @Test func readsISO8859_1AsStatedWithC1BytesAsControls() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: Array("Name\nJ".utf8) + [0xFC] + Array("rgen".utf8) + [0x80, 0x0A])
            let (_, records) = try readAll(path, encoding: .iso8859_1)
            #expect(records.map(\.values) == [["Jürgen\u{80}"]])
        }
    }

    @Test func keepsUTF8WhenTheFirstBlockEndsInTheMiddleOfACharacter() throws {
        try withTemporaryDirectory { dir in
            // The first read is 1 MiB: put the first byte of "ü" (C3 BC) on its last byte.
            var bytes = Array("Name\n".utf8)
            while bytes.count < (1 << 20) - 1 - 20 { bytes += Array("plain ascii name\n".utf8) }
            while bytes.count < (1 << 20) - 1 { bytes.append(UInt8(ascii: "x")) }
            bytes += [0xC3, 0xBC] + Array("\n".utf8)
            let path = try dir.write("in.csv", bytes: bytes)
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .utf8)
            #expect(records.last?.values.first?.hasSuffix("xü") == true)
        }
    }

    @Test func readsUTF16BigEndianWithASurrogatePairSplitAcrossBlocks() throws {
        try withTemporaryDirectory { dir in
            var text = "Name\n"
            while text.utf16.count * 2 < (1 << 20) - 4 { text += "row\n" }
            // Pad so that the emoji's two UTF-16 units straddle the 1 MiB read.
            while (text.utf16.count * 2 + 2) % (1 << 20) != (1 << 20) - 2 { text += "a" }
            text += "😀\n"
            var bytes: [UInt8] = [0xFE, 0xFF]
            for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            let path = try dir.write("in.csv", bytes: bytes)
            let (reader, records) = try readAll(path, encoding: .auto)
            #expect(reader.encoding.encoding == .utf16BE)
            #expect(records.last?.values.first?.hasSuffix("a😀") == true)
            let everyRowRead = records.allSatisfy { $0.isActive }
            #expect(everyRowRead)
        }
    }

    @Test func rejectsRowsThatAreNotUTF8OnlyWhenUTF8WasStated() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", bytes: Array("Name\nAnn\n".utf8) + [0x4D, 0xFC, 0x0A])
            // The whole file is one block here, so `auto` sees the bad byte and takes Windows-1252.
            #expect(try readAll(path, encoding: .auto).records.map(\.values) == [["Ann"], ["Mü"]])
            let stated = try readAll(path, encoding: .utf8).records
            #expect(stated[1].rejection?.reason == .invalidUTF8)
        }
    }
}

@Suite("Delimiter sniffing")
struct DelimiterSniffingTests {
    func columns(_ text: String) throws -> (RecordFormat, [String], String?) {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", text)
            let reader = try RecordReader(path: path, format: .csv, sniffsDelimiter: true)
            return (reader.format, reader.columns, reader.delimiterNote)
        }
    }

    @Test func picksTheDelimiterTheRowsAgreeWithNotTheOneThatAppearsMost() throws {
        // Semicolons inside the comma-separated notes must not win.
        let (format, columns, note) = try columns("Email,Note\na@x.com,\"a;b;c;d\"\nb@y.com,e;f;g\n")
        #expect(format == .csv)
        #expect(columns == ["Email", "Note"])
        #expect(note == nil)
    }

    @Test func picksSemicolonsAndSaysSo() throws {
        let (format, columns, note) = try columns("Email;Name;Amount\na@x.com;Ann;1,5\nb@y.com;\"Bob; Jr\";2,75")
        #expect(format == .delimited(delimiter: UInt8(ascii: ";")))
        #expect(columns == ["Email", "Name", "Amount"])
        #expect(note?.contains("is delimited by ';' (detected: the header has 3 columns and 2 of the 2 rows after it agree)") == true)
    }

    @Test func keepsTheStatedDefaultForASingleColumn() throws {
        let (format, columns, _) = try columns("Email\na@x.com\n")
        #expect(format == .csv)
        #expect(columns == ["Email"])
    }

    @Test func takesTheDelimiterFromExcelsSepLineAndReadsTheHeaderBelowIt() throws {
        // Which delimiter the rows agree with cannot be told from a single column; the sep= line says.
        let (format, columns, note) = try columns("sep=|\r\nEmail\r\na@x.com\r\n")
        #expect(format == .delimited(delimiter: UInt8(ascii: "|")))
        #expect(columns == ["Email"])
        #expect(note?.contains("names its delimiter on its first line (sep=|)") == true)
    }

    @Test func countsTheSepLineInTheRowsLineNumbers() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "sep=;\nEmail;Name\na@x.com;Ann\nb@y.com;Bob;extra\n")
            let reader = try RecordReader(path: path, format: .csv, sniffsDelimiter: true)
            let parser = RecordParser(format: reader.format, columns: reader.columns)
            var records: [Record] = []
            while let chunk = try reader.nextChunk() { records += parser.parse(chunk, width: reader.columns.count).records }
            #expect(records.map(\.line) == [3, 4])
            #expect(records[0].values == ["a@x.com", "Ann"])
            #expect(!records[1].isActive)
        }
    }

    @Test func aStatedDelimiterStillSkipsTheSepLine() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "sep=,\nEmail;Name\na@x.com;Ann\n")
            let reader = try RecordReader(path: path, format: .delimited(delimiter: UInt8(ascii: ";")))
            #expect(reader.columns == ["Email", "Name"])
            #expect(reader.format == .delimited(delimiter: UInt8(ascii: ";")))
        }
    }
}
