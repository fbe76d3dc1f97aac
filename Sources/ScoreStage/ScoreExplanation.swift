import LeadRecords
import RowExpressions

/// The text of `<name>_reasons`: one entry per group that matched, `+30 size: firmo_employee_count 640`,
/// so whoever reads the row sees which values earned which points.
enum ScoreExplanation {
    /// The longest cell value an explanation quotes; a hostile 10 kB title must not flood the column.
    static let longestValue = 40

    /// Appends what a matched rule says: its label, or each column it read with the row's value.
    static func describe(label: String?, columns: [(name: String, index: ColumnIndex)], values: [String], into text: inout String) {
        if let label {
            text += label
            return
        }
        for i in columns.indices {
            if i > 0 { text += ", " }
            text += columns[i].name
            text += " "
            let position = columns[i].index.position
            appendDisplay(position < values.count ? values[position] : "", to: &text)
        }
    }

    /// What a matched rule says, as its own string (reject details).
    static func describe(label: String?, columns: [(name: String, index: ColumnIndex)], values: [String]) -> String {
        var text = ""
        describe(label: label, columns: columns, values: values, into: &text)
        return text
    }

    /// A cell as an explanation shows it: a plain number bare, other text quoted, cut and without control characters.
    static func display(_ cell: String) -> String {
        var text = ""
        appendDisplay(cell, to: &text)
        return text
    }

    static func appendDisplay(_ cell: String, to text: inout String) {
        if cell.isEmpty {
            text += "(missing)"
            return
        }
        var plainNumber = true
        var printableASCII = true
        for b in cell.utf8 {
            if !((b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")) { plainNumber = false }
            if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") { printableASCII = false }
        }
        if plainNumber {
            text += cell
            return
        }
        // The usual case, a short title or a company, goes in whole; the rest character by character.
        if printableASCII, cell.utf8.count <= longestValue {
            text += "\""
            text += cell
            text += "\""
            return
        }
        text += "\""
        var count = 0
        for character in cell {
            if count == longestValue {
                text += "…"
                break
            }
            text.append(character.isNewline || character == "\t" || character == "\"" || (character.asciiValue.map { $0 < 0x20 } ?? false)
                        ? " " : character)
            count += 1
        }
        text += "\""
    }

    /// The same display of a cell given as its UTF-8 bytes (a packed row's, read in place), appended to
    /// the value being written: plain numbers and short printable text (nearly every cell) are copied
    /// straight from the cell's bytes.
    static func appendDisplay(cell: UnsafeBufferPointer<UInt8>, to values: ColumnValues) {
        if let base = cell.baseAddress, !cell.isEmpty {
            // One table load per byte: the bits of every kind of byte the cell holds.
            let kinds = byteKinds
            var seen: UInt8 = 0
            for i in 0..<cell.count { seen |= kinds[Int(base[i])] }
            if seen & Self.notNumberByte == 0 {
                values.append(cell)
                return
            }
            if seen & Self.notPrintableByte == 0, cell.count <= longestValue {
                values.append(byte: UInt8(ascii: "\""))
                values.append(cell)
                values.append(byte: UInt8(ascii: "\""))
                return
            }
        }
        var text = ""
        appendDisplay(String(decoding: cell, as: UTF8.self), to: &text)
        values.append(text)
    }

    /// A byte that is not a digit, `.` or `-`: the cell is not shown as a plain number.
    static let notNumberByte: UInt8 = 1
    /// A control byte, a byte of non-ASCII text or `"`: the cell is not copied between quotes as it is.
    static let notPrintableByte: UInt8 = 2

    /// ``notNumberByte`` and ``notPrintableByte`` of each byte, in memory made once and only read after
    /// (hence `nonisolated(unsafe)`), so the per-cell loop reads it without an array's retain.
    nonisolated(unsafe) private static let byteKinds: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for b in 0..<256 {
            let byte = UInt8(b)
            var kind: UInt8 = 0
            if !((byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")) { kind |= notNumberByte }
            if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") { kind |= notPrintableByte }
            table[b] = kind
        }
        return UnsafePointer(table)
    }()

    /// ``signed(_:)`` appended to the value being written: the sign and digits stored straight into the
    /// value's room, where appending them one by one checks the room at every byte.
    static func appendSigned(_ points: Int, to values: ColumnValues) {
        // A sign and at most 20 digits.
        values.append(upTo: 21) { out in
            out[0] = points < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            var magnitude = points.magnitude
            var digits = 1
            var rest = magnitude / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var i = digits
            repeat {
                out[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                i -= 1
            } while magnitude > 0
            return digits + 1
        }
    }

    /// `+30`, `-20`, `+0`.
    static func signed(_ points: Int) -> String { points < 0 ? String(points) : "+" + String(points) }
}
