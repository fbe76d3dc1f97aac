import Foundation
@testable import SpreadsheetInput
import Testing

/// Which number formats make a cell a date, a time, a padded code or a plain number.
@Suite("Number formats")
struct NumberFormatTests {
    @Test(arguments: [
        ("yyyy-mm-dd", NumberDisplay.date),
        ("dd.mm.yyyy hh:mm", .date),
        ("[$-407]dd. mmmm yyyy", .date),
        ("mmm-yy", .date),
        ("m/d/yy h:mm", .date),
        ("h:mm AM/PM", .time),
        ("[h]:mm:ss", .time),
        ("mm:ss", .time),
        ("hh:mm:ss;@", .time),
        ("0.00", .number),
        ("#,##0_);[Red](#,##0)", .number),
        ("0.00E+00", .number),
        ("\"Day \"0", .number),
        ("[$€-407] #,##0.00", .number),
        ("@", .number),
        ("0", .number),
        ("00000", .zeroPadded(5)),
    ])
    func customFormatCodesAreClassifiedByTheirTokens(code: String, display: NumberDisplay) {
        #expect(CellStyles.display(ofFormatCode: code) == display)
    }

    @Test func builtInFormatsFollowTheStandardsTable() {
        #expect((14...17).allSatisfy { CellStyles.builtInDisplay($0) == .date })
        #expect(CellStyles.builtInDisplay(22) == .date)
        #expect((18...21).allSatisfy { CellStyles.builtInDisplay($0) == .time })
        #expect((45...47).allSatisfy { CellStyles.builtInDisplay($0) == .time })
        #expect([0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 49].allSatisfy { CellStyles.builtInDisplay($0) == .number })
    }

    @Test(arguments: [
        (1e21, "1000000000000000000000"), (123456789.125, "123456789.125"), (-0.5, "-0.5"),
        (1e15, "1000000000000000"), (0.30000000000000004, "0.30000000000000004"), (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
    ])
    func plainDecimalsHaveNoExponentAndRoundTrip(value: Double, text: String) {
        #expect(CellValueText.plainDecimal(value) == text)
        #expect(Double(text) == value)
    }
}

/// A table too big to hold moves to a temporary file; lookups read the same strings back.
@Suite("Shared strings")
struct SharedStringsTests {
    @Test func aTableOverTheMemoryLimitReadsBackTheSameStringsFromItsFile() throws {
        let items = (0..<5_000).map { "<si><t>lead\($0)@example.com, Müller &amp; Söhne</t></si>" }.joined()
        let xml = #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="5000">"# + items + "</sst>"
        let small = try SharedStrings.read(XMLPullParser(source: XMLByteSource(data: Data(xml.utf8)), part: "sst"), memoryLimit: 1_000)
        let held = try SharedStrings.read(XMLPullParser(source: XMLByteSource(data: Data(xml.utf8)), part: "sst"))
        #expect(small.isSpilled && !held.isSpilled)
        #expect(small.count == 5_000)
        // Every string (some span two 64 KiB blocks of the file), then a few again out of order.
        for index in Array(0..<5_000) + [0, 4_999, 2_500, 1] {
            #expect(small.string(index) == "lead\(index)@example.com, Müller & Söhne")
            #expect(small.string(index) == held.string(index))
        }
        #expect(small.string(5_000) == nil)
    }
}
