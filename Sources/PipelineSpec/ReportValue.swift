import Foundation

/// A JSON value in the run report; keys keep their order so reports diff cleanly week to week.
public indirect enum ReportValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([ReportValue])
    case object([(String, ReportValue)])

    public static func == (lhs: ReportValue, rhs: ReportValue) -> Bool { lhs.json() == rhs.json() }

    /// Builds an object from counts, sorted by key.
    public static func counts(_ counts: [String: Int]) -> ReportValue {
        .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
    }

    /// Serializes as pretty-printed JSON.
    public func json(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let v): return v ? "true" : "false"
        case .integer(let v): return String(v)
        case .number(let v):
            guard v.isFinite else { return "null" }
            return v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", v) : String(v)
        case .string(let v): return Self.quote(v)
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.json(indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { pad + Self.quote($0.0) + ": " + $0.1.json(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(close)}"
        }
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Looks a key up in an object.
    public subscript(key: String) -> ReportValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }
}
