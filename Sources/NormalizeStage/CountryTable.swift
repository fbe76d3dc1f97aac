import Foundation

/// A country of ISO 3166-1 with what phone normalization needs.
struct Country: Sendable {
    var alpha2: String
    var alpha3: String
    var name: String
    /// Country calling code without `+` (`44`).
    var callingCode: String
    /// The national trunk prefix dialled before a national number (`0` in the UK, `1` in the US), if any.
    var trunkPrefix: String
    /// Possible lengths of national significant numbers.
    var numberLengths: [Int]
}

/// ISO 3166-1 countries from `Resources/countries.tsv` (sources and licences in its header), looked up
/// by code, name or everyday alias (`USA`, `Deutschland`, `U.K.`), case and accents ignored.
final class CountryTable: Sendable {
    let countries: [Country]
    private let byKey: [String: Int]
    private let byCallingCode: [String: [Int]]

    static let shared: CountryTable = {
        guard let url = Bundle.module.url(forResource: "countries", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled countries.tsv is missing from the NormalizeStage resources")
        }
        return CountryTable(tsv: text)
    }()

    init(tsv: String) {
        var countries: [Country] = []
        var byKey: [String: Int] = [:]
        var byCallingCode: [String: [Int]] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6 else { continue }
            let index = countries.count
            countries.append(Country(alpha2: f[0], alpha3: f[1], name: f[2], callingCode: f[3], trunkPrefix: f[4],
                                     numberLengths: f[5].split(separator: ",").compactMap { Int($0) }))
            var keys = [f[0], f[1], f[2]]
            if f.count > 6 { keys += f[6].split(separator: "|").map(String.init) }
            for key in keys {
                let k = Self.key(key)
                // Codes and names keep the first country that claims them (GB before its islands).
                if byKey[k] == nil { byKey[k] = index }
            }
            if !f[3].isEmpty { byCallingCode[f[3], default: []].append(index) }
        }
        self.countries = countries
        self.byKey = byKey
        self.byCallingCode = byCallingCode
    }

    /// The country a value names: `us`, `USA`, `United States`, `Deutschland`, `U.K.`.
    func lookup(_ value: String) -> Country? {
        byKey[Self.key(value)].map { countries[$0] }
    }

    /// Countries sharing a calling code (`1` → US, CA and the rest of the NANP).
    func countries(callingCode: String) -> [Country] {
        (byCallingCode[callingCode] ?? []).map { countries[$0] }
    }

    /// Lower-case, accents folded, dots and extra spaces dropped: `U.S.A.` → `usa`, `España` → `espana`.
    static func key(_ value: String) -> String {
        TextCleanup.foldedKey(value).filter { $0 != "." }.split(separator: " ").joined(separator: " ")
    }
}
