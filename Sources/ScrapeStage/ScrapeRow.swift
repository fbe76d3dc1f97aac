import LeadRecords
import Foundation

/// The `web_` column values of one site, rendered once and copied to each of its rows.
struct ScrapeRow {
    let status: WebStatus
    let values: [(String, String)]
    let detail: String

    /// Renders `report`; `formatter` is shared by the caller because building one costs more than a row.
    init(report: SiteReport, formatter: ISO8601DateFormatter) {
        status = report.status
        // A site's values share the few times its pages were fetched, and formatting a date costs more than
        // the rest of a value: each distinct time is formatted once.
        var stamps: [Date: String] = [:]
        func stamp(_ date: Date) -> String {
            if let text = stamps[date] { return text }
            let text = formatter.string(from: date)
            stamps[date] = text
            return text
        }
        var values: [(String, String)] = [
            (ScrapeColumns.status, report.status.rawValue),
            (ScrapeColumns.httpStatus, report.httpStatus > 0 ? String(report.httpStatus) : ""),
            (ScrapeColumns.finalURL, report.finalURL),
            (ScrapeColumns.redirectDomain, report.redirectDomain),
            (ScrapeColumns.fetchedAt, report.fetchedAt.map(stamp) ?? ""),
            (ScrapeColumns.pages, String(report.pages)),
        ]
        var sources: [String: Any] = [:]
        func source(_ value: SourcedValue) -> [String: String] {
            ["value": value.value, "url": value.url, "fetched_at": stamp(value.fetchedAt)]
        }
        let profile = report.profile
        for field in ScrapeField.allCases {
            let value = profile.fields[field]
            values.append((field.rawValue, value?.value ?? ""))
            if let value { sources[field.rawValue] = source(value) }
        }
        values.append((ScrapeColumns.email, profile.emails.first?.value ?? ""))
        values.append((ScrapeColumns.emails, profile.emails.map(\.value).joined(separator: ";")))
        values.append((ScrapeColumns.phone, profile.phones.first?.value ?? ""))
        values.append((ScrapeColumns.phones, profile.phones.map(\.value).joined(separator: ";")))
        let technologies = profile.technologies.sorted { $0.value < $1.value }
        values.append((ScrapeColumns.technologies, technologies.map(\.value).joined(separator: ";")))
        if !profile.emails.isEmpty { sources[ScrapeColumns.emails] = profile.emails.map(source) }
        if !profile.phones.isEmpty { sources[ScrapeColumns.phones] = profile.phones.map(source) }
        if !technologies.isEmpty { sources[ScrapeColumns.technologies] = technologies.map(source) }
        let json = sources.isEmpty ? "" : JSONText.encode(sources)
        values.append((ScrapeColumns.sources, json))
        self.values = values
        detail = [report.finalURL, report.redirectDomain].filter { !$0.isEmpty }.joined(separator: " → ")
    }
}

/// The few JSON shapes `web_sources` holds (objects of strings, lists of them), written with sorted keys
/// by hand: JSONSerialization cost more than the rest of rendering a row.
enum JSONText {
    static func encode(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout String) {
        switch value {
        case let text as String:
            string(text, into: &out)
        case let object as [String: Any]:   // [String: String] casts to this too
            out += "{"
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                string(key, into: &out)
                out += ":"
                write(object[key]!, into: &out)
            }
            out += "}"
        case let list as [Any]:
            out += "["
            for (i, item) in list.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        default:
            out += "null"
        }
    }

    /// RFC 8259 §7: quote, backslash and control characters escaped; everything else as is.
    private static func string(_ text: String, into out: inout String) {
        out += "\""
        // Most values need no escape: appended whole, not scalar by scalar. Every character that needs one
        // is ASCII, and no byte of a multi-byte UTF-8 sequence is, so a byte scan finds them all.
        if !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
