import Foundation

/// The ISO 3166-1 country a value names, read with normalize's one country table (codes, names and
/// everyday aliases: `de`, `DEU`, `Germany`, `Deutschland`), so other stages read countries the same way
/// normalize writes `norm_country`.
public enum CountryNames {
    /// The alpha-2 code (`DE`) of a country code or name; `nil` when the value names no country.
    public static func alpha2(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return CountryTable.shared.lookup(trimmed)?.alpha2
    }
}
