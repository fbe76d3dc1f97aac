/// Section 3: why rows were set aside, a bar per reason code, and each reason's sample lines.
extension ReportPage {
    var rejectsSection: String {
        let reasons = report["reject_reasons"].counts
        guard !reasons.isEmpty else { return "" }
        var html = SVGCharts.countBars(reasons, total: report["rows_in"].int)
        let samples = report["reject_samples"]
        for (code, _) in reasons {
            let rows = samples[code].array.prefix(5).map { [$0["line"].text, $0["stage"].text, $0["detail"].text] }
            guard !rows.isEmpty else { continue }
            html += "<h3>\(escapeHTML(code))</h3>" + htmlTable(["line", "stage", "detail"], Array(rows), numericColumns: [0])
        }
        return htmlSection("rejects", "Why rows were set aside", html)
    }
}
