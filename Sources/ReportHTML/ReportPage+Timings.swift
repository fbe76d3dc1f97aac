/// Section 7: stage timings and rows through each stage.
extension ReportPage {
    var timingsSection: String {
        let stages = report["stages"].array
        guard !stages.isEmpty else { return "" }
        // Streaming stages add up their workers' thread time (CPU seconds); a whole-list stage's seconds are
        // wall time (`seconds_measure`, absent in earlier reports, where every figure was labelled CPU).
        let bars = stages.map { stage in
            let seconds = stage["seconds"].double ?? 0
            let measure = stage["seconds_measure"].string == "wall" ? " wall" : stage["seconds_measure"].exists ? " CPU" : ""
            return (label: stage["name"].text, value: seconds, caption: "\(formatDecimal(seconds)) s\(measure)")
        }
        let rows = stages.map { stage in
            ["name", "rows_in", "rows_out", "rows_rejected", "rows_merged"].map { stage[$0].text }
        }
        let measured = stages.contains { $0["seconds_measure"].exists }
        let note =
            measured
            ? "Seconds per stage: CPU time summed over workers for streaming stages, wall time for whole-list stages."
            : "Seconds per stage (CPU time, summed over workers)."
        var html = "<p class=\"muted\">\(note)</p>" + SVGCharts.bars(bars)
        html += htmlTable(["stage", "in", "out", "rejected", "merged"], rows, numericColumns: [1, 2, 3, 4])
        let timing = report["timing"]
        if let parse = timing["parse_seconds"].double, let render = timing["render_seconds"].double {
            html += "<p class=\"muted\">Parsing \(formatDecimal(parse)) s · writing \(formatDecimal(render)) s.</p>"
        }
        return htmlSection("timings", "Stage timings", html)
    }
}
