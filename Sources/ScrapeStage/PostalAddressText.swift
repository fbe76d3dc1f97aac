import Foundation

/// Reads a postal address written as plain lines (an `<address>` element) into schema.org
/// PostalAddress keys: `streetAddress`, `addressLocality`, `addressRegion`, `postalCode`, `addressCountry`.
///
/// Only the common layouts are read, and only when the line with the postcode is found; anything
/// else yields nothing rather than a guess:
/// - US: `1 Canyon Road` / `Phoenix, AZ 85001` / `USA`
/// - UK: `10 Downing Street` / `London SW1A 2AA` / `United Kingdom`
/// - Continental Europe: `Hauptstraße 5` / `20095 Hamburg` / `Germany` (also `1012 AB Amsterdam`)
enum PostalAddressText {
    private static let usLine = try! NSRegularExpression(
        pattern: #"^(?<city>[\p{L} .'-]+?),?\s+(?<region>[A-Z]{2})\s+(?<zip>\d{5}(?:-\d{4})?)$"#)
    private static let ukLine = try! NSRegularExpression(
        pattern: #"^(?:(?<city>[\p{L} .'-]+?),?\s+)?(?<zip>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$"#)
    private static let europeLine = try! NSRegularExpression(
        pattern: #"^(?:[A-Z]{1,2}-)?(?<zip>\d{4}\s?[A-Z]{2}(?=\s)|\d{4,5}|\d{2}-\d{3})\s+(?<city>[\p{L}][\p{L} .'-]*)$"#)
    private static let contactLabel = try! NSRegularExpression(
        pattern: #"^(?:tel|phone|fax|e-?mail|mobile|web|www|call)\b|@|^\+?[\d\s().-]{7,}$"#, options: [.caseInsensitive])

    static func parse(_ lines: [String]) -> [String: String] {
        // One line with commas ("1 Canyon Road, Phoenix, AZ 85001, USA") is read as if broken at the commas,
        // keeping "Phoenix, AZ 85001" together for the US pattern.
        var parts = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !isContact($0) }
        if parts.count == 1 { parts = splitAtCommas(parts[0]) }
        for (i, line) in parts.enumerated() {
            guard let (city, region, zip) = postcodeLine(line) else { continue }
            var out: [String: String] = ["postalCode": zip]
            if let city, !city.isEmpty { out["addressLocality"] = city }
            if let region { out["addressRegion"] = region }
            // The street is the nearest line above with a house number (a company name comes first, no digits).
            if let street = parts[..<i].last(where: { $0.contains(where: \.isNumber) }) ?? parts[..<i].last, parts.count > 1 {
                out["streetAddress"] = street
            }
            if i + 1 < parts.count, !parts[i + 1].contains(where: \.isNumber), parts[i + 1].split(separator: " ").count <= 4 {
                out["addressCountry"] = parts[i + 1]
            }
            return out
        }
        return [:]
    }

    private static func isContact(_ line: String) -> Bool {
        contactLabel.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    private static func splitAtCommas(_ line: String) -> [String] {
        var pieces = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // "Phoenix" + "AZ 85001" → "Phoenix, AZ 85001"
        var i = 1
        while i < pieces.count {
            if pieces[i].range(of: #"^[A-Z]{2}\s+\d{5}"#, options: .regularExpression) != nil {
                pieces[i - 1] += ", " + pieces[i]
                pieces.remove(at: i)
            } else {
                i += 1
            }
        }
        return pieces
    }

    private static func postcodeLine(_ line: String) -> (city: String?, region: String?, zip: String)? {
        let range = NSRange(line.startIndex..., in: line)
        func group(_ match: NSTextCheckingResult, _ name: String) -> String? {
            Range(match.range(withName: name), in: line).map { String(line[$0]).trimmingCharacters(in: .whitespaces) }
        }
        if let m = usLine.firstMatch(in: line, range: range) { return (group(m, "city"), group(m, "region"), group(m, "zip")!) }
        if let m = ukLine.firstMatch(in: line, range: range) { return (group(m, "city"), nil, group(m, "zip")!) }
        if let m = europeLine.firstMatch(in: line, range: range) { return (group(m, "city"), nil, group(m, "zip")!) }
        return nil
    }
}
