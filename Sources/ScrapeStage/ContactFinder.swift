import Foundation

/// Finds email addresses and phone numbers in `mailto:`/`tel:` links and in visible page text.
enum ContactFinder {
    private static let emailPattern = try! NSRegularExpression(
        pattern: #"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"#)
    // A phone in running text must look deliberate: an international "+" prefix or a parenthesized area code.
    // Separators are horizontal only: text comes line by line, and a number never continues on the next line.
    private static let phonePattern = try! NSRegularExpression(
        pattern: #"(?:\+\d{1,3}[ \t\u00A0.-]?(?:\(\d{1,4}\)[ \t\u00A0.-]?)?|\(\d{2,5}\)[ \t\u00A0.-]?)\d{1,4}(?:[ \t\u00A0.-]?\d{2,4}){1,5}"#)
    // A fax label right before a number ("Fax: ", "F. ", "| F +31…", "Telefax ") or right after it ("(fax)").
    private static let faxBefore = try! NSRegularExpression(
        pattern: #"(?:\b(?:fax|telefax|facsimile|télécopie)\b[^0-9+(]{0,12}|\bf\s*[:.]?\s*)$"#, options: [.caseInsensitive])
    private static let faxAfter = try! NSRegularExpression(pattern: #"^\s*[(\[]?\s*fax\b"#, options: [.caseInsensitive])
    // Asset names such as logo@2x.png look like addresses.
    private static let fileSuffixes = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".css", ".js"]

    /// The address of a `mailto:` link, without parameters.
    static func email(fromMailto href: String) -> String? {
        guard href.lowercased().hasPrefix("mailto:") else { return nil }
        let address = href.dropFirst("mailto:".count).prefix { $0 != "?" }
        let decoded = String(address).removingPercentEncoding ?? String(address)
        return emails(in: decoded).first
    }

    /// The number of a `tel:` link.
    static func phone(fromTel href: String) -> String? {
        guard href.lowercased().hasPrefix("tel:") else { return nil }
        let number = (String(href.dropFirst(4)).removingPercentEncoding ?? "").trimmingCharacters(in: .whitespaces)
        let digits = number.filter(\.isNumber).count
        return (6...15).contains(digits) ? number : nil
    }

    static func emails(in text: String) -> [String] {
        matches(emailPattern, in: text).filter { candidate in
            let lower = candidate.lowercased()
            return !fileSuffixes.contains { lower.hasSuffix($0) }
        }
    }

    /// Phone numbers in one line of text, leaving out those labelled as fax.
    static func phones(in text: String) -> [String] {
        let ns = text as NSString
        return phonePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            let candidate = ns.substring(with: match.range)
            let digits = candidate.filter(\.isNumber).count
            guard (8...15).contains(digits) else { return nil }   // E.164: at most 15 digits
            let before = ns.substring(to: match.range.location)
            let after = ns.substring(from: match.range.location + match.range.length)
            guard !isFax(before: before, after: after) else { return nil }
            return candidate.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Whether the text around a number labels it as a fax line.
    static func isFax(before: String, after: String) -> Bool {
        let tail = String(before.suffix(24))
        return faxBefore.firstMatch(in: tail, range: NSRange(tail.startIndex..., in: tail)) != nil
            || faxAfter.firstMatch(in: after, range: NSRange(after.startIndex..., in: after)) != nil
    }

    /// Whether a `tel:` link is a fax line: its own text says so, or the text just before it in its block does.
    static func isFax(label: String, context: String) -> Bool {
        if label.lowercased().contains("fax") { return true }
        guard !label.isEmpty, let range = context.range(of: label) else { return false }
        return isFax(before: String(context[..<range.lowerBound]), after: String(context[range.upperBound...]))
    }

    private static func matches(_ pattern: NSRegularExpression, in text: String) -> [String] {
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }
}
