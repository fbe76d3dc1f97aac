/// Why a workbook cannot be read; ``WorkbookRecordReader`` reports it as an `InputOutputError`
/// naming the file, so the run stops with one line instead of a crash.
enum WorkbookError: Error, CustomStringConvertible {
    /// The file is not a ZIP archive (or a damaged one).
    case notAnArchive(String)
    /// An Excel 97–2003 binary workbook, which this reader does not read.
    case legacyExcel
    /// A part the workbook needs is missing.
    case missingPart(String)
    /// A part cannot be inflated, or is not well-formed XML.
    case corruptPart(String, String)
    /// `input.sheet` names no sheet of the workbook.
    case noSuchSheet(String, available: [String])
    /// The workbook has no worksheet at all.
    case noWorksheet
    /// The shared strings do not fit the 4 GiB the table indexes.
    case sharedStringsTooLarge

    var description: String {
        switch self {
        case .notAnArchive(let reason):
            "is not a readable .xlsx workbook (\(reason))"
        case .legacyExcel:
            "is an Excel 97–2003 workbook (.xls), which cannot be read; save it as .xlsx or CSV"
        case .missingPart(let part):
            "is not a complete .xlsx workbook: it has no '\(part)'"
        case .corruptPart(let part, let reason):
            "is a damaged .xlsx workbook: its part '\(part)' \(reason)"
        case .noSuchSheet(let name, let available):
            "has no sheet named '\(name)'; its sheets are " + available.map { "'\($0)'" }.joined(separator: ", ")
        case .noWorksheet:
            "is an .xlsx workbook without a worksheet"
        case .sharedStringsTooLarge:
            "has more than 4 GiB of shared strings"
        }
    }
}
