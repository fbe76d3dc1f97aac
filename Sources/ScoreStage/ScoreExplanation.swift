import LeadRecords
import RowExpressions

/// The text of `<name>_reasons`: one entry per group that matched, `+30 size: firmo_employee_count 640`,
/// so whoever reads the row sees which values earned which points.
enum ScoreExplanation {
    /// The longest cell value an explanation quotes; a hostile 10 kB title must not flood the column.
    static let longestValue = 40

    /// What a matched rule says: its label, or each column it read with the row's value.
    static func describe(label: String?, columns: [(name: String, index: ColumnIndex)], values: [String]) -> String {
        if let label { return label }
        var text = ""
        for (i, column) in columns.enumerated() {
            if i > 0 { text += ", " }
            text += column.name
            text += " "
            text += display(column.index.position < values.count ? values[column.index.position] : "")
        }
        return text
    }

    /// A cell as an explanation shows it: a plain number bare, other text quoted, cut and without control characters.
    static func display(_ cell: String) -> String {
        if cell.isEmpty { return "(missing)" }
        if cell.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) {
            return cell
        }
        var shown = ""
        var count = 0
        for character in cell {
            if count == longestValue {
                shown += "…"
                break
            }
            shown.append(character.isNewline || character == "\t" || character == "\"" ? " " : character)
            count += 1
        }
        return "\"" + shown + "\""
    }

    /// `+30`, `-20`, `+0`.
    static func signed(_ points: Int) -> String { points < 0 ? String(points) : "+" + String(points) }
}
