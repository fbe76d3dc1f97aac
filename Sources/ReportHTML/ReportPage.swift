import Foundation

/// A run report (`report.json`) rendered as one self-contained HTML page: inline CSS and SVG, no
/// JavaScript, no URL of any kind. The same report gives the same bytes: every object is read in key
/// order (or by count, then key), and nothing depends on the clock or the locale.
///
/// ```swift
/// let html = try ReportPage(json: Data(contentsOf: reportURL)).html
/// ```
public struct ReportPage {
    let report: JSONNode

    /// A report decoded by `JSONSerialization` (an object at the top).
    public init(report: [String: Any]) {
        self.report = JSONNode(report)
    }

    /// Decodes `json`, the text of a `report.json`.
    /// - Throws: ``ReportPageError`` when it is not JSON or not an object.
    public init(json: Data) throws {
        let decoded: Any
        do {
            decoded = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw ReportPageError.notJSON
        }
        guard let object = decoded as? [String: Any] else { throw ReportPageError.notAReport }
        self.init(report: object)
    }

    /// The page. Sections whose data the report lacks (no dedupe, no store) are left out.
    public var html: String {
        let pipeline = report["pipeline"].string ?? "pipeline"
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>LeadHygiene report · \(escapeHTML(pipeline, limit: 80))</title>\n"
        page += "<style>\n\(PageStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
        page += headline
        page += emailSection
        page += rejectsSection
        page += duplicatesSection
        page += sinceLastRunSection
        page += enrichmentSection
        page += timingsSection
        page +=
            "<footer class=\"muted\">LeadHygiene \(escapeHTML(report["tool_version"].string ?? "")) · report schema "
            + "\(escapeHTML(report["schema_version"].int.map(String.init) ?? "0"))</footer>\n"
        return page + "</main>\n</body>\n</html>\n"
    }

    /// The summary of the first stage named `name`; an absent node when the pipeline has no such stage.
    func summary(of name: String) -> JSONNode {
        report["stages"].array.first { $0["name"].string == name }?["summary"] ?? JSONNode(nil)
    }

    /// The first stage named `name`.
    func stage(_ name: String) -> JSONNode {
        report["stages"].array.first { $0["name"].string == name } ?? JSONNode(nil)
    }
}

/// Why a file could not be rendered as a report.
public enum ReportPageError: Error, CustomStringConvertible {
    case notJSON
    case notAReport

    public var description: String {
        switch self {
        case .notJSON: return "is not JSON"
        case .notAReport: return "is not a LeadHygiene report (a JSON object)"
        }
    }
}
