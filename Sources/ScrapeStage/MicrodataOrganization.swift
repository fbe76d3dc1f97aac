import Web

/// Reads schema.org organization facts from a page's microdata (`itemscope`/`itemprop`), by turning
/// each item into the same shape as a JSON-LD object so ``JSONLDOrganization`` reads both alike.
enum MicrodataOrganization {
    /// The first organization item of the page (nested items searched too), as a JSON-LD-shaped object.
    static func first(in items: [MicrodataItem]) -> [String: Any]? {
        JSONLDOrganization.search(items.map(object))
    }

    /// `{"@type": [...], "name": "…", "address": {…}}`; a property given twice becomes a list.
    static func object(_ item: MicrodataItem) -> [String: Any] {
        var out: [String: Any] = ["@type": item.types]
        for (name, value) in item.properties {
            let converted: Any = switch value {
            case .text(let text): text
            case .item(let nested): object(nested)
            }
            switch out[name] {
            case nil: out[name] = converted
            case var list as [Any] where name != "@type": list.append(converted); out[name] = list
            case let single?: out[name] = [single, converted]
            }
        }
        return out
    }
}
