/// Section 5: since last run, from the store: new, vanished and changed leads, and the last runs' counts.
extension ReportPage {
    var sinceLastRunSection: String {
        let comparison = summary(of: "decay")["run_over_run"]
        let since = report["since_last_run"]
        var html = ""
        if comparison.isObject {
            var facts: [(String, String)] = []
            for (name, key) in [("previous run", "previous_run"), ("previous reference time", "previous_reference_time")]
            where comparison[key].exists {
                facts.append((name, comparison[key].text))
            }
            // The report's own `since_last_run` (with the changes), or for earlier reports the decay stage's figures.
            let counts: [(String, JSONNode)] =
                since["previous_run"].exists
                ? [
                    ("leads compared", since["leads_compared"]), ("new leads", since["new"]), ("vanished", since["vanished"]),
                    ("changed title", since["changed_title"]), ("changed company", since["changed_company"]),
                    ("email flipped to invalid", since["flipped_invalid"]),
                ]
                : [
                    ("leads compared", comparison["leads_compared"]), ("new leads", comparison["new_leads"]),
                    ("vanished", comparison["vanished"]),
                ]
            for (name, node) in counts where node.exists { facts.append((name, node.text)) }
            html += htmlFacts(facts)
            let changes = comparison["week_over_week"].entries.map { status, change in
                [status, change["previous"].text, change["current"].text, change["change"].text]
            }
            if !changes.isEmpty {
                html +=
                    "<h3>Decay status, week over week</h3>"
                    + htmlTable(["status", "previous", "current", "change"], changes, numericColumns: [1, 2, 3])
            }
            // Each vanished lead as the previous run held it: its line there and its address.
            let vanished = comparison["vanished_sample"].array.prefix(5).map { lead in
                lead.isObject ? [lead["previous_line"].exists ? lead["previous_line"].text : lead["line"].text, lead["email"].text]
                    : ["—", lead.text]
            }
            if !vanished.isEmpty {
                html += "<h3>Vanished (sample)</h3>" + htmlTable(["previous line", "email"], Array(vanished), numericColumns: [0])
            }
        }
        let history = report["history"].array
        if history.count > 1 {
            html +=
                "<h3>Last \(history.count) runs</h3><table><thead><tr><th>count</th><th>trend</th>"
                + "<th class=\"n\">first</th><th class=\"n\">latest</th></tr></thead><tbody>"
            for key in ["rows_in", "rows_out", "rows_rejected", "rows_merged"] {
                let values = history.map { $0[key].int ?? 0 }
                html +=
                    "<tr><td>\(key)</td><td>\(SVGCharts.sparkline(values))</td>"
                    + "<td class=\"n\">\(formatCount(values[0]))</td><td class=\"n\">\(formatCount(values[values.count - 1]))</td></tr>"
            }
            html +=
                "</tbody></table><p class=\"muted\">From \(escapeHTML(history[0]["started_at"].text)) to "
                + "\(escapeHTML(history[history.count - 1]["started_at"].text)).</p>"
        }
        return htmlSection("since-last-run", "Since last run", html)
    }
}
