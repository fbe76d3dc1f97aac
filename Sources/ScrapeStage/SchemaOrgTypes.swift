import Foundation

/// The schema.org type hierarchy below `Organization`, from the bundled `schemaorg-organization-types.tsv`
/// (schema.org release 30.0; source and licence in its header and in Resources/NOTICE.md).
///
/// A JSON-LD or microdata item describes the company when its type is `Organization` or any type that
/// reaches it through `subTypeOf` (`AutoRepair` → `AutomotiveBusiness` → `LocalBusiness` → `Organization`).
enum SchemaOrgTypes {
    /// Lower-cased names of `Organization` and every type below it.
    static let organizationTypes: Set<String> = {
        guard let text = EmbeddedResources.text("schemaorg-organization-types.tsv") else { return ["organization"] }
        return parse(text)
    }()

    /// The types of a `TYPE<TAB>SUPERTYPES` listing that reach `Organization`, lower-cased, `organization` included.
    static func parse(_ text: String) -> Set<String> {
        var parents: [String: [String]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t")
            guard columns.count == 2 else { continue }
            parents[columns[0].lowercased()] = columns[1].split(separator: ",").map { $0.lowercased() }
        }
        var known: [String: Bool] = ["organization": true]
        func reaches(_ type: String, _ path: Set<String>) -> Bool {
            if let answer = known[type] { return answer }
            guard !path.contains(type) else { return false }   // a cycle in the data would otherwise recurse for ever
            let answer = (parents[type] ?? []).contains { reaches($0, path.union([type])) }
            known[type] = answer
            return answer
        }
        return Set(parents.keys.filter { reaches($0, []) } + ["organization"])
    }

    /// Whether a `@type` or `itemtype` value names an organization type: `LocalBusiness`,
    /// `https://schema.org/Bakery`, `schema:Corporation`, `http://schema.org/OnlineStore`.
    static func isOrganization(_ name: String) -> Bool {
        var short = Substring(name.trimmingCharacters(in: .whitespaces))
        if let slash = short.lastIndex(where: { $0 == "/" || $0 == "#" || $0 == ":" }) { short = short[short.index(after: slash)...] }
        return organizationTypes.contains(short.lowercased())
    }
}
