import LeadRecords

/// Writes records as bytes in an output format. Pure, so workers serialize their own chunks and
/// the writer thread only copies bytes.
public struct RecordSerializer: Sendable {
    public let format: RecordFormat
    public let columns: [String]
    private let quotedKeys: [[UInt8]]

    public init(format: RecordFormat, columns: [String]) {
        self.format = format
        self.columns = columns
        quotedKeys = columns.map { Array(Self.jsonString($0).utf8) }
    }

    /// The header line (empty for JSONL, which names keys on every line).
    public func header() -> [UInt8] {
        guard case .delimited = format else { return [] }
        var out: [UInt8] = []
        append(columns, to: &out)
        return out
    }

    /// Appends one row of values (one per column; missing trailing values are empty).
    public func append(_ values: [String], to out: inout [UInt8]) {
        switch format {
        case .delimited(let delimiter):
            for i in 0..<columns.count {
                if i > 0 { out.append(delimiter) }
                if i < values.count { appendDelimitedField(values[i], delimiter: delimiter, to: &out) }
            }
            out.append(UInt8(ascii: "\n"))
        case .jsonl:
            out.append(UInt8(ascii: "{"))
            for i in 0..<columns.count {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: quotedKeys[i])
                out.append(UInt8(ascii: ":"))
                appendJSONString(i < values.count ? values[i] : "", to: &out)
            }
            out.append(contentsOf: "}\n".utf8)
        }
    }

    private func appendDelimitedField(_ value: String, delimiter: UInt8, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            var needsQuotes = false
            for b in bytes where b == delimiter || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                needsQuotes = true
                break
            }
            guard needsQuotes else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            for b in bytes {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private func appendJSONString(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
                case UInt8(ascii: "\n"): out.append(contentsOf: [92, 110])
                case UInt8(ascii: "\r"): out.append(contentsOf: [92, 114])
                case UInt8(ascii: "\t"): out.append(contentsOf: [92, 116])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    static func jsonString(_ s: String) -> String {
        var out: [UInt8] = []
        RecordSerializer(format: .csv, columns: []).appendJSONString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
