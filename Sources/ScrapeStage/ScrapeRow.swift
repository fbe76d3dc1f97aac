import Foundation

/// The `web_` column values of one site, rendered once and copied to each of its rows.
struct ScrapeRow {
    let status: WebStatus
    let values: [(String, String)]
    let detail: String

    /// Renders `report`; `formatter` is shared by the caller because building one costs more than a row.
    init(report: SiteReport, formatter: ISO8601DateFormatter) {
        status = report.status
        var values: [(String, String)] = [
            (ScrapeColumns.status, report.status.rawValue),
            (ScrapeColumns.httpStatus, report.httpStatus > 0 ? String(report.httpStatus) : ""),
            (ScrapeColumns.finalURL, report.finalURL),
            (ScrapeColumns.redirectDomain, report.redirectDomain),
            (ScrapeColumns.fetchedAt, report.fetchedAt.map { formatter.string(from: $0) } ?? ""),
            (ScrapeColumns.pages, String(report.pages)),
        ]
        var sources: [String: Any] = [:]
        func source(_ value: SourcedValue) -> [String: String] {
            ["value": value.value, "url": value.url, "fetched_at": formatter.string(from: value.fetchedAt)]
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
        let json = sources.isEmpty ? "" : (try? JSONSerialization.data(withJSONObject: sources, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        values.append((ScrapeColumns.sources, json))
        self.values = values
        detail = [report.finalURL, report.redirectDomain].filter { !$0.isEmpty }.joined(separator: " → ")
    }
}
