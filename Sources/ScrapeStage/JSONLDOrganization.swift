import Foundation

/// Reads schema.org organization facts from a page's JSON-LD blocks.
enum JSONLDOrganization {
    /// The first organization object found in the blocks' text, searching `@graph` and nested arrays.
    static func first(in blocks: [String]) -> [String: Any]? {
        for block in blocks {
            guard let data = block.trimmingCharacters(in: .whitespacesAndNewlines).data(using: .utf8),
                  let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { continue }
            if let found = search(json) { return found }
        }
        return nil
    }

    /// The first organization object in `json` (a JSON-LD value, or a microdata item read as one).
    static func search(_ json: Any) -> [String: Any]? {
        if let array = json as? [Any] {
            for item in array { if let found = search(item) { return found } }
            return nil
        }
        guard let object = json as? [String: Any] else { return nil }
        if isOrganization(object["@type"]) { return object }
        if let graph = object["@graph"], let found = search(graph) { return found }
        for key in ["publisher", "provider", "brand", "author", "mainEntity"] {
            if let nested = object[key], let found = search(nested) { return found }
        }
        return nil
    }

    private static func isOrganization(_ type: Any?) -> Bool {
        let names: [String] = (type as? String).map { [$0] } ?? (type as? [Any])?.compactMap { $0 as? String } ?? []
        return names.contains(where: SchemaOrgTypes.isOrganization)
    }

    /// A text value: a string, a number, or an object's `name`/`url`/`value`.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let array as [Any]: return array.lazy.compactMap { text($0) }.first
        case let object as [String: Any]:
            return text(object["url"] ?? object["contentUrl"] ?? object["name"] ?? object["value"] ?? object["@id"])
        default: return nil
        }
    }

    /// `numberOfEmployees`: a number, a string, or a QuantitativeValue with `value` or `minValue`/`maxValue`.
    static func employees(_ value: Any?) -> String? {
        if let object = value as? [String: Any] {
            if let exact = text(object["value"]) { return exact }
            let low = text(object["minValue"]), high = text(object["maxValue"])
            switch (low, high) {
            case (let l?, let h?): return "\(l)-\(h)"
            case (let l?, nil): return "\(l)+"
            case (nil, let h?): return "<=\(h)"
            default: return nil
            }
        }
        return text(value)
    }

    /// `sameAs`: a string or a list of strings.
    static func links(_ value: Any?) -> [String] {
        if let s = value as? String { return [s] }
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// `address`: a PostalAddress object (or the first of a list), or a plain string as the street.
    static func address(_ value: Any?) -> [String: String] {
        if let s = value as? String { return ["streetAddress": s] }
        if let list = value as? [Any], let first = list.first { return address(first) }
        guard let object = value as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for key in ["streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry"] {
            if let v = text(object[key]) { out[key] = v }
        }
        return out
    }
}
