import Foundation
import LeadRecords

/// Ages of leads: months between dates, and the decay they imply.
public enum LeadAge {
    /// The average Gregorian month, in days (365.2425 / 12).
    static let daysPerMonth = 30.436875

    /// Seconds since 1970 of a date value at midnight UTC, or `nil` when it is not a recognized date;
    /// read by the shared ``LeadDate`` reader in the column's format.
    public static func parse(_ text: String, format: DateFormat = DateFormat()) -> Double? {
        LeadDate.parse(text, format: format)?.midnightSince1970
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
