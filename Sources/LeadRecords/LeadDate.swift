/// The one date reader every stage shares: the shapes CRMs and spreadsheets export dates in, read to a
/// UTC instant.
///
/// ```
/// 2026-02-12, 2026-02-12T09:15:00Z, 2026-02-12 09:15:00+01:00   ISO 8601
/// 12.02.2026, 12.02.2026 09:15                                   day first (German, Swiss, Nordic exports)
/// 02/12/2026 9:15 AM or 12/02/2026                               the column's ``DateFormat/Order``
/// 46065, 46065.385                                               Excel serial days (1900 date system)
/// ```
/// A column may name its own pattern (`dd.MM.yyyy HH:mm`), which is then the only shape it accepts.
public struct LeadDate: Sendable, Equatable, Comparable {
    /// Days since 1970-01-01.
    public var days: Int
    /// Seconds since midnight UTC.
    public var seconds: Int

    public init(days: Int, seconds: Int = 0) {
        self.days = days
        self.seconds = seconds
    }

    /// Seconds since 1970 at the instant.
    public var secondsSince1970: Double { Double(days) * 86_400 + Double(seconds) }
    /// Seconds since 1970 at midnight UTC of the day.
    public var midnightSince1970: Double { Double(days) * 86_400 }

    public static func < (lhs: LeadDate, rhs: LeadDate) -> Bool { (lhs.days, lhs.seconds) < (rhs.days, rhs.seconds) }

