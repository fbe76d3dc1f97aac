/// Parses one JSONL line: a flat JSON object whose values become field strings.
///
/// Strings are unescaped; numbers, `true`/`false` keep their JSON spelling; `null` is an empty field;
/// nested objects and arrays are kept as their JSON text. Keys keep their order, which
/// `JSONSerialization` would lose.
struct JSONLineParser {
    struct Failure: Error { var message: String }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i: Int
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
        self.bytes = bytes
        self.i = start
        self.end = end
    }

    mutating func parseObject() throws(Failure) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        try walkObject(keepingKeys: true, keepingValues: true) { key, _, _, value in pairs.append((key: key, value: value)) }
        return pairs
    }

    /// Parses the line, handing `visit` each value with where its key's bytes are (between its quotes,
    /// escapes as written) and the key's ordinal in the object; keys are not decoded, so a reader that
    /// finds its columns by those bytes builds one string per value and none per key.
    mutating func parseValues(_ visit: (_ keySpan: Range<Int>, _ ordinal: Int, _ value: String) -> Void) throws(Failure) {
        try walkObject(keepingKeys: false, keepingValues: true) { _, span, ordinal, value in visit(span, ordinal, value) }
    }

    /// Checks the line exactly as ``parseObject()`` does, so a line it would reject yields no key,
    /// and appends where each key's bytes are (between its quotes, escapes as written).
    ///
    /// Nothing is built: learning the columns of a whole file compares these bytes with the previous
    /// line's keys and decodes one with ``key(_:at:)`` only when it differs.
    mutating func keySpans(into spans: inout [Range<Int>]) throws(Failure) {
        try walkObject(keepingKeys: false, keepingValues: false) { _, span, _, _ in spans.append(span) }
    }

    /// The text of the key whose bytes are `span`, as found by ``keySpans(into:)``.
    static func key(_ bytes: UnsafeBufferPointer<UInt8>, at span: Range<Int>) -> String {
        var parser = JSONLineParser(bytes, start: span.lowerBound - 1, end: span.upperBound + 1)
        return (try? parser.parseString(keeping: true)) ?? ""
    }

    /// Parses the whole line as one object, handing each key, the span of its bytes, its ordinal and its
    /// value to `visit`; keys and values are `""` unless kept (they are checked all the same).
    @inline(__always)
    private mutating func walkObject(keepingKeys: Bool, keepingValues: Bool,
                                     _ visit: (String, Range<Int>, Int, String) -> Void) throws(Failure) {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
            return try finish()
        }
        var ordinal = 0
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw Failure(message: "expected a key at byte \(i)") }
            let keyStart = i + 1
            let key = try parseString(keeping: keepingKeys)
            let keySpan = keyStart..<(i - 1)
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            visit(key, keySpan, ordinal, try parseValue(keeping: keepingValues))
            ordinal += 1
            skipSpace()
            guard let c = peek() else { throw Failure(message: "unexpected end of line") }
            i += 1
            if c == UInt8(ascii: "}") { return try finish() }
            guard c == UInt8(ascii: ",") else { throw Failure(message: "expected ',' or '}' at byte \(i - 1)") }
        }
    }

    private mutating func finish() throws(Failure) {
        skipSpace()
        guard i == end else { throw Failure(message: "text after the object") }
    }

    /// The value's field text; `""` for strings and nested values when not `keeping` (they are still checked).
    private mutating func parseValue(keeping: Bool) throws(Failure) -> String {
        guard let c = peek() else { throw Failure(message: "missing value") }
        switch c {
        case UInt8(ascii: "\""):
            return try parseString(keeping: keeping)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = i
            try skipNested()
            guard keeping else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        default:
            let start = i
            while i < end, !",}] \t\r".utf8.contains(bytes[i]) { i += 1 }
            let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if token == "null" { return "" }
            if token == "true" || token == "false" || Double(token) != nil { return token }
            throw Failure(message: "invalid value '\(token)'")
        }
    }

    private mutating func skipNested() throws(Failure) {
        var depth = 0
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                _ = try parseString(keeping: false)
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    return
                }
            }
            i += 1
        }
        throw Failure(message: "unclosed nested value")
    }

    /// Reads a string from its opening quote; when not `keeping`, checks it the same way but returns `""`.
    private mutating func parseString(keeping: Bool) throws(Failure) -> String {
        i += 1
        // Nearly every string has no escape: its text is the bytes up to the closing quote.
        let stop = nextQuoteBackslashOrControl(from: i)
        if stop < end && bytes[stop] == UInt8(ascii: "\"") {
            let start = i
            i = stop + 1
            return keeping ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) : ""
        }
        var out: [UInt8] = []
        var segmentStart = i
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                guard keeping else {
                    i += 1
                    return ""
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]))
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw Failure(message: "control character in string") }
            if c == UInt8(ascii: "\\") {
                if keeping { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i])) }
                guard i + 1 < end else { break }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    if keeping { out.append(e) }
                case UInt8(ascii: "b"): if keeping { out.append(8) }
                case UInt8(ascii: "f"): if keeping { out.append(12) }
                case UInt8(ascii: "n"): if keeping { out.append(10) }
                case UInt8(ascii: "r"): if keeping { out.append(13) }
                case UInt8(ascii: "t"): if keeping { out.append(9) }
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < end, bytes[i] == UInt8(ascii: "\\"),
                       bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure(message: "bad surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure(message: "lone surrogate") }
                    if keeping { out.append(contentsOf: Array(String(u).utf8)) }
                default:
                    throw Failure(message: "bad escape")
                }
                segmentStart = i
                continue
            }
            i += 1
        }
        throw Failure(message: "unterminated string")
    }

    /// The index of the first `"`, `\\` or control character at or after `from`, or `end`; eight bytes at a time.
    @inline(__always)
    private func nextQuoteBackslashOrControl(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return end }
        let raw = UnsafeRawPointer(base)
        let quotes = ByteWord.repeating(UInt8(ascii: "\"")), backslashes = ByteWord.repeating(UInt8(ascii: "\\"))
        var k = start
        while k + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let hits = ByteWord.matches(word, quotes) | ByteWord.matches(word, backslashes) | ByteWord.below0x20(word)
            if hits != 0 { break }
            k += 8
        }
        while k < end {
            let b = bytes[k]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { return k }
            k += 1
        }
        return end
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= end else { throw Failure(message: "short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw Failure(message: "bad \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func skipSpace() {
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    private func peek() -> UInt8? { i < end ? bytes[i] : nil }

    private mutating func expect(_ c: UInt8) throws(Failure) {
        guard peek() == c else { throw Failure(message: "expected '\(Character(Unicode.Scalar(c)))' at byte \(i)") }
        i += 1
    }
}
