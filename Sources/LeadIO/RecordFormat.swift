/// A file format LeadHygiene reads and writes.
public enum RecordFormat: Sendable, Equatable, CustomStringConvertible {
    /// Delimited text per RFC 4180; the delimiter is `,` for CSV and a tab for TSV.
    case delimited(delimiter: UInt8)
    /// One JSON object per line.
    case jsonl

    public static let csv = RecordFormat.delimited(delimiter: UInt8(ascii: ","))
    public static let tsv = RecordFormat.delimited(delimiter: UInt8(ascii: "\t"))

    /// The format named in a pipeline file (`csv`, `tsv`, `jsonl`), or guessed from the path's extension for `auto`.
    public static func resolve(name: String, path: String?, delimiter: UInt8?, fallback: RecordFormat = .csv) -> RecordFormat {
        switch name {
        case "csv": return .delimited(delimiter: delimiter ?? UInt8(ascii: ","))
        case "tsv": return .delimited(delimiter: delimiter ?? UInt8(ascii: "\t"))
        case "jsonl": return .jsonl
        default:
            let lower = (path ?? "").lowercased()
            if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
            if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .delimited(delimiter: delimiter ?? UInt8(ascii: "\t")) }
            if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return .delimited(delimiter: delimiter ?? UInt8(ascii: ",")) }
            if let delimiter, case .delimited = fallback { return .delimited(delimiter: delimiter) }
            return fallback
        }
    }

    public var description: String {
        switch self {
        case .jsonl: "jsonl"
        case .delimited(let d) where d == UInt8(ascii: ","): "csv"
        case .delimited(let d) where d == UInt8(ascii: "\t"): "tsv"
        case .delimited(let d): "csv (delimiter '\(Character(Unicode.Scalar(d))))')"
        }
    }
}
