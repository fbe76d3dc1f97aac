import Foundation
import LeadIO
import SpreadsheetInput
import Testing
import TestSupport

/// Files that are not what their `.xlsx` name says: each gives one error naming the file, never a crash.
@Suite("Damaged and foreign workbooks")
struct DamagedWorkbookTests {
    func error(opening path: String) -> String? {
        do {
            _ = try ReadSheet(path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aFileThatIsNotAZIPArchiveIsNamedInTheError() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("leads.xlsx", "email,name\na@example.com,Ana\n")
            #expect(error(opening: path) == "\(path): is not a readable .xlsx workbook (not a ZIP archive, or a damaged one)")
        }
    }

    @Test func anExcel97FileIsToldApartFromGarbage() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("leads.xlsx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 512))
            #expect(error(opening: path) == "\(path): is an Excel 97–2003 workbook (.xls), which cannot be read; save it as .xlsx or CSV")
        }
    }

    @Test func aTruncatedArchiveIsAnError() throws {
        try withTemporaryDirectory { dir in
            let whole = dir.path("whole.xlsx")
            try WorkbookRecordReaderTests.sharedStringBook.write(to: whole)
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: whole)))
            let path = try dir.write("cut.xlsx", bytes: Array(bytes.prefix(bytes.count / 2)))
            #expect(error(opening: path) == "\(path): is not a readable .xlsx workbook (not a ZIP archive, or a damaged one)")
        }
    }

    @Test func aSheetWhoseCompressedBytesAreDamagedFailsWithThePart() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("flipped.xlsx")
            let rows = (1...3_000).map { "<row r=\"\($0 + 1)\"><c r=\"A\($0 + 1)\" t=\"inlineStr\"><is><t>lead\($0 * 7919 % 10007)@example.com</t></is></c></row>" }
            try WorkbookFixture(sheets: [("S", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>"# + rows.joined()))])
                .write(to: path)
            // Flip bytes in the middle of the sheet's deflated data: the central directory still reads.
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            let sheetStart = try #require(bytes.firstRange(of: Array("xl/worksheets/sheet1.xml".utf8))).upperBound
            for i in stride(from: sheetStart + 2_000, to: sheetStart + 2_400, by: 3) { bytes[i] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let message = try #require(error(opening: path))
            #expect(message.hasPrefix("\(path): is a damaged .xlsx workbook: its part 'xl/worksheets/sheet1.xml' "), "\(message)")
        }
    }

    @Test func aZIPArchiveWithoutAWorkbookPartIsAnError() throws {
        try withTemporaryDirectory { dir in
            var fixture = WorkbookRecordReaderTests.sharedStringBook
            fixture.sheets = []
            let path = dir.path("empty.xlsx")
            try fixture.write(to: path)
            #expect(error(opening: path) == "\(path): is an .xlsx workbook without a worksheet")
        }
    }

    @Test func malformedSheetXMLIsAnErrorWithItsLine() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("bad.xlsx")
            try WorkbookFixture(sheets: [("S", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2"><v>1</v></row>"#))])
                .write(to: path)
            let message = try #require(error(opening: path))
            #expect(message.hasPrefix("\(path): is a damaged .xlsx workbook: its part 'xl/worksheets/sheet1.xml' is not well-formed XML (line 2: "),
                    "\(message)")
        }
    }

    @Test func standardInputIsRefusedWithTheReason() {
        #expect(error(opening: "-") == "-: a workbook cannot be read from standard input; give its path")
    }
}
