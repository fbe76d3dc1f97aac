import Foundation
import LeadIO
import SpreadsheetInput
import Testing
import TestSupport

/// Hand-made sheets and CRM reports put a heading in A1 above the table.
@Suite("Title rows above a sheet's header")
struct TitleRowTests {
    /// A sheet of inline-string rows; `nil` leaves the cell out.
    static func sheet(_ rows: [(Int, [String?])]) -> WorkbookFixture {
        let xml = rows.map { number, cells in
            "<row r=\"\(number)\">" + cells.enumerated().compactMap { column, value in
                value.map { "<c r=\"\(String(UnicodeScalar(UInt8(65 + column))))\(number)\" t=\"inlineStr\"><is><t>\($0)</t></is></c>" }
            }.joined() + "</row>"
        }.joined()
        return WorkbookFixture(sheets: [("Leads", WorkbookFixture.rows(xml))])
    }

    @Test func skipsATitleInA1AndABlankRowAndSaysOnWhichRowTheHeaderWasRead() throws {
        let book = Self.sheet([(1, ["Lead export 2026-11-30"]), (3, ["Email", "First Name", "Company"]),
                               (4, ["ann@acme.com", "Ann", "Acme"]), (5, ["bob@globex.com", nil, "Globex"])])
        let read = try read(book, rowsAboveHeader: .titlesDetected)
        #expect(read.columns == ["Email", "First Name", "Company"])
        #expect(read.rows == [["ann@acme.com", "Ann", "Acme"], ["bob@globex.com", "", "Globex"]])
        #expect(read.lines == [4, 5])
        #expect(read.note?.contains("1 title row above its header ('Lead export 2026-11-30') was skipped, and the header read on row 3") == true)
    }

    @Test func aOneColumnSheetKeepsItsHeaderAndEveryRowInOrder() throws {
        let emails = (2...9).map { (Int($0), ["u\($0)@acme.com"] as [String?]) }
        let read = try read(Self.sheet([(1, ["Email"])] + emails), rowsAboveHeader: .titlesDetected)
        #expect(read.columns == ["Email"])
        #expect(read.rows == (2...9).map { ["u\($0)@acme.com"] })
        #expect(read.lines == Array(2...9))
        #expect(read.note == nil)
    }

    @Test func rowsOfOneCellAboveAHeaderOfTwoAreNotTitles() throws {
        let read = try read(Self.sheet([(1, ["Email"]), (2, ["ann@acme.com", "extra"]), (3, ["bob@globex.com"])]),
                            rowsAboveHeader: .titlesDetected)
        #expect(read.columns == ["Email"])
        #expect(read.lines == [2, 3])
        #expect(read.records[0].rejection?.reason == .xlsxValueOutsideHeader)
        #expect(read.rows.last == ["bob@globex.com"])
    }

    @Test func aStatedCountSkipsThatManySheetRows() throws {
        let book = Self.sheet([(1, ["Leads", "as of", "today"]), (2, ["Email", "Name"]), (3, ["ann@acme.com", "Ann"])])
        let read = try read(book, rowsAboveHeader: .skipped(1))
        #expect(read.columns == ["Email", "Name"])
        #expect(read.rows == [["ann@acme.com", "Ann"]])
    }
}
