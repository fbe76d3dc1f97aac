/// Escapes text for HTML element content and attribute values.
///
/// Every value that came from the list passes through here: lists are untrusted input. `:` is written as
/// `&#58;` too, so a value such as a website never puts a URL scheme (`https:`) in the page's bytes.
package func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case ":": out += "&#58;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Escapes `text` after cutting it to `limit` characters, so one long value cannot swell the page.
func escapeHTML(_ text: String, limit: Int) -> String {
    text.count <= limit ? escapeHTML(text) : escapeHTML(String(text.prefix(limit))) + "…"
}
