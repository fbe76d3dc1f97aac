/// Recognises field values that a spreadsheet opening a CSV file would evaluate as a formula
/// ("CSV injection"): a purchased list can carry `=HYPERLINK(…)` or `@SUM(…)` in a name column, and
/// the sales team opens the cleaned file in Excel.
///
/// Following OWASP's guidance, a value is a formula when it starts with `=`, `@`, a tab or a carriage
/// return, or with `+` or `-` followed by anything other than a number or a phone number
/// (`+1 415 555 0134`, `-12.5` and a lone `-` stay as they are, so E.164 phones are not mangled).
package enum FormulaGuard {
    /// Whether a spreadsheet would evaluate `bytes` (a field's UTF-8) as a formula.
    package static func isFormula(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !bytes.dropFirst().allSatisfy(isNumberOrPhoneByte)
        default:
            return false
        }
    }

    /// Whether `value` would be evaluated as a formula.
    package static func isFormula(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { isFormula($0) }
    }

    private static func isNumberOrPhoneByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == 0x20 || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "/")
    }
}
