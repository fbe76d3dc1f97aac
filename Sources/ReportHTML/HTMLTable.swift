/// A plain table whose every cell is escaped text (cells come from the list and the report).
func htmlTable(_ header: [String], _ rows: [[String]], numericColumns: Set<Int> = []) -> String {
    guard !rows.isEmpty else { return "" }
    var html = "<table><thead><tr>"
    for (i, title) in header.enumerated() {
        html += numericColumns.contains(i) ? "<th class=\"n\">\(escapeHTML(title))</th>" : "<th>\(escapeHTML(title))</th>"
    }
    html += "</tr></thead><tbody>"
    for row in rows {
        html += "<tr>"
        for (i, cell) in row.enumerated() {
            let text = escapeHTML(cell, limit: 160)
            html += numericColumns.contains(i) ? "<td class=\"n\">\(text)</td>" : "<td>\(text)</td>"
        }
        html += "</tr>"
    }
    return html + "</tbody></table>"
}

/// Facts as a two-column table: what, value.
func htmlFacts(_ facts: [(String, String)]) -> String {
    guard !facts.isEmpty else { return "" }
    var html = "<table class=\"facts\"><tbody>"
    for (name, value) in facts {
        html += "<tr><th>\(escapeHTML(name))</th><td>\(escapeHTML(value, limit: 240))</td></tr>"
    }
    return html + "</tbody></table>"
}

/// A section with its heading and body; empty when the body is.
func htmlSection(_ id: String, _ title: String, _ body: String) -> String {
    body.isEmpty ? "" : "<section id=\"\(id)\"><h2>\(escapeHTML(title))</h2>\(body)</section>\n"
}
