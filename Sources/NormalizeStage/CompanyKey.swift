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

    /// Suffixes by their last word, each as its words, longest first (`pty ltd` is tried before `ltd`):
    /// one hash lookup per company whose last word is no legal form, which is most of them.
    private let suffixesByLastWord: [Substring: [[Substring]]]

    init(extraSuffixes: [String] = []) {
        let all = Self.defaultSuffixes + extraSuffixes.map { Self.words(TextCleanup.foldedKey($0)).joined(separator: " ") }
        var byLastWord: [Substring: [[Substring]]] = [:]
        for suffix in Set(all) {
            let words = suffix.split(separator: " ")
            guard let last = words.last else { continue }
            byLastWord[last, default: []].append(words)
        }
        suffixesByLastWord = byLastWord.mapValues { $0.sorted { $0.count > $1.count } }
    }

    func key(_ company: String) -> String {
        var words = Self.words(TextCleanup.foldedKey(company))
        if words.first == "the" && words.count > 1 { words.removeFirst() }
        while words.count > 1, let candidates = suffixesByLastWord[words[words.count - 1]],
              let suffix = candidates.first(where: { $0.count < words.count && words.suffix($0.count).elementsEqual($0) }) {
            words.removeLast(suffix.count)
        }
        return words.joined(separator: " ")
    }

    /// Words of letters and digits; `&` and punctuation separate words and are dropped.
    static func words(_ text: String) -> [Substring] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split(whereSeparator: { b in !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A)) })
                .map { Substring($0) }
        }
        return text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }
}
