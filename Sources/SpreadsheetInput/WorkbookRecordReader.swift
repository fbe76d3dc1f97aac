import Foundation
import LeadIO
import LeadRecords

/// Reads one sheet of an `.xlsx` workbook as records: the first row is the header, and each later row
/// is a record whose line is the sheet's row number.
///
/// Rows are handed on as CSV-encoded ``RawChunk``s, so ``RecordParser``, every stage, the rejects file
/// and the report treat a workbook exactly like the same list saved as CSV. The sheet is streamed
/// (inflated on a second thread, parsed by libxml2's reader node by node); only the shared string
/// table is held whole.
///
/// ```swift
/// let reader = try WorkbookRecordReader(path: "leads.xlsx", sheet: "Leads")
/// let parser = RecordParser(format: reader.format, columns: reader.columns)
/// while let chunk = try reader.nextChunk() { … parser.parse(chunk, width: reader.columns.count) … }
/// ```
public final class WorkbookRecordReader: RecordSource {
    public let path: String
    /// Always CSV: the format the rows are handed on in.
    public let format = RecordFormat.csv
    public private(set) var columns: [String] = []
    /// The sheet read.
    package let sheetName: String
    /// The CRC-32s the archive records for the parts the records come from (sheet, shared strings,
    /// styles): the same cells give the same checksum, whatever else in the file changed.
    public let inputChecksum: String?

    private let rows: SheetRowReader
    private let sheetStream: ZipEntryStream
    private let otherSheetNames: [String]
    private let chunkSize: Int
    private let fileSize: Int
    private var sequence = 0
    /// Rows read before the first chunk that are data (`hasHeader: false`, or rows taken for titles that
    /// were not), handed out with the first chunk: CSV bytes, sheet row number, column of a value right
    /// of the header.
    private var pendingRows: [(bytes: [UInt8], number: Int, outside: Int?)] = []
    /// The sheet row of the first data row, once read: merged ranges above it are titles, not data.
    private var firstDataRow: Int?
    /// The note on title rows skipped above the header.
    private var titleNote: String?
    /// The first chunk, when ``peekRows(limit:)`` read it ahead.
    private var peekedChunk: RawChunk?

    /// Whether an input is a workbook: `input.format: xlsx`, or `auto` and a path ending in `.xlsx` or `.xlsm`.
    public static func reads(format: String, path: String) -> Bool {
        if format == "xlsx" { return true }
        guard format == "auto" else { return false }
        let lower = path.lowercased()
        return lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm")
    }

    /// The reason codes this reader gives rows, for `leadhygiene reasons`.
    public static let reasonCodes: [ReasonCode] = [.xlsxValueOutsideHeader]

    /// Opens the workbook, reads its shared strings and styles, and reads the sheet up to its header.
    /// - Parameters:
    ///   - sheet: the sheet's name (`input.sheet`); `nil` reads the first visible worksheet.
    ///   - hasHeader: `false` names the columns `column_1…` and reads the first row as a record.
    ///   - rowsAboveHeader: with a header, the sheet rows above it that are skipped (blank ones always
    ///     are), or title rows found: rows of one filled cell above a row of three or more different names.
    /// - Throws: `InputOutputError` naming the file when it is not a readable workbook, has no such sheet,
    ///   or the sheet has no rows.
    public init(path: String, sheet: String? = nil, hasHeader: Bool = true, chunkSize: Int = 1024,
                rowsAboveHeader: LinesAboveHeader = .skipped(0)) throws {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        guard path != "-" else {
            // A ZIP archive's directory is at its end: a pipe would have to be held whole first.
            throw InputOutputError(path: path, "a workbook cannot be read from standard input; give its path")
        }
        let url = URL(fileURLWithPath: path)
        fileSize = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        do {
            let archive = try WorkbookArchive.open(url)
            let manifest = try WorkbookManifest.read(from: archive)
            let chosen = try manifest.sheet(named: sheet)
            sheetName = chosen.name
            inputChecksum = "xlsx-crc32:" + [chosen.part, manifest.sharedStringsPart, manifest.stylesPart]
                .map { part in part.flatMap { archive[$0] }.map { String($0.checksum, radix: 16) } ?? "-" }
                .joined(separator: "-")
            otherSheetNames = manifest.sheets.map(\.name).filter { $0 != chosen.name }
            let sharedStrings = try manifest.sharedStringsPart.map { part in
                try SharedStrings.read(XMLPullParser(source: XMLByteSource(stream: ZipEntryStream(archiveURL: url, entryPath: part)),
                                                     part: part))
            } ?? SharedStrings()
            let styles = try manifest.stylesPart.flatMap { try WorkbookArchive.read($0, from: archive) }.map {
                try CellStyles.read(XMLPullParser(source: XMLByteSource(data: $0), part: manifest.stylesPart ?? ""))
            } ?? CellStyles()
            sheetStream = try ZipEntryStream(archiveURL: url, entryPath: chosen.part)
            rows = SheetRowReader(parser: try XMLPullParser(source: XMLByteSource(stream: sheetStream), part: chosen.part),
                                  sharedStrings: sharedStrings, styles: styles, uses1904: manifest.uses1904DateSystem)
            try readHeader(hasHeader: hasHeader, rowsAboveHeader: rowsAboveHeader)
        } catch let error as WorkbookError {
            throw InputOutputError(path: path, error.description)
        }
    }

