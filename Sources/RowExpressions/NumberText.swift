/// Numbers as CRM exports and enrichment vendors write them, read from a cell's text.
///
/// | text | value | why |
/// | --- | --- | --- |
/// | `1,200`, `1 200`, `1_200` | 1200 | thousands separators (a comma is never a decimal point here) |
/// | `200-500`, `200–500`, `200 to 500` | 350 | a range reads as its midpoint, the least surprising single figure |
/// | `10k+`, `10,000+` | 10000 | "+" means "at least": the stated bound, which is all the text knows |
/// | `1.5M`, `$2bn`, `€40k` | 1.5e6, 2e9, 4e4 | suffixes k, m/mm, b/bn; a leading currency sign is dropped |
/// | `12%` | 12 | the percent sign is dropped |
/// | `<50`, `>1000`, `unknown`, `n/a` | none | an open bound or a word is not a number: the value counts as missing |
public enum NumberText {
    /// The number `text` states, or `nil` when it states none.
    public static func value(_ text: String) -> Double? {
        text.withBytes { value(bytes: $0) }
    }

    static func value(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0, end = bytes.count
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        while end > i, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard i < end else { return nil }
        guard let first = quantity(bytes, &i, end) else { return nil }
        skipSpaces(bytes, &i, end)
        if i == end { return first }
        // A range: `-`, an en dash (E2 80 93) or the word `to`, then a second quantity.
        if bytes[i] == UInt8(ascii: "-") {
            i += 1
        } else if i + 2 < end, bytes[i] == 0xE2, bytes[i + 1] == 0x80, bytes[i + 2] == 0x93 {
            i += 3
        } else if i + 1 < end, bytes[i] | 0x20 == UInt8(ascii: "t"), bytes[i + 1] | 0x20 == UInt8(ascii: "o") {
            i += 2
        } else {
            return nil
        }
        skipSpaces(bytes, &i, end)
        guard let second = quantity(bytes, &i, end) else { return nil }
        skipSpaces(bytes, &i, end)
        return i == end ? (first + second) / 2 : nil
    }

    /// One amount: optional sign and currency, digits with separators, a decimal part, a k/m/b suffix, `+` or `%`.
    private static func quantity(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Double? {
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-"), i + 1 < end, isDigit(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "$") {
            negative = true
            i += 1
        }
        skipCurrency(bytes, &i, end)
        var whole: Double = 0
        var digits = 0
        var lastWasDigit = false
        while i < end {
            let b = bytes[i]
            if isDigit(b) {
                whole = whole * 10 + Double(b - 0x30)
                digits += 1
                lastWasDigit = true
            } else if lastWasDigit, b == UInt8(ascii: ",") || b == UInt8(ascii: "_") || b == 0x20,
                      i + 1 < end, isDigit(bytes[i + 1]) {
                // A separator between digits: `1,200`, `1 200`, `1_200`.
                lastWasDigit = false
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var value = whole
        if i + 1 < end, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) {
            i += 1
            var scale = 0.1
            while i < end, isDigit(bytes[i]) {
                value += Double(bytes[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        if i < end {
            switch bytes[i] | 0x20 {
            case UInt8(ascii: "k"):
                value *= 1_000
                i += 1
            case UInt8(ascii: "m"):
                value *= 1_000_000
                i += 1
                if i < end, bytes[i] | 0x20 == UInt8(ascii: "m") { i += 1 }
            case UInt8(ascii: "b"):
                value *= 1_000_000_000
                i += 1
                if i < end, bytes[i] | 0x20 == UInt8(ascii: "n") { i += 1 }
            default:
                break
            }
            // A suffix must end the word: `12 kg` or `5 bananas` are not amounts.
            if i < end, isLetter(bytes[i]) { return nil }
        }
        if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "%") { i += 1 }
        return negative ? -value : value
    }

    private static func skipCurrency(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        if i < end, bytes[i] == UInt8(ascii: "$") {
            i += 1
        } else if i + 1 < end, bytes[i] == 0xC2, bytes[i + 1] == 0xA3 { // £
            i += 2
        } else if i + 2 < end, bytes[i] == 0xE2, bytes[i + 1] == 0x82, bytes[i + 2] == 0xAC { // €
            i += 3
        }
    }

    private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end, bytes[i] == 0x20 { i += 1 }
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}
