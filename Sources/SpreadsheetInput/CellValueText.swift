/// The text a number cell becomes: the shortest decimal that reads back as the same number, never
/// an exponent (an ID or phone number stays `4915112345678`, not `4.915112345678E12` or `…0`);
/// dates as ISO 8601.
enum CellValueText {
    /// Appends the number written as `raw` (the cell's `<v>` text) as it should read.
    /// Text that is not a number is appended unchanged.
    static func appendNumber(_ raw: UnsafeBufferPointer<UInt8>, display: NumberDisplay, uses1904: Bool,
                             to output: inout [UInt8]) {
        if display == .number, isPlainShortest(raw) {
            output.append(contentsOf: raw)
            return
        }
        guard let value = Double(String(decoding: raw, as: UTF8.self)), value.isFinite else {
            output.append(contentsOf: raw)
            return
        }
        switch display {
        case .number:
            output.append(contentsOf: plainDecimal(value).utf8)
        case .zeroPadded(let width):
            var text = plainDecimal(value)
            if value >= 0, value == value.rounded(), text.utf8.count < width {
                text = String(repeating: "0", count: width - text.utf8.count) + text
            }
            output.append(contentsOf: text.utf8)
        case .date, .time:
            output.append(contentsOf: (dateText(serial: value, display: display, uses1904: uses1904) ?? plainDecimal(value)).utf8)
        }
    }

    /// Whether the text is already the shortest plain decimal: `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?` with
    /// at most 15 significant digits, which every double reads back as exactly. Nearly all cells are.
    @inline(__always)
    static func isPlainShortest(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = raw.count
        if i < n && raw[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { return false }
        let integerStart = i
        while i < n && raw[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        let integerDigits = i - integerStart
        guard integerDigits > 0, integerDigits == 1 || raw[integerStart] != UInt8(ascii: "0") else { return false }
        var digits = integerDigits == 1 && raw[integerStart] == UInt8(ascii: "0") ? 0 : integerDigits
        if i < n {
            guard raw[i] == UInt8(ascii: "."), i + 1 < n else { return false }
            i += 1
            let fractionStart = i
            while i < n && raw[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i == n, i > fractionStart, raw[n - 1] != UInt8(ascii: "0") else { return false }
            if digits == 0 {
                var first = fractionStart
                while first < n && raw[first] == UInt8(ascii: "0") { first += 1 }
                digits = n - first
            } else {
                digits += n - fractionStart
            }
        }
        // "-0" is zero.
        if raw[0] == UInt8(ascii: "-") && digits == 0 { return false }
        return digits <= 15
    }

    /// The shortest decimal that reads back as `value`, written without an exponent.
    static func plainDecimal(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        // Swift's description is the shortest round-trip digit string, sometimes with an exponent.
        var text = "\(value)"
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text.removeFirst()
        }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var digits = Array((integer + fraction).utf8)
        var point = integer.utf8.count + exponent
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        var result = negative ? "-" : ""
        let digitText = String(decoding: digits, as: UTF8.self)
        if point <= 0 {
            result += "0." + String(repeating: "0", count: -point) + digitText
        } else if point >= digits.count {
            result += digitText + String(repeating: "0", count: point - digits.count)
        } else {
            let split = digitText.index(digitText.startIndex, offsetBy: point)
            result += digitText[..<split] + "." + digitText[split...]
        }
        return result
    }

    /// A serial date as ISO 8601: `2026-02-12` for a whole day, `2026-02-12T09:15:00` with a time,
    /// `09:15:00` for a time of day alone. `nil` for a serial no calendar date matches (negative).
    ///
    /// The 1900 system counts 1900-01-01 as day 1 and, like Lotus 1-2-3, has a 29 February 1900 (day 60),
    /// so days from 61 on are one more than the real count since 1899-12-31; the 1904 system counts
    /// from 1904-01-01 as day 0. Times are rounded to the second.
    static func dateText(serial: Double, display: NumberDisplay, uses1904: Bool) -> String? {
        guard serial >= 0, serial < 2_958_466 else { return nil } // after 9999-12-31 Excel shows ####
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time = seconds == 0 ? "" : twoDigits(seconds / 3600) + ":" + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
        if display == .time && days == 0 { return time.isEmpty ? "00:00:00" : time }
        let date: String
        if uses1904 {
            date = civilDate(daysSince1970: days + daysFrom1970To1904)
        } else if days == 60 {
            date = "1900-02-29"
        } else {
            date = civilDate(daysSince1970: days - (days > 60 ? 1 : 0) + daysFrom1970To18991231)
        }
        return time.isEmpty ? date : date + "T" + time
    }

    private static let daysFrom1970To1904 = -24_107
    private static let daysFrom1970To18991231 = -25_568

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + twoDigits(month) + "-" + twoDigits(day)
    }
}
