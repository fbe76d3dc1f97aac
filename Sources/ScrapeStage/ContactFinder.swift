import Foundation

/// Finds email addresses and phone numbers in `mailto:`/`tel:` links and in visible page text.
enum ContactFinder {
    private static let emailPattern = try! NSRegularExpression(
        pattern: #"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"#)
    // A phone in running text must look deliberate: an international "+" prefix or a parenthesized area code.
    private static let phonePattern = try! NSRegularExpression(
        pattern: #"(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?|\(\d{2,5}\)[\s.-]?)\d{1,4}(?:[\s.-]?\d{2,4}){1,5}"#)
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

    static func phones(in text: String) -> [String] {
        matches(phonePattern, in: text).compactMap { candidate in
            let digits = candidate.filter(\.isNumber).count
            return (8...15).contains(digits) ? candidate.trimmingCharacters(in: .whitespaces) : nil   // E.164: at most 15 digits
        }
    }

    private static func matches(_ pattern: NSRegularExpression, in text: String) -> [String] {
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }
}
