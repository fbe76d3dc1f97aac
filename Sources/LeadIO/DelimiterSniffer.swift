/// Picks a delimited input's delimiter from its header and first rows (`input.delimiter: auto`).
///
/// Excel writes `;` where the decimal separator is a comma (most of Europe), tab for "Unicode text" and
/// some CRMs `|`; the extension says none of that. The delimiter that splits the header into the most
/// columns that the following rows agree with wins.
enum DelimiterSniffer {
    /// The delimiters tried, in the order that wins a tie.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
    /// Rows after the header that are looked at.
    static let sampleRows = 20

    struct Choice: Equatable {
        var delimiter: UInt8
        /// Columns in the header with that delimiter.
        var headerColumns: Int
        /// Sampled rows after the header, and how many of them had the header's number of fields.
        var rows: Int
        var agreeingRows: Int
    }

    /// The best delimiter for the records from `start`, or `nil` when no candidate gives the header two columns.
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool, bareCR: Bool) -> Choice? {
        var best: Choice?
        for delimiter in candidates {
            var scanner = RecordBoundaryScanner(delimiter: delimiter, quote: UInt8(ascii: "\""), maxRecordBytes: 1 << 20)
            scanner.endsRecordsAtBareCR = bareCR
            let parser = DelimitedFieldParser(delimiter: delimiter)
            var counts: [Int] = []
            var pos = start
            while counts.count <= sampleRows, pos < bytes.count {
                guard case .record(let end, let next, _) = scanner.scan(bytes, from: pos, atEnd: atEnd) else { break }
                if end > pos {
                    var fields: [String] = []
                    counts.append((try? parser.fields(bytes, pos, end, into: &fields)) != nil ? fields.count : 0)
                }
                pos = next
            }
            guard let header = counts.first, header >= 2 else { continue }
            let rows = counts.dropFirst()
            let choice = Choice(delimiter: delimiter, headerColumns: header, rows: rows.count,
                                agreeingRows: rows.filter { $0 == header }.count)
            if let current = best {
                // Rows that agree with the header count first; then more columns.
                if (choice.agreeingRows, choice.headerColumns) > (current.agreeingRows, current.headerColumns) { best = choice }
            } else {
                best = choice
            }
        }
        return best
    }

    /// How a delimiter is written in messages and pipeline files.
    static func display(_ delimiter: UInt8) -> String {
        delimiter == UInt8(ascii: "\t") ? "\\t" : String(Character(Unicode.Scalar(delimiter)))
    }
}
