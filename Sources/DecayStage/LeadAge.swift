import Foundation

/// Reads the date fields leads carry (`2025-03-14`, `2025-03-14T10:00:00Z`, `2025-03-14 10:00`,
/// `3/14/2025`) and measures months between dates.
public enum LeadAge {
    /// The average Gregorian month, in days (365.2425 / 12).
    static let daysPerMonth = 30.436875

    /// Seconds since 1970 of a date value at midnight UTC, or `nil` when it is not a recognized date.
    public static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8.prefix(10))
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        var year: Int?, month: Int?, day: Int?
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") {
            year = number(0..<4); month = number(5..<7); day = number(8..<10)
        } else {
            // US style m/d/yyyy, as CRMs export it.
            let parts = text.split(separator: " ").first?.split(separator: "/") ?? []
            if parts.count == 3, parts[2].count == 4 { month = Int(parts[0]); day = Int(parts[1]); year = Int(parts[2]) }
        }
        guard let year, let month, let day, (1...12).contains(month), (1...31).contains(day), year >= 1900 else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whole and fractional months from `then` to `now` (0 when `then` is in the future).
    public static func months(from then: Double, to now: Double) -> Double {
        max(0, (now - then) / 86_400 / daysPerMonth)
    }

    /// The probability a contact has decayed after `months` at `monthlyRate`: 1 − (1 − rate)^months.
    public static func decay(months: Double, monthlyRate: Double) -> Double {
        1 - pow(1 - monthlyRate, months)
    }
}
