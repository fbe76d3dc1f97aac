import Foundation
import LeadIO
import LeadRecords
import SpreadsheetInput
import Testing
import TestSupport

/// A sheet read the way a run reads it: the workbook reader's chunks through the CSV record parser.
struct ReadSheet {
    var columns: [String]
    var records: [Record]
    var note: String?
    var sheet: String

    var rows: [[String]] { records.map(\.values) }
    var lines: [Int] { records.map(\.line) }

    init(_ path: String, sheet: String? = nil, hasHeader: Bool = true, chunkSize: Int = 1024,
         rowsAboveHeader: LinesAboveHeader = .skipped(0)) throws {
        let reader = try WorkbookRecordReader(path: path, sheet: sheet, hasHeader: hasHeader, chunkSize: chunkSize,
                                              rowsAboveHeader: rowsAboveHeader)
        let parser = RecordParser(format: reader.format, columns: reader.columns)
        var records: [Record] = []
        while let chunk = try reader.nextChunk() {
            records += parser.parse(chunk, width: reader.columns.count).records
        }
        columns = reader.columns
        self.records = records
        note = reader.schemaNote
        self.sheet = reader.sheetName
    }
}

extension Record {
    var rejection: Rejection? {
        if case .rejected(let r) = disposition { return r }
        return nil
    }
}

/// Writes `fixture` into a fresh folder and reads it back.
func read(_ fixture: WorkbookFixture, sheet: String? = nil, hasHeader: Bool = true,
          rowsAboveHeader: LinesAboveHeader = .skipped(0)) throws -> ReadSheet {
    try withTemporaryDirectory { dir in
        let path = dir.path("book.xlsx")
        try fixture.write(to: path)
        return try ReadSheet(path, sheet: sheet, hasHeader: hasHeader, rowsAboveHeader: rowsAboveHeader)
    }
}

