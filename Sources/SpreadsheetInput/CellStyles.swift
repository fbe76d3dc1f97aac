/// How a number cell reads, decided by its style's number format (`xl/styles.xml`).
enum NumberDisplay: Equatable, Sendable {
    /// The number itself.
    case number
    /// An integer padded with zeros to this many digits (format `00000`, kept for postal codes).
    case zeroPadded(Int)
    /// A date, or a date and time when the value has a fraction of a day.
    case date
    /// A time of day (`h:mm`); with a whole day count as well, a date and time.
    case time
}

/// The workbook's cell formats (`cellXfs`), by the index cells give in `s="…"`.
struct CellStyles {
    private(set) var displays: [NumberDisplay] = []

    @inline(__always)
    func display(ofStyle index: Int) -> NumberDisplay {
        index >= 0 && index < displays.count ? displays[index] : .number
    }

    /// Reads `numFmts` and `cellXfs`; the part is small (a few hundred formats at most).
    static func read(_ parser: XMLPullParser) throws -> CellStyles {
        let formatName = parser.intern("numFmt")
        let formatsName = parser.intern("cellXfs")
        let xfName = parser.intern("xf")
        var customFormats: [Int: String] = [:]
        var formatIDs: [Int] = []
        var inCellFormats = false
        while try parser.read() {
            switch parser.kind {
            case .element:
                let name = parser.localName
                if name == formatName {
                    let attributes = parser.attributes()
                    if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                        customFormats[id] = code
                    }
                } else if name == formatsName {
                    inCellFormats = !parser.isEmptyElement
                } else if name == xfName && inCellFormats {
                    formatIDs.append(parser.attributes()["numFmtId"].flatMap { Int($0) } ?? 0)
                }
            case .endElement:
                if parser.localName == formatsName { inCellFormats = false }
            case .text, .other:
                break
            }
        }
        var styles = CellStyles()
        styles.displays = formatIDs.map { id in
            if let code = customFormats[id] { return display(ofFormatCode: code) }
            return builtInDisplay(id)
        }
        return styles
    }

    /// The built-in formats (ECMA-376 §18.8.30): 14–17 and 22 are dates, 18–21 and 45–47 times;
    /// 27–36 and 50–58 are the East Asian locales' date formats.
    static func builtInDisplay(_ id: Int) -> NumberDisplay {
        switch id {
        case 14...17, 22, 27...36, 50...58: .date
        case 18...21, 45...47: .time
        default: .number
        }
    }

    /// Whether a custom format code shows a date, a time or a number.
    ///
    /// Only the first section counts (the one for positive numbers). Quoted text, `\`-escaped and
    /// `_`/`*` padding characters and `[…]` parts (colours, locales, conditions) are skipped, except
    /// elapsed time (`[h]`, `[mm]`, `[ss]`). Then `y` or `d` means a date; `h` or `s` a time; `m` alone
    /// (month) a date; a format of zeros only pads integers (`00000`).
    static func display(ofFormatCode code: String) -> NumberDisplay {
        var hasDate = false
        var hasTime = false
        var hasMonthOrMinute = false
        var zeros = 0
        var other = false
        var characters = Array(code.unicodeScalars)
        // AM/PM and A/P mark a time and would otherwise read as a month ("m") or nothing.
        let upper = String(String.UnicodeScalarView(characters)).uppercased()
        if upper.contains("AM/PM") || upper.contains("A/P") { hasTime = true }
        var i = 0
        func skip(to close: Unicode.Scalar) {
            while i < characters.count && characters[i] != close { i += 1 }
        }
        while i < characters.count {
            let c = characters[i]
            switch c {
            case ";":
                characters.removeSubrange(i...)
                continue
            case "\"":
                i += 1
                skip(to: "\"")
                other = true
            case "\\", "_", "*":
                i += 1
                other = true
            case "[":
                let start = i
                skip(to: "]")
                let inside = String(String.UnicodeScalarView(characters[min(start + 1, characters.count)..<min(i, characters.count)]))
                    .lowercased()
                if !inside.isEmpty && inside.allSatisfy({ "hms".contains($0) }) { hasTime = true }
            case "y", "Y", "d", "D":
                hasDate = true
            case "h", "H", "s", "S":
                hasTime = true
            case "m", "M":
                hasMonthOrMinute = true
            case "0":
                zeros += 1
            default:
                other = true
            }
            i += 1
        }
        if hasDate || (hasMonthOrMinute && !hasTime) { return .date }
        if hasTime { return .time }
        if zeros > 1 && !other { return .zeroPadded(zeros) }
        return .number
    }
}
