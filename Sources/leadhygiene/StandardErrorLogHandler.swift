import Foundation
import Logging
import PipelineSpec
import Synchronization

/// Writes swift-log lines to standard error, one `write` per line, as text or as JSON.
///
/// JSON lines have the stable keys `ts`, `level`, `run_id`, `stage`, `phase`, `message` first, then
/// the event's other fields in name order, so a log shipper can parse them and a person can diff them.
/// Text lines put the same things in the same order: `2026-12-05T02:04:21.123Z info run_id=… stage=decay
/// phase=finished stage finished rows_in=1000 …`.
struct StandardErrorLogHandler: LogHandler {
    enum Format: String, CaseIterable, Sendable { case text, json }

    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let format: Format

    init(level: Logger.Level, format: Format) {
        logLevel = level
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The keys every line has, in this order; the event's other fields follow in name order.
    static let leadingKeys = ["run_id", "stage", "phase"]

    func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let timestamp = Self.timestamp()
        let rest = fields.keys.filter { !Self.leadingKeys.contains($0) }.sorted()
        var line: String
        switch format {
        case .json:
            var parts = ["\"ts\":" + Self.quoted(timestamp), "\"level\":" + Self.quoted(event.level.rawValue)]
            for key in Self.leadingKeys { parts.append(Self.quoted(key) + ":" + (fields[key].map(Self.json) ?? "null")) }
            parts.append("\"message\":" + Self.quoted(event.message.description))
            for key in rest { parts.append(Self.quoted(key) + ":" + Self.json(fields[key]!)) }
            line = "{" + parts.joined(separator: ",") + "}"
        case .text:
            line = timestamp + " " + event.level.rawValue
            for key in Self.leadingKeys { if let value = fields[key] { line += " \(key)=\(Self.text(value))" } }
            line += " " + event.message.description
            for key in rest { line += " \(key)=\(Self.text(fields[key]!))" }
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// A metadata value as JSON: strings quoted, numbers and booleans (logged with `.stringConvertible`) bare.
    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible):
            if convertible is Int || convertible is Int64 || convertible is Bool { "\(convertible)" }
            else if let number = convertible as? Double, number.isFinite { "\(number)" }
            else { quoted("\(convertible)") }
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.keys.sorted().map { quoted($0) + ":" + json(entries[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// A metadata value in a text line: quoted only when it has spaces or quotes, so a line splits on spaces.
    private static func text(_ value: Logger.Metadata.Value) -> String {
        let plain: String = switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): "\(convertible)"
        case .array(let items): items.map(text).joined(separator: ",")
        case .dictionary: json(value)
        }
        return plain.isEmpty || plain.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? quoted(plain) : plain
    }

    /// A JSON string literal (RFC 8259 §7), written the way report.json writes strings.
    static func quoted(_ text: String) -> String { ReportValue.quote(text) }
}
