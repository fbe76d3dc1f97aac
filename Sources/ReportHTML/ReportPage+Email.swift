/// Section 2: email verdicts in the buckets list buyers know, the reasons behind each, and examples.
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
        let byStatus = summary["email_reasons_by_status"]
        if byStatus.isObject {
            // Risky is the bucket a buyer decides on: accept-all, role and free-mail addresses are risky for
            // different reasons, so each bucket's reasons are drawn on their own.
            for bucket in ordered.map(\.key) where bucket != "valid" {
                let reasons = byStatus[bucket].counts
                guard !reasons.isEmpty else { continue }
                let total = statuses.first { $0.key == bucket }?.count
                html += "<h3>\(escapeHTML(bucket.prefix(1).uppercased() + bucket.dropFirst())), by reason</h3>" + SVGCharts.countBars(reasons, total: total)
            }
        } else {
            let reasons = summary["email_reasons"].counts
            if !reasons.isEmpty {
                html +=
                    "<h3>Why addresses are risky or invalid</h3>"
                    + SVGCharts.countBars(reasons, total: ordered.reduce(0) { $0 + $1.count })
            }
        }
        let actions = summary["email_actions"].counts
        if !actions.isEmpty {
            html +=
                "<p class=\"muted\">Actions: "
                + actions.map { "\(escapeHTML($0.key)) \(formatCount($0.count))" }
                .joined(separator: " · ") + "</p>"
        }
        html += emailExamples(summary, buckets: ordered.map(\.key))
        return htmlSection("email", "Email verdicts", html)
    }

    /// The first rows of each bucket, kept ones included (a risky address that was only flagged), or for
    /// reports before `email_examples`, the rejected rows of email reasons.
    private func emailExamples(_ summary: JSONNode, buckets: [String]) -> String {
        var examples: [[String]] = []
        let byBucket = summary["email_examples"]
        if byBucket.isObject {
            for bucket in buckets {
                for row in byBucket[bucket].array.prefix(3) {
                    examples.append([bucket, row["line"].text, row["email"].text, row["reason"].text, row["action"].text])
                }
            }
            guard !examples.isEmpty else { return "" }
            return "<h3>Examples</h3>" + htmlTable(["status", "line", "email", "reason", "action"], examples, numericColumns: [1])
        }
        for (code, samples) in report["reject_samples"].entries where code.hasPrefix("email_") {
            for sample in samples.array.prefix(3) { examples.append([code, sample["line"].text, sample["detail"].text]) }
        }
        guard !examples.isEmpty else { return "" }
        return "<h3>Examples</h3>" + htmlTable(["reason", "line", "detail"], examples, numericColumns: [1])
    }
}
