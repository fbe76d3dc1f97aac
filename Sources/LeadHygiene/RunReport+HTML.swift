import Foundation
import ReportHTML

extension RunReport {
    /// The report as the HTML page `output.html_report` holds, rendered from the report's JSON text, so
    /// `leadhygiene report html` on the written report.json gives the same bytes.
    package var htmlPage: [UInt8] {
        let text = json.json()
        // The report's own JSON always decodes to an object; the fallback page only keeps this total.
        let page = (try? ReportPage(json: Data(text.utf8)).html) ?? ReportPage(report: [:]).html
        return Array(page.utf8)
    }
}
