import Foundation

/// A read-only view of a value decoded by `JSONSerialization`, forgiving of missing keys, so a report
/// from an older schema or without a stage still renders.
///
/// ```swift
/// let node = JSONNode(report)
/// node["accounting"]["holds"].bool  // true
/// ```
struct JSONNode {
    let value: Any?

    init(_ value: Any?) {
        self.value = value is NSNull ? nil : value
    }

    subscript(key: String) -> JSONNode { JSONNode((value as? [String: Any])?[key]) }

    var exists: Bool { value != nil }
    var string: String? { value as? String }
    /// JSON's `true`/`false`. Foundation decodes numbers and booleans alike as NSNumber (and `0 as? Bool`
    /// succeeds), so a boolean is told apart by its type code.
    var bool: Bool? { isBoolean ? (value as? NSNumber)?.boolValue : nil }
    private var isBoolean: Bool { (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false }
    var double: Double? { (value as? NSNumber)?.doubleValue }

    /// A whole number; `nil` for fractions, strings and booleans.
    var int: Int? {
        guard let number = value as? NSNumber, !isBoolean else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 9e15 else { return nil }
        return Int(double)
    }

    var array: [JSONNode] { (value as? [Any])?.map(JSONNode.init) ?? [] }
    var isObject: Bool { value is [String: Any] }

    /// An object's entries, by key.
    var entries: [(key: String, value: JSONNode)] {
        ((value as? [String: Any]) ?? [:]).keys.sorted().map { ($0, self[$0]) }
    }

    /// An object of counts (`{code: count}`), largest first, then by key; entries that are not counts are left out.
    var counts: [(key: String, count: Int)] {
        entries.compactMap { entry in entry.value.int.map { (entry.key, $0) } }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
    }

    /// A scalar as a person reads it; objects and lists as `…`.
    var text: String {
        switch value {
        case nil: return "—"
        case let string as String: return string
        case is NSNumber: return bool.map { $0 ? "yes" : "no" } ?? int.map(formatCount) ?? formatDecimal(double ?? 0)
        default: return "…"
        }
    }
}

/// `1234567` → `1,234,567`, the same on every machine (no locale).
func formatCount(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}

/// A fraction with up to three decimals, without trailing zeros.
func formatDecimal(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}

/// `0.1234` → `12.3 %`.
func formatPercent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "—" }
    return String(format: "%.1f %%", Double(part) * 100 / Double(whole))
}
