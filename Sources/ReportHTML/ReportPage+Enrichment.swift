/// Section 6: enrichment: each field's fill rate before and after firmographic_merge and scrape, how many rows
/// each reference field filled, what scrape found, and the decay status distribution.
extension ReportPage {
    var enrichmentSection: String {
        var html = ""
        let merge = summary(of: "firmographic_merge")
        if merge.isObject {
            let rows = stage("firmographic_merge")["rows_in"].int ?? 0
            var facts: [(String, String)] = []
            for (name, key) in [
                ("matched by domain", "matched_by_domain"), ("matched by name", "matched_by_name"),
                ("unmatched", "unmatched"),
            ] where merge[key].exists {
                facts.append((name, merge[key].text))
            }
            html += "<h3>firmographic_merge</h3>" + htmlFacts(facts)
            html += fillTable(merge["fields"], rows: rows)
            let filled = merge["fields"].entries.map { field, tally in
                let count = tally["from_reference"].int ?? 0
                return (label: field, value: Double(count), caption: "\(formatCount(count)) · \(formatPercent(count, of: rows))")
            }
            if !filled.isEmpty {
                html +=
                    "<p class=\"muted\">Rows each field was filled in from reference data (share of the stage's rows):</p>"
                    + SVGCharts.bars(filled)
            }
        }
        let scrape = summary(of: "scrape")
        if scrape.isObject {
            let facts = scrape.entries.filter { !$0.value.isObject && $0.value.array.isEmpty }.map { ($0.key, $0.value.text) }
            html += "<h3>scrape</h3>" + htmlFacts(facts)
            html += fillTable(scrape["fields"], rows: stage("scrape")["rows_in"].int ?? 0, onlyFilled: true)
        }
        let decay = summary(of: "decay")
        let statuses = decay["status"].counts
        if !statuses.isEmpty {
            let order = ["fresh", "aging", "stale", "dead", "not_mailable"]
            let ordered =
                order.compactMap { key in statuses.first { $0.key == key } } + statuses.filter { !order.contains($0.key) }
            let tones = ["fresh": "valid", "aging": "bar", "stale": "risky", "dead": "invalid", "not_mailable": "unknown"]
            // Shares of the rows decay saw: `not_mailable` counts rows across the age statuses, so the counts
            // add up to more than the rows.
            let rows = stage("decay")["rows_in"].int
            html +=
                "<h3>Decay status</h3>"
                + SVGCharts.countBars(ordered, total: rows, tone: { tones[$0] ?? "bar" })
            if let score = decay["mean_score"].double {
                html += "<p class=\"muted\">Mean decay score \(formatDecimal(score)).</p>"
            }
        }
        return htmlSection("enrichment", "Enrichment and decay", html)
    }
}

extension ReportPage {
    /// Each field's rows with a value before the stage wrote and after, with their share of the stage's
    /// rows: the fill rate a list buyer compares vendors on. Empty for reports before `filled_before`.
    func fillTable(_ fields: JSONNode, rows: Int, onlyFilled: Bool = false) -> String {
        var table: [[String]] = []
        for (field, tally) in fields.entries {
            guard let before = tally["filled_before"].int, let after = tally["filled_after"].int else { continue }
            if onlyFilled && after == 0 { continue }
            table.append([
                field, formatCount(before), formatPercent(before, of: rows), formatCount(after), formatPercent(after, of: rows),
                formatCount(after - before),
            ])
        }
        guard !table.isEmpty else { return "" }
        return "<p class=\"muted\">Fill rate per field, before the stage and after (share of the stage's rows):</p>"
            + htmlTable(["field", "before", "share", "after", "share", "gained"], table, numericColumns: [1, 2, 3, 4, 5])
    }
}