@Suite("Reading an .xlsx sheet")
struct WorkbookRecordReaderTests {
    /// Excel's layout: every text cell is an index into the shared strings.
    static let sharedStringBook = WorkbookFixture(
        sheets: [("Leads", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>\
            <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c></row>\
            <row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" t="s"><v>7</v></c><c r="C3" t="s"><v>4</v></c></row>
            """))],
        sharedStrings: [
            "<t>Email</t>", "<t>Name</t>", "<t>Company</t>",
            "<t>juergen@example.de</t>", "<t>Jürgen Müller</t>",
            // Rich text: the runs concatenate; the phonetic hint is not part of the value.
            #"<r><t>Société</t></r><r><rPr><b/></rPr><t xml:space="preserve"> Générale, "Paris"</t></r><rPh sb="0" eb="1"><t>ソシエテ</t></rPh>"#,
            "<t>claire@example.fr</t>",
            // A line break Excel escapes as _x000D_ before the newline, and a literal "_x" escaped as _x005F_.
            "<t>Claire_x000D_\nDubois _x005F_x0041_</t>",
        ])

    @Test func sharedStringsRichRunsAndNonASCIITextReadAsWritten() throws {
        let sheet = try read(Self.sharedStringBook)
        #expect(sheet.columns == ["Email", "Name", "Company"])
        #expect(sheet.rows == [
            ["juergen@example.de", "Jürgen Müller", "Société Générale, \"Paris\""],
            ["claire@example.fr", "Claire\r\nDubois _x0041_", "Jürgen Müller"],
        ])
        #expect(sheet.lines == [2, 3])
        #expect(sheet.note == nil)
    }

    @Test func inlineAndFormulaStringsReadAsText() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c><c r="B1" t="inlineStr"><is><t>domain</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><r><t>ana@</t></r><r><t>example.es</t></r></is></c>\
            <c r="B2" t="str"><f>MID(A2,5,99)</f><v>example.es</v></c></row>
            """))]))
        #expect(sheet.columns == ["email", "domain"])
        #expect(sheet.rows == [["ana@example.es", "example.es"]])
    }

    @Test func numbersReadAsTheirShortestDecimalWithoutFloatArtefacts() throws {
        let values = ["10000", "4915112345678", "0.1", "1.0E4", "4.4999999999999998E-2", "1.2345678901234567E+20",
                      "1e-06", "-2.5", "10000.0", "3.0000000000000004", "0"]
        let cells = values.enumerated().map { "<c r=\"\(SpreadsheetColumn.letters($0.offset))2\"><v>\($0.element)</v></c>" }.joined()
        let header = values.indices.map { "<c r=\"\(SpreadsheetColumn.letters($0))1\" t=\"inlineStr\"><is><t>n\($0)</t></is></c>" }.joined()
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("<row r=\"1\">\(header)</row><row r=\"2\">\(cells)</row>"))]))
        #expect(sheet.rows == [["10000", "4915112345678", "0.1", "10000", "0.045", "123456789012345670000",
                                "0.000001", "-2.5", "10000", "3.0000000000000004", "0"]])
    }

    @Test func aZeroPaddedFormatKeepsThePostalCodesLeadingZeros() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>zip</t></is></c><c r="B1" t="inlineStr"><is><t>plain</t></is></c></row>\
            <row r="2"><c r="A2" s="1"><v>1067</v></c><c r="B2"><v>1067</v></c></row>
            """))], cellFormats: [0, 164], customFormats: [164: "00000"]))
        #expect(sheet.rows == [["01067", "1067"]])
    }

    /// Styles 1–5: built-in 14 (date), 22 (date time), 20 (h:mm), a custom `dd.mm.yyyy hh:mm`, and `[h]:mm:ss`.
    static func dateBook(_ serials: [String], uses1904: Bool = false) -> WorkbookFixture {
        let header = serials.indices.map { "<c r=\"\(SpreadsheetColumn.letters($0))1\" t=\"inlineStr\"><is><t>d\($0)</t></is></c>" }.joined()
        let cells = serials.enumerated().map { index, serial in
            "<c r=\"\(SpreadsheetColumn.letters(index))2\" s=\"\(index % 5 + 1)\"><v>\(serial)</v></c>"
        }.joined()
        return WorkbookFixture(sheets: [("S", WorkbookFixture.rows("<row r=\"1\">\(header)</row><row r=\"2\">\(cells)</row>"))],
                               cellFormats: [0, 14, 22, 20, 165, 166], customFormats: [165: "dd.mm.yyyy hh:mm", 166: "[h]:mm:ss"],
                               uses1904DateSystem: uses1904)
    }

    @Test func dateCellsReadAsISODatesWithTheTimeOnlyWhenThereIsOne() throws {
        let sheet = try read(Self.dateBook(["46065", "46065.385416666664", "0.385416666666667", "46065.5", "1.5",
                                            "45000", "45000.25"]))
        #expect(sheet.rows == [["2026-02-12", "2026-02-12T09:15:00", "09:15:00", "2026-02-12T12:00:00", "1900-01-01T12:00:00",
                                "2023-03-15", "2023-03-15T06:00:00"]])
    }

    @Test func the1900SystemKeepsLotusLeapDayAndTheRealCalendarAroundIt() throws {
        let dates = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>\
            <c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c><c r="E1" t="inlineStr"><is><t>e</t></is></c></row>\
            <row r="2"><c r="A2" s="1"><v>1</v></c><c r="B2" s="1"><v>59</v></c><c r="C2" s="1"><v>60</v></c>\
            <c r="D2" s="1"><v>61</v></c><c r="E2" s="1"><v>2958465</v></c></row>
            """))], cellFormats: [0, 14]))
        #expect(dates.rows == [["1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "9999-12-31"]])
    }

    @Test func the1904SystemCountsFromNewYear1904() throws {
        let sheet = try read(Self.dateBook(["0", "44603.385416666664"], uses1904: true))
        #expect(sheet.rows == [["1904-01-01", "2026-02-12T09:15:00"]])
    }

    @Test func booleansErrorsAndISODateCellsReadAsText() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>subscribed</t></is></c><c r="B1" t="inlineStr"><is><t>company</t></is></c>\
            <c r="C1" t="inlineStr"><is><t>seen</t></is></c></row>\
            <row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><f>VLOOKUP(A2,X:Y,2,0)</f><v>#N/A</v></c>\
            <c r="C2" t="d"><v>2026-02-12T09:15:00</v></c></row>\
            <row r="3"><c r="A3" t="b"><v>0</v></c><c r="B3" t="e"><v>#REF!</v></c></row>
            """))]))
        #expect(sheet.rows == [["true", "", "2026-02-12T09:15:00"], ["false", "", ""]])
        #expect(sheet.note == "2 cells of sheet 'S' held an Excel error (#N/A, #REF!, #DIV/0!…) and read as empty, the first at B2")
    }

    @Test func aFormulaWithASavedResultReadsTheResultAndNeedsNoNote() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c><c r="B1" t="inlineStr"><is><t>full</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="B2" t="str"><f>A2&amp;" Lee"</f><v>Ann Lee</v></c></row>\
            <row r="3"><c r="A3" t="inlineStr"><is><t>Bob</t></is></c><c r="B3"><f>A3&amp;" Ray"</f><v/></c></row>
            """))]))
        #expect(sheet.rows == [["Ann", "Ann Lee"], ["Bob", ""]])
        #expect(sheet.note == "1 cell of sheet 'S' held a formula with no saved result and read as empty, the first at B3; the program "
                + "that wrote the file did not calculate it: open and save it in Excel or LibreOffice to keep the results")
    }

    @Test func cellsTakeTheirColumnFromTheirReferenceAndRowsTheirNumber() throws {
        // Row 3 is missing, row 4 is blank (formatting only), row 5 has gaps and its cells out of order,
        // row 6 has cells without references (each follows the one before).
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>\
            <c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c></row>\
            <row r="2"><c r="B2"><v>2</v></c></row>\
            <row r="4" s="1" customFormat="1"/>\
            <row r="5"><c r="D5"><v>4</v></c><c r="A5"><v>1</v></c><c r="C5" s="0"/></row>\
            <row r="6"><c><v>1</v></c><c><v>2</v></c><c r="D6"><v>4</v></c></row>\
            <row><c r="A7"><v>7</v></c></row>
            """))]))
        #expect(sheet.rows == [["", "2", "", ""], ["1", "", "", "4"], ["1", "2", "", "4"], ["7", "", "", ""]])
        #expect(sheet.lines == [2, 5, 6, 7])
    }

    @Test func aValueRightOfTheHeaderRejectsItsRowWithTheCell() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>a@example.com</t></is></c></row>\
            <row r="3"><c r="A3" t="inlineStr"><is><t>b@example.com</t></is></c><c r="D3" t="inlineStr"><is><t>call back</t></is></c></row>
            """))]))
        #expect(sheet.records.count == 2)
        #expect(sheet.records[0].values == ["a@example.com", ""])
        let rejection = try #require(sheet.records[1].rejection)
        #expect(rejection.reason == .xlsxValueOutsideHeader)
        #expect(rejection.detail == "cell D3 holds a value, but the header ends at column B (give that column a header to read it)")
        #expect(sheet.records[1].line == 3)
        #expect(sheet.records[1].raw == "b@example.com,,,call back")
    }

    @Test func emptyHeaderCellsAreNamedByPositionAndBlankRowsBeforeTheHeaderSkipped() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="2"/><row r="3"><c r="A3" t="inlineStr"><is><t>email</t></is></c><c r="C3" t="inlineStr"><is><t>phone</t></is></c></row>\
            <row r="4"><c r="A4" t="inlineStr"><is><t>a@example.com</t></is></c><c r="B4"><v>5</v></c><c r="C4"><v>4915112345678</v></c></row>
            """))]))
        #expect(sheet.columns == ["email", "column_2", "phone"])
        #expect(sheet.rows == [["a@example.com", "5", "4915112345678"]])
        #expect(sheet.lines == [4])
    }

    @Test func withoutAHeaderTheFirstRowIsARecord() throws {
        let sheet = try read(WorkbookFixture(sheets: [("S", WorkbookFixture.rows("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>a@example.com</t></is></c><c r="B1"><v>1</v></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>b@example.com</t></is></c></row>
            """))]), hasHeader: false)
        #expect(sheet.columns == ["column_1", "column_2"])
        #expect(sheet.rows == [["a@example.com", "1"], ["b@example.com", ""]])
        #expect(sheet.lines == [1, 2])
    }

    static let twoSheets = WorkbookFixture(sheets: [
        ("Readme", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>hidden notes</t></is></c></row>"#)),
        ("Leads", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a@example.com</t></is></c></row>"#)),
        ("Archive 2025", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="9"><c r="A9" t="inlineStr"><is><t>old@example.com</t></is></c></row>"#)),
    ], hiddenSheets: ["Readme"])

    @Test func theFirstVisibleSheetIsReadAndTheNoteNamesTheOthers() throws {
        let sheet = try read(Self.twoSheets)
        #expect(sheet.sheet == "Leads")
        #expect(sheet.rows == [["a@example.com"]])
        #expect(sheet.note?.hasPrefix("read sheet 'Leads' of '") == true)
        #expect(sheet.note?.hasSuffix("its other sheets ('Readme', 'Archive 2025') are read with `input.sheet: NAME`") == true)
    }

    @Test func aSheetIsChosenByNameIgnoringCaseWhenNoneMatchesExactly() throws {
        let sheet = try read(Self.twoSheets, sheet: "archive 2025")
        #expect(sheet.sheet == "Archive 2025")
        #expect(sheet.rows == [["old@example.com"]])
        #expect(sheet.lines == [9])
    }

    @Test func anUnknownSheetNameIsAnErrorListingTheSheets() throws {
        #expect {
            _ = try read(Self.twoSheets, sheet: "Contacts")
        } throws: { error in
            "\(error)".hasSuffix("book.xlsx: has no sheet named 'Contacts'; its sheets are 'Readme', 'Leads', 'Archive 2025'")
        }
    }

    @Test func anEmptySheetIsAnErrorAndAHeaderOnlySheetHasNoRecords() throws {
        #expect {
            _ = try read(WorkbookFixture(sheets: [("Empty", WorkbookFixture.rows(""))]))
        } throws: { error in
            "\(error)".hasSuffix("book.xlsx: sheet 'Empty' is empty: no header row")
        }
        let headerOnly = try ReadSheet(WorkbookFixture.generated("header-only.xlsx"))
        #expect(headerOnly.columns == ["email", "company", "phone"])
        #expect(headerOnly.records.isEmpty)
    }

    @Test func rowsSpanChunksWithTheirRowNumbers() throws {
        let rows = (1...2_500).map { "<row r=\"\($0 + 1)\"><c r=\"A\($0 + 1)\"><v>\($0)</v></c></row>" }.joined()
        try withTemporaryDirectory { dir in
            let path = dir.path("many.xlsx")
            try WorkbookFixture(sheets: [("S", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>"# + rows))])
                .write(to: path)
            let sheet = try ReadSheet(path, chunkSize: 1000)
            #expect(sheet.records.count == 2_500)
            #expect(sheet.rows.map { $0[0] } == (1...2_500).map(String.init))
            #expect(sheet.lines == Array(2...2_501))
        }
    }
}

/// Column letters for building fixtures (the reader has its own).
enum SpreadsheetColumn {
    static func letters(_ index: Int) -> String {
        var n = index + 1
        var text = ""
        while n > 0 {
            text = String(Character(Unicode.Scalar(UInt8(65 + (n - 1) % 26)))) + text
            n = (n - 1) / 26
        }
        return text
    }
}