    /// Why some cells read as empty, and which sheet was read when there are others.
    public var schemaNote: String? {
        var notes: [String] = []
        if let titleNote { notes.append(titleNote) }
        if !otherSheetNames.isEmpty {
            notes.append("read sheet '\(sheetName)' of '\(path)'; its other sheets ("
                         + otherSheetNames.map { "'\($0)'" }.joined(separator: ", ") + ") are read with `input.sheet: NAME`")
        }
        if rows.errorCellCount > 0 {
            notes.append("\(rows.errorCellCount) cell\(rows.errorCellCount == 1 ? "" : "s") of sheet '\(sheetName)' "
                         + "held an Excel error (#N/A, #REF!, #DIV/0!…) and read as empty, the first at \(rows.firstErrorCell ?? "?")")
        }
        // A range over data rows, or merged down over several rows (a report grouping rows under one company):
        // a title merged across the columns above the header is not the list's.
        let merged = rows.mergedRanges.filter { range in
            firstDataRow.map { range.lastRow >= $0 && (range.firstRow >= $0 || range.lastRow > range.firstRow) } ?? false
        }
        if let first = merged.first {
            notes.append("sheet '\(sheetName)' has \(merged.count) merged cell range\(merged.count == 1 ? "" : "s") among its rows "
                         + "(\(merged.prefix(3).map(\.reference).joined(separator: ", "))\(merged.count > 3 ? ", …" : "")): only the first "
                         + "cell of a range holds its value, so the other cells of \(first.reference) and the rest read empty; "
                         + "unmerge and fill them in Excel to keep the value on every row")
        }
        if rows.uncalculatedFormulaCount > 0 {
            let count = rows.uncalculatedFormulaCount
            notes.append("\(count) cell\(count == 1 ? "" : "s") of sheet '\(sheetName)' held a formula with no saved result and read as "
                         + "empty, the first at \(rows.firstUncalculatedFormula ?? "?"); the program that wrote the file did not "
                         + "calculate it: open and save it in Excel or LibreOffice to keep the results")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// The share of the file read so far, in bytes, judged by how much of the sheet has been inflated.
    public var bytesRead: Int {
        guard sheetStream.uncompressedSize > 0 else { return 0 }
        return Int(Double(fileSize) * Double(sheetStream.bytesDelivered) / Double(sheetStream.uncompressedSize))
    }

    private func readHeader(hasHeader: Bool, rowsAboveHeader: LinesAboveHeader) throws {
        // Rows of one filled cell that may be titles, kept until the row below them says whether they are.
        var titleCandidates: [(number: Int, cells: [(column: Int, value: [UInt8])])] = []
        while try rows.nextRow() {
            guard let last = rows.cells.map(\.column).max() else { continue } // blank rows before the header
            if hasHeader, case .skipped(let count) = rowsAboveHeader, rows.rowNumber <= count { continue }
            let filled = rows.cells.filter { !$0.range.isEmpty }
            if hasHeader, rowsAboveHeader == .titlesDetected {
                if filled.count == 1 && titleCandidates.count < TitleLines.maxLines {
                    titleCandidates.append((rows.rowNumber, filled.map { ($0.column, Array(rows.valueBytes[$0.range])) }))
                    continue
                }
                if !titleCandidates.isEmpty {
                    let names = filled.map { rows.valueBytes[$0.range] }
                    let contiguous = filled.count == last - (filled.map(\.column).min() ?? 0) + 1
                    if contiguous && TitleLines.namesAHeader(names.map { Array($0) }) {
                        let shown = TitleLines.shown(String(decoding: titleCandidates[0].cells[0].value, as: UTF8.self))
                        titleNote = "sheet '\(sheetName)': \(titleCandidates.count) title row\(titleCandidates.count == 1 ? "" : "s") above its "
                            + "header ('\(shown)') \(titleCandidates.count == 1 ? "was" : "were") skipped, and the header read on row "
                            + "\(rows.rowNumber); input.skip_lines: 0 reads the first row as the header"
                        titleCandidates = []
                    } else {
                        // Not titles: the first of them is the header, the others and this row are rows.
                        let header = titleCandidates.removeFirst()
                        columns = Self.names(header.cells, width: (header.cells.map(\.column).max() ?? 0) + 1)
                        for row in titleCandidates { pendingRows.append(encodeRow(row.cells, number: row.number)) }
                        var bytes: [UInt8] = []
                        let outside = encodeRow(into: &bytes)
                        pendingRows.append((bytes, rows.rowNumber, outside))
                        return
                    }
                }
            }
            let width = last + 1
            if hasHeader {
                columns = Self.names(rows.cells.map { ($0.column, Array(rows.valueBytes[$0.range])) }, width: width)
            } else {
                columns = (1...width).map { "column_\($0)" }
                var bytes: [UInt8] = []
                let outside = encodeRow(into: &bytes)
                pendingRows.append((bytes, rows.rowNumber, outside))
            }
            return
        }
        if let header = titleCandidates.first {
            // Only rows of one cell: the first is the header.
            columns = Self.names(header.cells, width: (header.cells.map(\.column).max() ?? 0) + 1)
            for row in titleCandidates.dropFirst() { pendingRows.append(encodeRow(row.cells, number: row.number)) }
            return
        }
        throw InputOutputError(path: path, "sheet '\(sheetName)' is empty: no header row")
    }

    /// Header names for `cells`, `column_N` where a cell is empty.
    private static func names(_ cells: [(column: Int, value: [UInt8])], width: Int) -> [String] {
        var names = (1...width).map { "column_\($0)" }
        for cell in cells where !cell.value.isEmpty { names[cell.column] = String(decoding: cell.value, as: UTF8.self) }
        return names
    }

    /// A row kept from before the header was known, as ``encodeRow(into:)`` writes the current one.
    private func encodeRow(_ cells: [(column: Int, value: [UInt8])], number: Int) -> (bytes: [UInt8], number: Int, outside: Int?) {
        var bytes: [UInt8] = []
        let width = max(columns.count, (cells.map(\.column).max() ?? -1) + 1)
        for column in 0..<width {
            if column > 0 { bytes.append(UInt8(ascii: ",")) }
            if let cell = cells.first(where: { $0.column == column }) {
                cell.value.withUnsafeBufferPointer { Self.appendField($0, to: &bytes) }
            }
        }
        return (bytes, number, cells.first { $0.column >= columns.count }?.column)
    }

    /// A workbook's text is UTF-8 XML: nothing to say about its encoding or delimiter.
    public var encodingNote: String? { nil }
    public var delimiterNote: String? { nil }
    public var readsInvalidUTF8RowsAsWindows1252: Bool { false }

    /// Up to `limit` of the first records' values: the first chunk is read ahead and kept for ``nextChunk()``.
    public func peekRows(limit: Int) -> [[String]] {
        if peekedChunk == nil { peekedChunk = try? readChunk() }
        guard let chunk = peekedChunk else { return [] }
        let parser = RecordParser(format: format, columns: columns)
        return parser.parse(chunk, width: columns.count).records.filter(\.isActive).prefix(limit).map(\.values)
    }

    public func nextChunk() throws -> RawChunk? {
        if let chunk = peekedChunk {
            peekedChunk = nil
            return chunk
        }
        return try readChunk()
    }

    private func readChunk() throws -> RawChunk? {
        var bytes: [UInt8] = []
        var records: [RawRecord] = []
        var problems: [Int: RawRecordProblem] = [:]
        records.reserveCapacity(chunkSize)
        for row in pendingRows {
            if let outside = row.outside { problems[records.count] = outsideHeaderProblem(column: outside, row: row.number) }
            records.append(RawRecord(start: bytes.count, end: bytes.count + row.bytes.count, line: row.number))
            firstDataRow = firstDataRow ?? row.number
            bytes += row.bytes
        }
        pendingRows = []
        do {
            while records.count < chunkSize, try rows.nextRow() {
                guard !rows.cells.isEmpty else { continue } // a blank row, as a blank line in CSV
                let start = bytes.count
                if let outside = encodeRow(into: &bytes) {
                    problems[records.count] = outsideHeaderProblem(column: outside, row: rows.rowNumber)
                }
                records.append(RawRecord(start: start, end: bytes.count, line: rows.rowNumber))
                firstDataRow = firstDataRow ?? rows.rowNumber
            }
        } catch let error as WorkbookError {
            throw InputOutputError(path: path, error.description)
        }
        guard !records.isEmpty else { return nil }
        defer { sequence += 1 }
        return RawChunk(sequence: sequence, bytes: bytes, records: records, problems: problems)
    }

    private func outsideHeaderProblem(column: Int, row: Int) -> RawRecordProblem {
        RawRecordProblem(reason: .xlsxValueOutsideHeader,
                         detail: "cell \(SheetRowReader.reference(column: column, row: row)) holds a value, but the header "
                             + "ends at column \(SheetRowReader.columnLetters(columns.count - 1)) (give that column a header to read it)")
    }

    /// Appends the current row as one CSV record (no line end), a field per header column; returns the
    /// column of a value right of the header's last, which the record then also holds (for the rejects file).
    private func encodeRow(into bytes: inout [UInt8]) -> Int? {
        var cells = rows.cells
        if !cells.isSorted { cells.sort { $0.column < $1.column } }
        let outside = cells.first { $0.column >= columns.count }?.column
        let width = max(columns.count, (cells.last?.column ?? -1) + 1)
        rows.valueBytes.withUnsafeBufferPointer { values in
            var next = 0
            for column in 0..<width {
                if column > 0 { bytes.append(UInt8(ascii: ",")) }
                while next < cells.count && cells[next].column < column { next += 1 } // a repeated reference: the first wins
                guard next < cells.count, cells[next].column == column else { continue }
                Self.appendField(UnsafeBufferPointer(rebasing: values[cells[next].range]), to: &bytes)
                next += 1
            }
        }
        return outside
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    @inline(__always)
    private static func appendField(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var needsQuotes = false
        for c in value where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            bytes.append(contentsOf: value)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for c in value {
            if c == UInt8(ascii: "\"") { bytes.append(c) }
            bytes.append(c)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension [SheetRowReader.Cell] {
    fileprivate var isSorted: Bool {
        var previous = -1
        for cell in self {
            if cell.column <= previous { return false }
            previous = cell.column
        }
        return true
    }
}

extension ReasonCode {
    /// A sheet row has a value in a column right of the header's last named column.
    package static let xlsxValueOutsideHeader = ReasonCode(
        "xlsx_value_outside_header",
        "A spreadsheet row has a value in a column right of the header's last column; give that column a header to read it.")
}
