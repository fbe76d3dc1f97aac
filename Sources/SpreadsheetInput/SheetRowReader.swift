import Foundation

/// Streams one worksheet part row by row: each row's number (`<row r="…">`) and its non-empty cells,
/// each with its column (from `<c r="C5">`, not its position among the row's elements) and its value
/// as UTF-8 text.
final class SheetRowReader {
    struct Cell {
        /// 0-based: A is 0.
        var column: Int
        /// The value's bytes in ``SheetRowReader/valueBytes``.
        var range: Range<Int>
    }

    /// The current row's sheet row number (1-based, as Excel shows it).
    private(set) var rowNumber = 0
    /// The current row's non-empty cells, in the order written (nearly always by column).
    private(set) var cells: [Cell] = []
    /// The bytes of the current row's values.
    private(set) var valueBytes: [UInt8] = []
    /// Cells holding an error (`#N/A`, `#REF!`…), read as empty; the first one's reference.
    private(set) var errorCellCount = 0
    private(set) var firstErrorCell: String?
    /// Cells holding a formula with no saved result, read as empty: a workbook written by a program that does not
    /// calculate (openpyxl, many report generators) until Excel opens and saves it. The first one's reference.
    private(set) var uncalculatedFormulaCount = 0
    private(set) var firstUncalculatedFormula: String?
    /// The sheet's merged ranges (`<mergeCell ref="A2:A5"/>`, after the rows), read once the rows are: only a range's
    /// first cell holds its value, so the others read empty.
    private(set) var mergedRanges: [MergedRange] = []

    struct MergedRange {
        /// 0-based columns and 1-based rows, as ``Cell`` and ``rowNumber``.
        var firstColumn: Int, firstRow: Int, lastColumn: Int, lastRow: Int
        var reference: String
    }

    private let parser: XMLPullParser
    private let sharedStrings: SharedStrings
    private let styles: CellStyles
    private let uses1904: Bool
    private var finished = false

    // Interned element and attribute names.
    private let rowName, cellName, valueName, formulaName, inlineName, textName, phoneticName, sheetDataName, mergeCellName: XMLPullParser.Name
    private let referenceName, rangeName, typeName, styleName: XMLPullParser.Name

    /// What a cell's `t="…"` says its `<v>` holds.
    private enum CellType {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate
    }

    init(parser: XMLPullParser, sharedStrings: SharedStrings, styles: CellStyles, uses1904: Bool) {
        self.parser = parser
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.uses1904 = uses1904
        rowName = parser.intern("row")
        cellName = parser.intern("c")
        valueName = parser.intern("v")
        formulaName = parser.intern("f")
        inlineName = parser.intern("is")
        textName = parser.intern("t")
        phoneticName = parser.intern("rPh")
        sheetDataName = parser.intern("sheetData")
        mergeCellName = parser.intern("mergeCell")
        referenceName = parser.intern("r")
        rangeName = parser.intern("ref")
        typeName = parser.intern("t")
        styleName = parser.intern("s")
    }

    /// Reads the next row element (which may have no cells); `false` after the last.
    func nextRow() throws -> Bool {
        guard !finished else { return false }
        cells.removeAll(keepingCapacity: true)
        valueBytes.removeAll(keepingCapacity: true)
        var rawValue: [UInt8] = []
        var inRow = false
        var column = -1
        var type = CellType.number
        var style = 0
        var inCell = false
        var hasFormula = false
        var collectingValue = false
        var collectingText = false
        var inInline = false
        var phoneticDepth = 0
        var cellStart = 0
        while try parser.read() {
            switch parser.kind {
            case .element:
                let name = parser.localName
                if name == cellName && inRow {
                    column += 1
                    type = .number
                    style = 0
                    parser.forEachAttribute { attribute, value in
                        if attribute == referenceName {
                            if let parsed = Self.column(ofReference: value) { column = parsed }
                        } else if attribute == typeName {
                            type = Self.cellType(value)
                        } else if attribute == styleName {
                            style = Self.integer(value) ?? 0
                        }
                    }
                    inCell = !parser.isEmptyElement
                    hasFormula = false
                    cellStart = valueBytes.count
                    rawValue.removeAll(keepingCapacity: true)
                } else if name == formulaName && inCell {
                    hasFormula = true
                } else if name == valueName && inCell {
                    collectingValue = !parser.isEmptyElement
                } else if name == inlineName && inCell {
                    inInline = !parser.isEmptyElement
                } else if name == textName && inInline && phoneticDepth == 0 {
                    collectingText = !parser.isEmptyElement
                } else if name == phoneticName && inInline && !parser.isEmptyElement {
                    phoneticDepth += 1
                } else if name == rowName {
                    var number = rowNumber + 1
                    parser.forEachAttribute { attribute, value in
                        if attribute == referenceName, let parsed = Self.integer(value) { number = parsed }
                    }
                    rowNumber = number
                    if parser.isEmptyElement { return true }
                    inRow = true
                }
            case .text:
                if collectingValue {
                    rawValue.append(contentsOf: parser.value)
                } else if collectingText {
                    OOXMLText.appendUnescaped(parser.value, to: &valueBytes)
                }
            case .endElement:
                let name = parser.localName
                if name == valueName {
                    collectingValue = false
                } else if name == textName {
                    collectingText = false
                } else if name == phoneticName {
                    phoneticDepth -= 1
                } else if name == inlineName {
                    inInline = false
                } else if name == cellName && inCell {
                    inCell = false
                    if hasFormula && rawValue.isEmpty && type != .inlineString {
                        uncalculatedFormulaCount += 1
                        if firstUncalculatedFormula == nil { firstUncalculatedFormula = Self.reference(column: column, row: rowNumber) }
                    }
                    try finishCell(type: type, style: style, column: column, rawValue: rawValue, start: cellStart)
                } else if name == rowName {
                    return true
                } else if name == sheetDataName {
                    finished = true
                    try readMergedRanges()
                    return false
                }
            case .other:
                break
            }
        }
        finished = true
        return false
    }

