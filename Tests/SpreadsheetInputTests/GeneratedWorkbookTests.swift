import Foundation
import LeadIO
import SpreadsheetInput
import Testing
import TestSupport

/// Workbooks another program wrote (openpyxl 3.1.5, `Tests/Fixtures/Workbooks/make_workbooks.py`):
/// inline strings, `t="n"` on every number, self-closed empty cells, custom date formats.
@Suite("Workbooks written by openpyxl")
struct GeneratedWorkbookTests {
    @Test func aCRMExportReadsAsTheSameListSavedAsCSV() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("crm-export.xlsx"))
        let csv = try readCSV(WorkbookFixture.generated("crm-export.csv"))
        #expect(sheet.columns == csv.columns)
        #expect(sheet.rows == csv.rows)
        #expect(sheet.lines == [2, 3, 4, 5, 7])
        #expect(sheet.sheet == "Contacts")
        #expect(sheet.note?.contains("its other sheets ('Notes')") == true)
        #expect(sheet.note?.contains("1 cell of sheet 'Contacts' held an Excel error (#N/A, #REF!, #DIV/0!…) and read as empty, the first at E5") == true)
    }

    @Test func formulasWithoutASavedResultReadEmptyAndAreNamed() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("uncalculated-formulas.xlsx"))
        #expect(sheet.rows == [["ann@example.com", "Ann", "Lee", ""], ["bob@example.com", "Bob", "Ray", ""]])
        #expect(sheet.note?.contains("2 cells of sheet 'Leads' held a formula with no saved result and read as empty, the first at D2") == true,
                "\(sheet.note ?? "")")
    }

    @Test func mergedCellsAmongTheRowsAreNamedAndAMergedTitleIsNot() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("merged-cells.xlsx"), rowsAboveHeader: .titlesDetected)
        #expect(sheet.columns == ["Email", "Company", "First Name", "Owner"])
        #expect(sheet.rows.map { $0[1] } == ["Acme GmbH", "", "", "Beta AG"])
        let note = sheet.note ?? ""
        #expect(note.contains("sheet 'Accounts' has 1 merged cell range among its rows (B3:B5): only the first cell of a range "
                              + "holds its value"), "\(note)")
        #expect(!note.contains("A1:D1"), "\(note)")
    }

    @Test func theSecondSheetIsReadByName() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("crm-export.xlsx"), sheet: "Notes")
        #expect(sheet.columns == ["Note", "Owner"])
        #expect(sheet.rows == [["Call back in March", "Sales, EMEA"]])
    }

    @Test func aMac1904WorkbooksDatesReadAsTheirCalendarDates() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("mac-1904.xlsx"))
        #expect(sheet.rows == [["a@example.com", "2026-02-12", "2026-02-12T09:15:30"],
                               ["b@example.com", "1904-01-02", "1999-12-31T12:00:00"]])
    }

    @Test func aWriteOnlyWorkbookKeepsPhoneNumbersAndIDsWhole() throws {
        let sheet = try ReadSheet(WorkbookFixture.generated("write-only.xlsx"))
        #expect(sheet.columns == ["email", "phone", "id"])
        #expect(sheet.rows.first == ["lead1@example.com", "4915100000001", "1"])
        #expect(sheet.records.count == 5)
    }

    func readCSV(_ path: String) throws -> (columns: [String], rows: [[String]]) {
        let reader = try RecordReader(path: path, format: .csv)
        let parser = RecordParser(format: .csv, columns: reader.columns)
        var rows: [[String]] = []
        while let chunk = try reader.nextChunk() { rows += parser.parse(chunk, width: reader.columns.count).records.map(\.values) }
        return (reader.columns, rows)
    }
}
