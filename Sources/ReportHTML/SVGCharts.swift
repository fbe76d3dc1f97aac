import Foundation

/// Inline SVG charts: drawn in the page's own markup (HTML5 needs no namespace URL), so the file stays
/// self-contained and prints as it shows. Coordinates are whole numbers so the bytes are stable.
enum SVGCharts {
    /// One horizontal bar per entry, labelled, with its count; `tone` picks a colour class per label.
    static func bars(_ entries: [(label: String, value: Double, caption: String)], tone: (String) -> String = { _ in "bar" })
        -> String
    {
        guard !entries.isEmpty else { return "" }
        let rowHeight = 22, labelWidth = 230, barWidth = 420, width = 800
        let maximum = max(entries.map(\.value).max() ?? 0, 1e-9)
        var svg =
            "<svg class=\"chart\" width=\"\(width)\" height=\"\(entries.count * rowHeight + 4)\" "
            + "viewBox=\"0 0 \(width) \(entries.count * rowHeight + 4)\" role=\"img\">"
        for (i, entry) in entries.enumerated() {
            let y = i * rowHeight + 2
            let length = entry.value <= 0 ? 0 : max(1, Int((entry.value / maximum * Double(barWidth)).rounded()))
            svg +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escapeHTML(entry.label, limit: 40))</text>"
            svg += "<rect class=\"\(tone(entry.label))\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"16\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\">\(escapeHTML(entry.caption))</text>"
        }
        return svg + "</svg>"
    }

    /// Counts as bars, each captioned with its count and share of `total`.
    static func countBars(_ counts: [(key: String, count: Int)], total: Int? = nil, tone: (String) -> String = { _ in "bar" })
        -> String
    {
        let whole = total ?? counts.reduce(0) { $0 + $1.count }
        return bars(
            counts.map { ($0.key, Double($0.count), "\(formatCount($0.count)) · \(formatPercent($0.count, of: whole))") },
            tone: tone)
    }

    /// A small line of `values` over time, with its last value marked.
    static func sparkline(_ values: [Int], width: Int = 160, height: Int = 32) -> String {
        guard values.count > 1 else { return "" }
        let low = values.min() ?? 0, high = values.max() ?? 0
        let span = max(high - low, 1)
        let points = values.enumerated().map { i, value in
            let x = 2 + i * (width - 4) / (values.count - 1)
            let y = height - 2 - (value - low) * (height - 4) / span
            return (x, y)
        }
        let path = points.map { "\($0.0),\($0.1)" }.joined(separator: " ")
        let last = points[points.count - 1]
        return "<svg class=\"spark\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
            + "<polyline points=\"\(path)\"/><circle cx=\"\(last.0)\" cy=\"\(last.1)\" r=\"2.5\"/></svg>"
    }

    /// A waterfall of match weights (as Splink draws one pair): each field's weight moves the running total
    /// up or down from the prior; the last bar is the total.
    static func waterfall(_ steps: [(label: String, level: String, weight: Double)], prior: Double) -> String {
        guard !steps.isEmpty else { return "" }
        let all = [("prior", "", prior)] + steps
        var running = 0.0
        var spans: [(label: String, level: String, from: Double, to: Double)] = []
        for (label, level, weight) in all {
            spans.append((label, level, running, running + weight))
            running += weight
        }
        spans.append(("total", "", 0, running))
        let low = min(0, spans.map { min($0.from, $0.to) }.min() ?? 0)
        let high = max(0, spans.map { max($0.from, $0.to) }.max() ?? 0)
        let column = 76, plotHeight = 160, top = 16, width = spans.count * column + 40
        let scale = Double(plotHeight) / max(high - low, 1e-9)
        func y(_ value: Double) -> Int { top + Int(((high - value) * scale).rounded()) }
        var svg =
            "<svg class=\"chart waterfall\" width=\"\(width)\" height=\"\(plotHeight + top + 48)\" "
            + "viewBox=\"0 0 \(width) \(plotHeight + top + 48)\" role=\"img\">"
        svg += "<line class=\"axis\" x1=\"20\" y1=\"\(y(0))\" x2=\"\(width - 10)\" y2=\"\(y(0))\"/>"
        for (i, span) in spans.enumerated() {
            let x = 24 + i * column
            let upper = y(max(span.from, span.to)), lower = y(min(span.from, span.to))
            let tone = i == spans.count - 1 ? "total" : span.to >= span.from ? "up" : "down"
            let change = i == spans.count - 1 ? span.to : span.to - span.from
            svg +=
                "<rect class=\"\(tone)\" x=\"\(x)\" y=\"\(upper)\" width=\"\(column - 12)\" height=\"\(max(lower - upper, 1))\"/>"
            svg +=
                "<text x=\"\(x + (column - 12) / 2)\" y=\"\(max(upper - 3, 10))\" text-anchor=\"middle\">"
                + "\(change >= 0 ? "+" : "")\(String(format: "%.1f", change))</text>"
            svg +=
                "<text x=\"\(x + (column - 12) / 2)\" y=\"\(plotHeight + top + 16)\" text-anchor=\"middle\">"
                + "\(escapeHTML(span.label, limit: 12))</text>"
            if !span.level.isEmpty {
                svg +=
                    "<text class=\"level\" x=\"\(x + (column - 12) / 2)\" y=\"\(plotHeight + top + 30)\" text-anchor=\"middle\">"
                    + "\(escapeHTML(span.level, limit: 12))</text>"
            }
        }
        return svg + "</svg>"
    }
}
