import Foundation

/// One Wappalyzer-format pattern: a regular expression with optional `\;confidence:N` and
/// `\;version:TEMPLATE` tags (`\1` inserts a capture group, `\1?a:b` picks by whether it matched).
struct FingerprintPattern: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as thread-safe.
    let regex: NSRegularExpression?
    let confidence: Int
    let versionTemplate: String?

    /// Parses `text`; `nil` when the regular expression does not compile (counted by the loader).
    init?(_ text: String) {
        let parts = text.components(separatedBy: "\\;")
        var confidence = 100
        var version: String?
        for tag in parts.dropFirst() {
            if tag.hasPrefix("confidence:") { confidence = Int(tag.dropFirst("confidence:".count)) ?? 100 }
            if tag.hasPrefix("version:") { version = String(tag.dropFirst("version:".count)) }
        }
        let source = parts[0]
        if source.isEmpty {
            regex = nil   // an empty pattern only asks that the header, cookie or meta exists
        } else {
            guard let compiled = try? NSRegularExpression(pattern: source, options: [.caseInsensitive]) else { return nil }
            regex = compiled
        }
        self.confidence = confidence
        self.versionTemplate = version
    }

    /// Matches `text`; returns the version found (possibly empty) or `nil` when it does not match.
    func match(_ text: String) -> String? {
        guard regex != nil else { return "" }
        return match(NSString(string: text))
    }

    /// Matches an `NSString`, so a long page is converted to UTF-16 once for all patterns, not once per pattern.
    func match(_ ns: NSString) -> String? {
        guard let regex else { return "" }
        guard let result = regex.firstMatch(in: ns as String, range: NSRange(location: 0, length: ns.length)) else { return nil }
        guard let versionTemplate else { return "" }
        var groups: [String] = []
        for i in 0..<result.numberOfRanges {
            let range = result.range(at: i)
            groups.append(range.location == NSNotFound ? "" : ns.substring(with: range))
        }
        return Self.expand(versionTemplate, groups: groups)
    }

    static func expand(_ template: String, groups: [String]) -> String {
        var out = template
        // Ternaries first: \1?yes:no
        for i in (1..<max(groups.count, 1)).reversed() {
            let marker = "\\\(i)?"
            while let start = out.range(of: marker) {
                let rest = out[start.upperBound...]
                guard let colon = rest.firstIndex(of: ":") else { break }
                let yes = String(rest[..<colon])
                let noEnd = rest[rest.index(after: colon)...].firstIndex(of: "\\") ?? out.endIndex
                let no = String(out[out.index(after: colon)..<noEnd])
                out.replaceSubrange(start.lowerBound..<noEnd, with: groups[i].isEmpty ? no : yes)
            }
        }
        for i in (1..<max(groups.count, 1)).reversed() {
            out = out.replacingOccurrences(of: "\\\(i)", with: groups[i])
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
