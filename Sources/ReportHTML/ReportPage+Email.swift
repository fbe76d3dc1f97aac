/// Section 2: email verdicts in the buckets list buyers know, the reasons behind risky and invalid, and examples.
extension ReportPage {
    /// The buckets in the order an ESP shows them; any other status follows by name.
    static let emailBuckets = ["valid", "risky", "invalid", "unknown"]

    var emailSection: String {
        let summary = summary(of: "email_check")
        let statuses = summary["email_status"].counts
        guard !statuses.isEmpty else { return "" }
        let ordered =
            Self.emailBuckets.compactMap { bucket in statuses.first { $0.key == bucket } }
            + statuses.filter { !Self.emailBuckets.contains($0.key) }.sorted { $0.key < $1.key }
        var html = SVGCharts.countBars(ordered, tone: { Self.emailBuckets.contains($0) ? $0 : "bar" })
        let reasons = summary["email_reasons"].counts
        if !reasons.isEmpty {
            html +=
                "<h3>Why addresses are risky or invalid</h3>"
                + SVGCharts.countBars(reasons, total: ordered.reduce(0) { $0 + $1.count })
        }
        let actions = summary["email_actions"].counts
        if !actions.isEmpty {
            html +=
                "<p class=\"muted\">Actions: "
                + actions.map { "\(escapeHTML($0.key)) \(formatCount($0.count))" }
                .joined(separator: " · ") + "</p>"
        }
        // Examples: the rejected rows of email reasons (their input line and what was wrong).
        var examples: [[String]] = []
        for (code, samples) in report["reject_samples"].entries where code.hasPrefix("email_") {
            for sample in samples.array.prefix(3) { examples.append([code, sample["line"].text, sample["detail"].text]) }
        }
        if !examples.isEmpty {
            html += "<h3>Examples</h3>" + htmlTable(["reason", "line", "detail"], examples, numericColumns: [1])
        }
        return htmlSection("email", "Email verdicts", html)
    }
}
