/// Section 7: stage timings and rows through each stage.
extension ReportPage {
    var timingsSection: String {
        let stages = report["stages"].array
        guard !stages.isEmpty else { return "" }
        // Streaming stages add up their workers' thread time, so the figure is labelled CPU seconds.
        let bars = stages.map { stage in
            let seconds = stage["seconds"].double ?? 0
            return (label: stage["name"].text, value: seconds, caption: "\(formatDecimal(seconds)) s")
        }
        let rows = stages.map { stage in
            ["name", "rows_in", "rows_out", "rows_rejected", "rows_merged"].map { stage[$0].text }
        }
        var html = "<p class=\"muted\">Seconds per stage (CPU time, summed over workers).</p>" + SVGCharts.bars(bars)
        html += htmlTable(["stage", "in", "out", "rejected", "merged"], rows, numericColumns: [1, 2, 3, 4])
        let timing = report["timing"]
        if let parse = timing["parse_seconds"].double, let render = timing["render_seconds"].double {
            html += "<p class=\"muted\">Parsing \(formatDecimal(parse)) s · writing \(formatDecimal(render)) s.</p>"
        }
        return htmlSection("timings", "Stage timings", html)
    }
}
