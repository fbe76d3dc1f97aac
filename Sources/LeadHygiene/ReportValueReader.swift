import PipelineSpec

/// Reads JSON text back into a ``ReportValue``, keeping the order of every object's keys.
///
/// The partitions of a distributed run hand their report.json on as text; merging them must give the bytes a
/// one-machine run writes, and Foundation's JSON objects forget their keys' order. A number without a fraction
/// or exponent is an integer, as ``ReportValue/json(indent:)`` writes integers.
///
/// ```swift
/// let value = try ReportValueReader.read(#"{"rows_in": 3, "ratio": 0.5}"#)
/// value["rows_in"]  // .integer(3)
/// ```
public struct ReportValueReader {
    /// Why a text is not JSON, with the byte offset where reading stopped.
    public struct SyntaxError: Error, CustomStringConvertible {
        public var offset: Int
        public var expected: String
        public var description: String { "not JSON at byte \(offset): expected \(expected)" }
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The value `text` holds; throws ``SyntaxError`` when it is not one JSON value.
    public static func read(_ text: String) throws -> ReportValue {
        var reader = ReportValueReader(Array(text.utf8))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw reader.error("the end of the text") }
        return value
    }

    private func error(_ expected: String) -> SyntaxError { SyntaxError(offset: position, expected: expected) }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func value() throws -> ReportValue {
        skipSpace()
        guard position < bytes.count else { throw error("a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        default: return try number()
        }
    }

    private mutating func word(_ text: String) throws {
        let expected = Array(text.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected
        else { throw error(text) }
        position += expected.count
    }

    private mutating func object() throws -> ReportValue {
        position += 1
        var pairs: [(String, ReportValue)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("a key") }
            let key = try string()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("':'") }
            position += 1
            pairs.append((key, try value()))
            skipSpace()
            guard position < bytes.count else { throw error("',' or '}'") }
            position += 1
            if bytes[position - 1] == UInt8(ascii: "}") { return .object(pairs) }
            guard bytes[position - 1] == UInt8(ascii: ",") else { position -= 1; throw error("',' or '}'") }
        }
    }

    private mutating func array() throws -> ReportValue {
        position += 1
        var items: [ReportValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try value())
            skipSpace()
            guard position < bytes.count else { throw error("',' or ']'") }
            position += 1
            if bytes[position - 1] == UInt8(ascii: "]") { return .array(items) }
            guard bytes[position - 1] == UInt8(ascii: ",") else { position -= 1; throw error("',' or ']'") }
        }
    }

    private mutating func number() throws -> ReportValue {
        let start = position
        var integral = true
        while position < bytes.count, let byte = Optional(bytes[position]),
              (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(byte) {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { integral = false }
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let integer = Int(text) { return .integer(integer) }
        guard !text.isEmpty, let number = Double(text) else {
            position = start
            throw error("a value")
        }
        return .number(number)
    }

    private mutating func string() throws -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw error("an escape") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"): out += Array(String(try unicodeEscape()).utf8)
                default: out.append(escaped)  // \" \\ \/
                }
            default:
                out.append(byte)
            }
        }
        throw error("'\"'")
    }

    /// After `\u`: one scalar, from a surrogate pair when the first half is one (RFC 8259 §7).
    private mutating func unicodeEscape() throws -> Character {
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first), bytes.count - position >= 6,
           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
            position += 2
            let second = try hex4()
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Character(Unicode.Scalar(combined) ?? "\u{FFFD}")
        }
        return Character(Unicode.Scalar(first) ?? "\u{FFFD}")
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - position >= 4,
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw error("four hex digits") }
        position += 4
        return value
    }
}