    /// `2026-02-12T09:15:00Z`: sortable as text, for recency.
    public var iso: String {
        let (y, m, d) = Self.civil(fromDays: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(y).count < 4 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }

    /// Reads `text` in `format`; `nil` when it is no date (or not in the column's named pattern).
    public static func parse(_ text: String, format: DateFormat = .init()) -> LeadDate? {
        var scanner = DateTextScanner(text)
        if let pattern = format.pattern { return scanner.read(pattern: pattern) }
        return scanner.readAnyShape(order: format.order)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The year, month and day of a day count (H. Hinnant's civil_from_days).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1, year >= 1900, year <= 2200 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}

/// How a date column writes its dates: which part comes first in `01/02/2026`, or a pattern it names.
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    /// The order of the parts of a slash (or dash) date whose year comes last.
    public enum Order: String, Sendable, Equatable {
        /// `MM/dd/yyyy`, as US CRMs export.
        case mdy
        /// `dd/MM/yyyy`, as most of the world writes.
        case dmy
    }

    public var order: Order
    /// The column's own pattern (`columns: { last_activity_at: { column: …, format: "dd.MM.yyyy HH:mm" } }`).
    public var pattern: DatePattern?

    public init(order: Order = .mdy, pattern: DatePattern? = nil) {
        self.order = order
        self.pattern = pattern
    }

    public var description: String { pattern?.text ?? (order == .mdy ? "MM/dd/yyyy" : "dd/MM/yyyy") }
}

/// A date pattern a column names: `yyyy`, `yy`, `MM`, `M`, `dd`, `d`, `HH`, `H`, `mm`, `ss`, `a` (AM/PM),
/// and any other character as itself.
public struct DatePattern: Sendable, Equatable {
    enum Token: Equatable { case year4, year2, month, day, hour, minute, second, meridiem, literal(UInt8) }

    public let text: String
    let tokens: [Token]

    /// `nil` when the pattern has no year, month and day.
    public init?(_ text: String) {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            var run = 1
            while i + run < bytes.count && bytes[i + run] == bytes[i] { run += 1 }
            switch (bytes[i], run) {
            case (UInt8(ascii: "y"), 4): tokens.append(.year4)
            case (UInt8(ascii: "y"), 2): tokens.append(.year2)
            case (UInt8(ascii: "M"), 1...2): tokens.append(.month)
            case (UInt8(ascii: "d"), 1...2): tokens.append(.day)
            case (UInt8(ascii: "H"), 1...2), (UInt8(ascii: "h"), 1...2): tokens.append(.hour)
            case (UInt8(ascii: "m"), 1...2): tokens.append(.minute)
            case (UInt8(ascii: "s"), 1...2): tokens.append(.second)
            case (UInt8(ascii: "a"), 1): tokens.append(.meridiem)
            case (let b, _) where !(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) && !(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")):
                tokens.append(contentsOf: repeatElement(.literal(b), count: run))
            default: return nil
            }
            i += run
        }
        guard tokens.contains(where: { $0 == .year4 || $0 == .year2 }), tokens.contains(.month), tokens.contains(.day) else { return nil }
        self.text = text
        self.tokens = tokens
    }
}

/// Reads the parts of one date value; byte by byte, since a run reads a million of them.
struct DateTextScanner {
    private let bytes: [UInt8]
    private var i = 0

    init(_ text: String) {
        var b = Array(text.utf8)
        while let last = b.last, last == 0x20 || last == 0x09 { b.removeLast() }
        bytes = b
        while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
    }

    private var atEnd: Bool { i >= bytes.count }
    private func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    /// Up to `maxDigits` digits (at least `minDigits`) as a number.
    private mutating func number(min minDigits: Int = 1, max maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0, count = 0
        while count < maxDigits, let b = peek(), b >= 0x30, b <= 0x39 {
            value = value * 10 + Int(b - 0x30)
            count += 1
            i += 1
        }
        return count >= minDigits ? (value, count) : nil
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        i += 1
        return true
    }

    /// The shapes of the type's summary, in that order.
    mutating func readAnyShape(order: DateFormat.Order) -> LeadDate? {
        guard let first = number(max: 5) else { return nil }
        if first.digits == 4, let separator = peek(), separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") {
            // ISO 8601 (or yyyy/MM/dd).
            i += 1
            guard let month = number(max: 2), skip(separator), let day = number(max: 2),
                  LeadDate.isValid(year: first.value, month: month.value, day: day.value) else { return nil }
            return finish(LeadDate.days(year: first.value, month: month.value, day: day.value), allowT: true)
        }
        if first.digits <= 2, let separator = peek(), separator == UInt8(ascii: ".") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") {
            i += 1
            guard let second = number(max: 2), skip(separator), let yearPart = number(min: 2, max: 4), yearPart.digits != 3 else { return nil }
            let year = yearPart.digits == 2 ? 2000 + yearPart.value : yearPart.value
            // Dotted dates are day-first wherever they are written; slashes and dashes follow the column.
            let dayFirst = separator == UInt8(ascii: ".") || order == .dmy
            let (day, month) = dayFirst ? (first.value, second.value) : (second.value, first.value)
            guard LeadDate.isValid(year: year, month: month, day: day) else { return nil }
            return finish(LeadDate.days(year: year, month: month, day: day), allowT: false)
        }
        if first.digits == 5, (20_000...80_000).contains(first.value) {
            // Excel's serial days: day 1 is 1900-01-01 and day 60 the 29 February 1900 that never was, so
            // from March 1900 on a serial counts from 1899-12-30.
            var fraction = 0.0
            if skip(UInt8(ascii: ".")) {
                var scale = 0.1
                while let b = peek(), b >= 0x30, b <= 0x39 {
                    fraction += Double(b - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            guard atEnd else { return nil }
            return LeadDate(days: first.value + LeadDate.days(year: 1899, month: 12, day: 30), seconds: Int((fraction * 86_400).rounded()))
        }
        return nil
    }

    /// The optional time after a date (`T09:15`, ` 09:15:30.123`, ` 9:15 AM`) and zone (`Z`, `+01:00`, `UTC`).
    private mutating func finish(_ days: Int, allowT: Bool) -> LeadDate? {
        if atEnd { return LeadDate(days: days) }
        guard skip(UInt8(ascii: " ")) || (allowT && (skip(UInt8(ascii: "T")) || skip(UInt8(ascii: "t")))) else { return nil }
        while skip(UInt8(ascii: " ")) {}
        guard let hour = number(max: 2), skip(UInt8(ascii: ":")), let minute = number(min: 2, max: 2) else { return nil }
        var second = 0
        if skip(UInt8(ascii: ":")) {
            guard let s = number(min: 2, max: 2) else { return nil }
            second = s.value
            if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) { _ = number(max: 9) }
        }
        var h = hour.value
        while skip(UInt8(ascii: " ")) {}
        if let m = meridiem() {
            guard (1...12).contains(h) else { return nil }
            h = h % 12 + (m ? 12 : 0)
        }
        guard h < 24, minute.value < 60, second < 61 else { return nil }
        var total = days * 86_400 + h * 3600 + minute.value * 60 + min(second, 59)
        while skip(UInt8(ascii: " ")) {}
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
        } else if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            i += 1
            guard let zoneHours = number(min: 2, max: 2) else { return nil }
            _ = skip(UInt8(ascii: ":"))
            let zoneMinutes = number(min: 2, max: 2)?.value ?? 0
            let offset = (zoneHours.value * 3600 + zoneMinutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            total -= offset
        } else if bytes.count - i == 3, ["UTC", "GMT"].contains(String(decoding: bytes[i...], as: UTF8.self)) {
            i = bytes.count
        }
        guard atEnd else { return nil }
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        return LeadDate(days: days, seconds: total - days * 86_400)
    }

    /// `true` for PM, `false` for AM, `nil` when neither follows.
    private mutating func meridiem() -> Bool? {
        guard let a = peek(), let b = peek(1), b | 0x20 == UInt8(ascii: "m") else { return nil }
        switch a | 0x20 {
        case UInt8(ascii: "a"): i += 2; return false
        case UInt8(ascii: "p"): i += 2; return true
        default: return nil
        }
    }

    /// The value in exactly `pattern`.
    mutating func read(pattern: DatePattern) -> LeadDate? {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var pm: Bool?
        for token in pattern.tokens {
            switch token {
            case .year4: guard let v = number(min: 4, max: 4) else { return nil }; year = v.value
            case .year2: guard let v = number(min: 2, max: 2) else { return nil }; year = 2000 + v.value
            case .month: guard let v = number(max: 2) else { return nil }; month = v.value
            case .day: guard let v = number(max: 2) else { return nil }; day = v.value
            case .hour: guard let v = number(max: 2) else { return nil }; hour = v.value
            case .minute: guard let v = number(max: 2) else { return nil }; minute = v.value
            case .second: guard let v = number(max: 2) else { return nil }; second = v.value
            case .meridiem: guard let m = meridiem() else { return nil }; pm = m
            case .literal(let b): guard skip(b) else { return nil }
            }
        }
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard atEnd, LeadDate.isValid(year: year, month: month, day: day), hour < 24, minute < 60, second < 60 else { return nil }
        return LeadDate(days: LeadDate.days(year: year, month: month, day: day), seconds: hour * 3600 + minute * 60 + second)
    }
}

extension DateFormat {
    /// What a column's values say about how to read it.
    public struct Detection: Sendable, Equatable {
        public var format: DateFormat
        /// Values of each shape, by name (`ISO 8601`, `dd.MM.yyyy`, `MM/dd/yyyy`, `Excel serial`).
        public var shapes: [String: Int]
        /// Whether the slash dates had no part over 12, so ``format`` took `input.date_order`.
        public var orderUndecided: Bool
        /// Whether some slash dates are month-first and others day-first.
        public var orderConflicting: Bool
    }

    /// Decides a column's slash-date order from its values: a first part over 12 means day first, a
    /// second part over 12 month first; with neither, `fallback` (`input.date_order`).
    public static func detect(_ values: [String], fallback: Order) -> Detection {
        var dayFirstEvidence = 0, monthFirstEvidence = 0, slashDates = 0
        var shapes: [String: Int] = [:]
        for value in values {
            let bytes = Array(value.utf8.drop { $0 == 0x20 })
            guard let first = bytes.first, first >= 0x30, first <= 0x39 else { continue }
            let digitsRun = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            let separator = digitsRun < bytes.count ? bytes[digitsRun] : nil
            if digitsRun == 4, separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") {
                shapes["ISO 8601", default: 0] += 1
            } else if separator == UInt8(ascii: ".") && digitsRun <= 2 {
                shapes["dd.MM.yyyy", default: 0] += 1
            } else if digitsRun <= 2, separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") {
                let parts = value.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == " " }).prefix(2).compactMap { Int($0) }
                guard parts.count == 2 else { continue }
                slashDates += 1
                if parts[0] > 12 { dayFirstEvidence += 1 }
                if parts[1] > 12 { monthFirstEvidence += 1 }
            } else if digitsRun == 5 {
                shapes["Excel serial", default: 0] += 1
            }
        }
        let order: Order = dayFirstEvidence > monthFirstEvidence ? .dmy : monthFirstEvidence > dayFirstEvidence ? .mdy : fallback
        if slashDates > 0 { shapes[order == .mdy ? "MM/dd/yyyy" : "dd/MM/yyyy"] = slashDates }
        return Detection(format: DateFormat(order: order), shapes: shapes,
                         orderUndecided: slashDates > 0 && dayFirstEvidence == 0 && monthFirstEvidence == 0,
                         orderConflicting: dayFirstEvidence > 0 && monthFirstEvidence > 0)
    }
}
