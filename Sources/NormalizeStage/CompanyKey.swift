/// A key that matches spellings of the same company: lower case, no diacritics or punctuation,
/// legal-form suffixes removed: `Acme, Inc.` / `ACME Incorporated` / `Acme` → `acme`.
struct CompanyKey: Sendable {
    /// Legal forms, written as their words after punctuation is dropped (`S.A.` → `s a` → `sa`).
    static let defaultSuffixes: [String] = [
        "inc", "incorporated", "llc", "l l c", "ltd", "limited", "corp", "corporation", "co", "company", "plc",
        "gmbh", "gmbh co kg", "gmbh co", "ag", "kg", "ohg", "ug", "se", "sa", "s a", "sas", "sarl", "sprl", "srl", "spa", "s p a",
        "sl", "s l", "bv", "b v", "nv", "n v", "oy", "oyj", "ab", "as", "a s", "asa", "aps", "pty", "pty ltd",
        "pte", "pte ltd", "kk", "k k", "lp", "llp", "pc", "pllc", "sa de cv", "s a de c v", "ltda", "sro", "s r o",
        "spzoo", "sp z o o", "zrt", "kft", "doo", "d o o",
    ]

    private let suffixes: [[Substring]]

    init(extraSuffixes: [String] = []) {
        let all = Self.defaultSuffixes + extraSuffixes.map { Self.words(TextCleanup.foldedKey($0)).joined(separator: " ") }
        // Longest first, so `pty ltd` goes before `ltd`.
        suffixes = all.map { $0.split(separator: " ") }.sorted { $0.count > $1.count }
    }

    func key(_ company: String) -> String {
        var words = Self.words(TextCleanup.foldedKey(company))
        if words.first == "the" && words.count > 1 { words.removeFirst() }
        var stripped = true
        while stripped && words.count > 1 {
            stripped = false
            for suffix in suffixes where suffix.count < words.count && words.suffix(suffix.count).elementsEqual(suffix) {
                words.removeLast(suffix.count)
                stripped = true
                break
            }
        }
        return words.joined(separator: " ")
    }

    /// Words of letters and digits; `&` and punctuation separate words and are dropped.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }
}
