/// Finds the title lines a report-style export puts above its header (`Lead export 2026-11-30`, padded
/// with delimiters by Excel to the table's width), so that the header below them names the columns
/// instead of the title naming one column and the real header becoming a row.
///
/// Only the unambiguous shape is taken: up to ``maxLines`` lines whose first cell alone is filled, then a
/// row of at least three cells that are all filled and all different, and a row below it with as many
/// fields. A one-column header above named rows is not a title: its rows would not agree with it.
package enum TitleLines {
    package static let maxLines = 5

    struct Found: Equatable {
        /// Where the header starts in the bytes given.
        var headerStart: Int
        /// Lines from the start to the header (titles and blank lines).
        var lines: Int
        /// How many of those lines are titles, and the first one's text, for the note.
        var titles: Int
        var title: String
    }

    /// The header below title lines at `start`, trying each of `delimiters`; `nil` when there are none.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool, bareCR: Bool,
                     delimiters: [UInt8], maxRecordBytes: Int) -> Found? {
        for delimiter in delimiters {
            var scanner = RecordBoundaryScanner(delimiter: delimiter, quote: UInt8(ascii: "\""), maxRecordBytes: maxRecordBytes)
            scanner.endsRecordsAtBareCR = bareCR
            let parser = DelimitedFieldParser(delimiter: delimiter)
            // The first records, blank lines left out as they are before a header.
            var records: [(start: Int, linesBefore: Int, fields: [String])] = []
            var pos = start
            var line = 0
            while records.count < maxLines + 2, pos < bytes.count {
                guard case .record(let end, let next, let lines) = scanner.scan(bytes, from: pos, atEnd: atEnd) else { break }
                if end > pos {
                    var fields: [String] = []
                    guard (try? parser.fields(bytes, pos, end, into: &fields)) != nil else { break }
                    records.append((pos, line, fields))
                }
                line += lines
                pos = next
            }
            var titles = 0
            while titles < min(maxLines, records.count), isTitle(records[titles].fields) { titles += 1 }
            guard titles > 0, titles < records.count else { continue }
            let header = records[titles].fields
            guard header.allSatisfy({ !$0.isEmpty }), namesAHeader(header) else { continue }
            guard records[..<titles].allSatisfy({ $0.fields.count == 1 || $0.fields.count == header.count }) else { continue }
            if titles + 1 < records.count, records[titles + 1].fields.count != header.count { continue }
            return Found(headerStart: records[titles].start, lines: records[titles].linesBefore, titles: titles, title: records[0].fields[0])
        }
        return nil
    }

    /// Whether filled cells below title lines name a table's columns: at least three, all different (a CSV header's
    /// or a sheet's header row, so both inputs take titles by one rule).
    package static func namesAHeader<Name: Hashable>(_ names: [Name]) -> Bool {
        names.count >= 3 && Set(names).count == names.count
    }

    /// The first title as a note shows it.
    package static func shown(_ title: String) -> String {
        title.count > 60 ? String(title.prefix(60)) + "…" : title
    }

    private static func isTitle(_ fields: [String]) -> Bool {
        !fields[0].isEmpty && fields.dropFirst().allSatisfy(\.isEmpty)
    }
}

/// What comes above a delimited input's header.
public enum LinesAboveHeader: Sendable, Equatable {
    /// Title lines are found and skipped (``TitleLines``), and the run says so.
    case titlesDetected
    /// Exactly this many lines are skipped.
    case skipped(Int)
}
