/// Section 1: the verdict, the counts, the accounting identity and the run's facts.
extension ReportPage {
    var headline: String {
        let failed = report["status"].string == "failed"
        var html = "<header>\n<h1>\(escapeHTML(report["pipeline"].string ?? "pipeline", limit: 80)) "
        html += failed ? "<span class=\"verdict failed\">FAILED</span>" : "<span class=\"verdict passed\">PASSED</span>"
        html += "</h1>\n"
        if let failure = report["failure"].string { html += "<p class=\"crossed\">\(escapeHTML(failure, limit: 600))</p>\n" }
        let rowsIn = report["rows_in"].int ?? 0
        html += "<div class=\"cards\">"
        let headline = report["headline"]
        // Reports before the headline block count the clean rows as one and mailable as valid addresses.
        let cards: [(String, Int?)] =
            headline.isObject
            ? [
                ("rows in", headline["rows_in"].int), ("usable", headline["usable"].int),
                ("flagged", headline["flagged"].int), ("rejected", headline["rejected"].int),
                ("merged", headline["merged"].int), ("mailable", headline["mailable"].int),
            ]
            : [
                ("rows in", report["rows_in"].int), ("clean out", report["rows_out"].int),
                ("rejected", report["rows_rejected"].int), ("merged", report["rows_merged"].int),
                ("mailable (valid email)", summary(of: "email_check")["email_status"]["valid"].int),
            ]
        for (name, value) in cards {
            guard let value else { continue }
            let share = name == "rows in" ? "" : " · \(formatPercent(value, of: rowsIn))"
            html += "<div class=\"card\"><b>\(formatCount(value))</b><span>\(escapeHTML(name))\(share)</span></div>"
        }
        html += "</div>\n"
        let accounting = report["accounting"]
        if let identity = accounting["identity"].string {
            let holds = accounting["holds"].bool ?? false
            html += "<p class=\"identity\">\(escapeHTML(identity)) "
            html +=
                holds
                ? "<span class=\"holds\">✓ every row accounted for</span>" : "<span class=\"broken\">✗ accounting broken</span>"
            html += "</p>\n"
        }
        html += htmlFacts(facts)
        html += failIfTable
        let notes = report["notes"].array.compactMap(\.string)
        if !notes.isEmpty {
            html += "<h3>Notes</h3><ul>" + notes.map { "<li>\(escapeHTML($0, limit: 400))</li>" }.joined() + "</ul>"
        }
        return html + "</header>\n"
    }

    private var facts: [(String, String)] {
        var facts: [(String, String)] = []
        func add(_ name: String, _ key: String) {
            if report[key].exists { facts.append((name, report[key].text)) }
        }
        add("pipeline file", "pipeline_file")
        add("started at", "started_at")
        if let seconds = report["seconds"].double { facts.append(("duration", "\(formatDecimal(seconds)) s")) }
        add("jobs", "jobs")
        add("input", "input")
        add("input checksum", "input_checksum")
        add("output", "output")
        add("rejects", "rejects")
        return facts
    }

    private var failIfTable: String {
        let rows = report["fail_if"].array.map { condition in
            [condition["condition"].text, condition["value"].text, condition["crossed"].bool == true ? "crossed" : "passed"]
        }
        guard !rows.isEmpty else { return "" }
        return "<h3>fail_if</h3>" + htmlTable(["condition", "value", "verdict"], rows, numericColumns: [1])
    }
}
