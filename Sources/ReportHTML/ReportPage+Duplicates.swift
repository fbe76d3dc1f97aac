import Foundation

/// Section 4: duplicates: what dedupe found, its largest clusters with their rows, and a few pairs explained
/// as a waterfall of field weights (as Splink draws them).
extension ReportPage {
    var duplicatesSection: String {
        let summary = summary(of: "dedupe")
        guard summary.isObject else { return "" }
        var facts: [(String, String)] = []
        for (name, key) in [
            ("entities", "entities"), ("duplicate rows", "duplicate_rows"), ("links", "links"),
            ("pairs compared", "pairs_compared"), ("pairs to review", "review_pairs"),
            ("weights", "em_status"),
        ] where summary[key].exists {
            facts.append((name, summary[key].text))
        }
        var html = htmlFacts(facts)
        let clusters = summary["largest_clusters"].array
        if !clusters.isEmpty {
            html += "<h3>Largest clusters</h3>"
            for cluster in clusters.prefix(5) {
                html +=
                    "<p><b>\(escapeHTML(cluster["entity_id"].text, limit: 60))</b> · "
                    + "\(cluster["size"].text) rows</p>"
                let rows = cluster["rows"].array.prefix(5).map { row in
                    [row["line"].text, row["name"].text, row["email"].text, row["company"].text]
                }
                html += htmlTable(["line", "name", "email", "company"], Array(rows), numericColumns: [0])
            }
        }
        let pairs = summary["explained_pairs"].array
        if !pairs.isEmpty {
            html +=
                "<h3>Why rows matched</h3><p class=\"muted\">Each bar is a field's match weight (log₂ of how much likelier "
                + "its agreement is among true matches); they add up from the prior to the pair's total.</p>"
            for pair in pairs.prefix(3) {
                let lines = pair["lines"].array.map(\.text).joined(separator: " and ")
                let probability = pair["match_probability"].double.map { " · match probability \(formatDecimal($0))" } ?? ""
                html += "<p>Lines \(escapeHTML(lines))\(probability)</p>"
                let steps = pair["fields"].array.map { field in
                    (field["field"].string ?? "?", field["level"].string ?? "", field["weight"].double ?? 0)
                }
                html += SVGCharts.waterfall(steps, prior: pair["prior_weight"].double ?? 0)
            }
        }
        return htmlSection("duplicates", "Duplicates", html)
    }
}