    /// Reads the rest of the sheet for its merged ranges (a few elements after the rows; the rest is layout).
    private func readMergedRanges() throws {
        while try parser.read() {
            guard parser.kind == .element, parser.localName == mergeCellName else { continue }
            parser.forEachAttribute { attribute, value in
                guard attribute == rangeName else { return }
                let text = String(decoding: value, as: UTF8.self)
                let corners = text.split(separator: ":").map { Array($0.utf8) }
                guard corners.count == 2,
                      let first = corners[0].withUnsafeBufferPointer(Self.cell(ofReference:)),
                      let last = corners[1].withUnsafeBufferPointer(Self.cell(ofReference:)) else { return }
                mergedRanges.append(MergedRange(firstColumn: first.column, firstRow: first.row, lastColumn: last.column,
                                                lastRow: last.row, reference: text))
            }
        }
    }

    /// `B12` → column 1, row 12.
    static func cell(ofReference text: UnsafeBufferPointer<UInt8>) -> (column: Int, row: Int)? {
        guard let column = column(ofReference: text),
              let digits = text.firstIndex(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let row = integer(UnsafeBufferPointer(rebasing: text[digits...])) else { return nil }
        return (column, row)
    }

    /// Writes the cell's value after its inline text (if any) and records the cell when it is not empty.
    @inline(__always)
    private func finishCell(type: CellType, style: Int, column: Int, rawValue: [UInt8], start: Int) throws {
        try rawValue.withUnsafeBufferPointer { raw in
            switch type {
            case .sharedString:
                if let index = Self.integer(raw) { try sharedStrings.append(index, to: &valueBytes) }
            case .inlineString:
                break // its <is><t> text is already in place
            case .formulaString:
                OOXMLText.appendUnescaped(raw, to: &valueBytes)
            case .boolean:
                if raw.count == 1 { valueBytes.append(contentsOf: raw[0] == UInt8(ascii: "1") ? Self.trueText : Self.falseText) }
            case .error:
                // #N/A and friends are empty: a lookup that found nothing has no value to clean.
                errorCellCount += 1
                if firstErrorCell == nil { firstErrorCell = Self.reference(column: column, row: rowNumber) }
            case .isoDate:
                valueBytes.append(contentsOf: raw)
            case .number:
                if !raw.isEmpty {
                    CellValueText.appendNumber(raw, display: styles.display(ofStyle: style), uses1904: uses1904, to: &valueBytes)
                }
            }
        }
        if valueBytes.count > start && column >= 0 {
            cells.append(Cell(column: column, range: start..<valueBytes.count))
        }
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    private static func cellType(_ value: UnsafeBufferPointer<UInt8>) -> CellType {
        switch value.count {
        case 1:
            switch value[0] {
            case UInt8(ascii: "s"): .sharedString
            case UInt8(ascii: "b"): .boolean
            case UInt8(ascii: "e"): .error
            case UInt8(ascii: "d"): .isoDate
            default: .number
            }
        case 3 where value[0] == UInt8(ascii: "s"): .formulaString // "str"
        case 9 where value[0] == UInt8(ascii: "i"): .inlineString // "inlineStr"
        default: .number
        }
    }

    @inline(__always)
    static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !text.isEmpty, text.count < 19 else { return nil }
        var value = 0
        for c in text {
            let digit = c &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The 0-based column of a reference such as `C5` or `AB12`; `nil` without letters.
    @inline(__always)
    static func column(ofReference text: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for c in text {
            let upper = c & ~0x20
            guard upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }

    /// `column` 2, `row` 5 → `C5`.
    static func reference(column: Int, row: Int) -> String { columnLetters(column) + String(row) }

    /// 0 → `A`, 25 → `Z`, 26 → `AA`.
    static func columnLetters(_ column: Int) -> String {
        var n = column + 1
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(remainder))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }
}
