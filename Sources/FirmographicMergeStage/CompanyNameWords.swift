import Foundation

/// The words of a company name key that tell the company apart, and whether two names' words
/// are the same company's.
///
/// `"Robinson, Black and Robbins"` and `"Robinson Black & Robbins LLC"` have the same distinctive
/// words (`robinson black robbins`); `"Robinson, Black and Robbins Studio"` has one more, so it is
/// another company, however alike the texts look. Words that say nothing (`and`, `group`,
/// `holdings`, …: `Resources/generic_company_words.txt`) are left out on both sides.
public enum CompanyNameWords {
    /// The shipped list of generic words.
    static let genericWords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "generic_company_words", withExtension: "txt", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "generic_company_words", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled generic_company_words.txt is missing from the FirmographicMergeStage resources")
        }
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    /// The distinctive words of a ``CompanyNameKey/key(_:)``, in order; all its words when every
    /// one is generic ("The International Company" is still a name).
    public static func distinctive(_ key: String) -> [String] {
        let words = key.split(separator: " ").map(String.init)
        let distinctive = words.filter { !genericWords.contains($0) }
        return distinctive.isEmpty ? words : distinctive
    }

    /// How many typing errors a word of `length` characters may carry and still be read as itself:
    /// none up to 4 (one letter changes a short word into another: Brun, Kay, Cook), one up to 9,
    /// two from 10.
    public static func allowedEdits(length: Int) -> Int { length <= 4 ? 0 : length <= 9 ? 1 : 2 }

    /// The number of typing errors (insertions, deletions, substitutions, adjacent swaps) that turn
    /// one word into the other, when the pair can be a typo at all; `nil` when they are different
    /// words. Different words are:
    /// - more edits apart than ``allowedEdits(length:)`` allows for the shorter word;
    /// - words differing in their first letter (rarely mistyped: Pollock & Zamora 1984), or in a digit;
    /// - one word followed by more letters: Roger/Rogers, Brun/Brunet, Morris/Morrison are names of
    ///   their own (patronymics, plurals), not a dropped ending. Only the last letter doubled
    ///   (Globex/Globexx) is read as a typo.
    public static func typoEdits(_ a: String, _ b: String) -> Int? {
        if a == b { return 0 }
        let s = Array(a.utf8), t = Array(b.utf8)
        let limit = allowedEdits(length: min(s.count, t.count))
        guard limit > 0, abs(s.count - t.count) <= limit, s[0] == t[0] else { return nil }
        if s.count != t.count {
            let (short, long) = s.count < t.count ? (s, t) : (t, s)
            if long.starts(with: short), !(long.count == short.count + 1 && long.last == short.last) { return nil }
        }
        if s.contains(where: Self.isDigit) || t.contains(where: Self.isDigit) { return nil }
        let distance = optimalStringAlignment(s, t, limit: limit)
        return distance <= limit ? distance : nil
    }

    /// How every word of `lead` pairs with a word of `candidate` and back (each word used once):
    /// the total typing errors, and the candidate's words in the lead's order; `nil` when some word
    /// on either side has no counterpart: a word present on one side only means another company.
    /// Equal words pair first, then typos.
    public static func pairing(_ lead: [String], _ candidate: [String]) -> (edits: Int, aligned: [String])? {
        guard lead.count == candidate.count else { return nil }
        var aligned = [String?](repeating: nil, count: lead.count)
        var left = candidate
        for (i, word) in lead.enumerated() {
            if let j = left.firstIndex(of: word) {
                aligned[i] = word
                left.remove(at: j)
            }
        }
        var edits = 0
        for (i, word) in lead.enumerated() where aligned[i] == nil {
            // The closest remaining word, so that a typo is not spent on the wrong partner.
            var best: (index: Int, edits: Int)?
            for (j, other) in left.enumerated() {
                if let e = typoEdits(word, other), e < (best?.edits ?? .max) { best = (j, e) }
            }
            guard let best else { return nil }
            edits += best.edits
            aligned[i] = left.remove(at: best.index)
        }
        return (edits, aligned.map { $0! })
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Optimal-string-alignment distance (Damerau–Levenshtein without re-editing a swapped pair),
    /// stopping early once every path exceeds `limit`.
    static func optimalStringAlignment(_ s: [UInt8], _ t: [UInt8], limit: Int) -> Int {
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }

    /// Every string made from `word` by deleting up to `depth` characters (the word itself
    /// included): two words within `depth` typing errors share one (Garbe's symmetric delete).
    static func deletions(of word: [UInt8], depth: Int) -> Set<[UInt8]> {
        var found: Set<[UInt8]> = [word]
        var frontier: Set<[UInt8]> = [word]
        for _ in 0..<depth {
            var next: Set<[UInt8]> = []
            for text in frontier where text.count > 1 {
                for i in text.indices {
                    var shorter = text
                    shorter.remove(at: i)
                    if found.insert(shorter).inserted { next.insert(shorter) }
                }
            }
            frontier = next
        }
        return found
    }
}
