import Foundation

/// Picks the character encoding of an HTML body: the Content-Type charset first, then a
/// `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 4 KiB, then a BOM, then
/// UTF-8 when the bytes are valid UTF-8 and windows-1252 otherwise.
package enum CharsetSniffer {
    /// The encoding name to hand to libxml2.
    public static func encoding(contentType: String?, body: [UInt8]) -> String {
        if let contentType, let declared = charsetParameter(contentType) { return canonical(declared) }
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if body.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if body.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        if let declared = metaCharset(body) { return canonical(declared) }
        return String(validating: body[...], as: UTF8.self) != nil ? "UTF-8" : "windows-1252"
    }

    /// The `charset` parameter of a Content-Type value.
    package static func charsetParameter(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// The charset a `<meta>` tag declares near the top of the document.
    package static func metaCharset(_ body: [UInt8]) -> String? {
        // Bytes map 1:1 onto Latin-1 scalars, so offsets stay meaningful whatever the real encoding.
        let head = String(body.prefix(4096).map { Character(Unicode.Scalar($0)) }).lowercased()
        var search = head[...]
        while let meta = search.range(of: "<meta") {
            let rest = search[meta.upperBound...]
            let tag = rest[..<(rest.firstIndex(of: ">") ?? rest.endIndex)]
            if let charset = tag.range(of: "charset") {
                var value = tag[charset.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                value = value.prefix { $0.isLetter || $0.isNumber || "-_:.".contains($0) }
                if !value.isEmpty { return String(value) }
            }
            search = rest
        }
        return nil
    }

    /// Maps labels to the encoding browsers actually use (WHATWG Encoding: latin1 and ascii mean windows-1252).
    static func canonical(_ label: String) -> String {
        switch label.lowercased() {
        case "utf8", "utf-8", "unicode-1-1-utf-8": "UTF-8"
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252", "x-cp1252",
             "iso_8859-1", "cp819", "ibm819":
            "windows-1252"
        default: label
        }
    }
}
