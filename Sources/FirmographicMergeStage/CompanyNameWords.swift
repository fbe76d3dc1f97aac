import Foundation
import LeadFacts

/// The words of a company name key that tell the company apart, and whether two names' words
/// are the same company's.
///
/// `"Robinson, Black and Robbins"` and `"Robinson Black & Robbins LLC"` have the same distinctive
/// words (`robinson black robbins`); `"Robinson, Black and Robbins Studio"` has one more, so it is
/// another company, however alike the texts look. Words that say nothing (`and`, `group`,
/// `holdings`, …: `Resources/generic_company_words.txt`) are left out on both sides.
package enum CompanyNameWords {
    /// The shipped list of generic words.
    static let genericWords: Set<String> = {
        guard let text = EmbeddedResources.text("generic_company_words.txt") else {
            fatalError("generic_company_words.txt is not among the FirmographicMergeStage embedded resources")
        }
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    /// The distinctive words of a company key (``CompanyKey``), in order; all its words when every
    /// one is generic ("The International Company" is still a name). A generic word or legal form
    /// with a typing error ("Holdibgs", "Incc", "Lmited") is as generic as the word.
    public static func distinctive(_ key: String) -> [String] {
        let words = key.split(separator: " ").map(String.init)
        let distinctive = words.filter { !genericWords.contains($0) && !misspeltGenericWords.contains($0) }
        return distinctive.isEmpty ? words : distinctive
    }

    /// Generic words and legal forms with one typing error of the kinds that keep the first letter:
    /// a letter doubled or two neighbours swapped (any word of 3 letters or more), and in words of
    /// 5 letters or more also a letter changed, dropped or added. Shorter words change too easily
    /// into real words ("and" → "ant") to be read through a change, drop or addition.
    static let misspeltGenericWords: Set<String> = {
        let plain = genericWords.union(CompanyKey.shippedLegalForms.filter { !$0.contains(" ") }).filter { $0.utf8.count >= 3 }
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var variants: Set<String> = []
        for word in plain {
            let w = Array(word.utf8)
            var found: [[UInt8]] = []
            for i in w.indices {
                var doubled = w
                doubled.insert(w[i], at: i)
                found.append(doubled)
                if i >= 1, i + 1 < w.count {
                    var swapped = w
                    swapped.swapAt(i, i + 1)
                    found.append(swapped)
                }
            }
            if w.count >= 5 {
                for i in 1..<w.count {
                    var dropped = w
                    dropped.remove(at: i)
                    found.append(dropped)
                    for letter in letters {
                        var changed = w
                        changed[i] = letter
                        found.append(changed)
                    }
                }
                for i in 1...w.count {
                    for letter in letters {
                        var added = w
                        added.insert(letter, at: i)
                        found.append(added)
                    }
                }
            }
            for variant in found { variants.insert(String(decoding: variant, as: UTF8.self)) }
        }
        return variants.subtracting(plain)
    }()

    /// How many typing errors a word of `length` characters may carry and still be read as itself:
    /// none up to 4 (one letter changes a short word into another: Brun, Kay, Cook), one up to 9,
    /// two from 10.
    package static func allowedEdits(length: Int) -> Int { length <= 4 ? 0 : length <= 9 ? 1 : 2 }

    /// The number of typing errors (insertions, deletions, substitutions, adjacent swaps) that turn
    /// one word into the other, when the pair can be a typo at all; `nil` when they are different
    /// words. Different words are:
    /// - more edits apart than ``allowedEdits(length:)`` allows for the shorter word;
    /// - words differing in their first letter (rarely mistyped: Pollock & Zamora 1984), or in a digit;
    /// - one word followed by more letters: Roger/Rogers, Brun/Brunet, Morris/Morrison are names of
    ///   their own (patronymics, plurals), not a dropped ending. Only the last letter doubled
    ///   (Globex/Globexx) is read as a typo.
    package static func typoEdits(_ a: String, _ b: String) -> Int? {
        if a == b { return 0 }
        let s = Array(a.utf8), t = Array(b.utf8)
        let limit = allowedEdits(length: min(s.count, t.count))
        guard limit > 0, abs(s.count - t.count) <= limit, s[0] == t[0] else { return nil }
        if s.count != t.count {
            let (short, long) = s.count < t.count ? (s, t) : (t, s)
            if long.starts(with: short), !(long.count == short.count + 1 && long.last == short.last) { return nil }
        }
        if s.contains(where: Self.isDigit) || t.contains(where: Self.isDigit) { return nil }
        let distance = EditDistance.distance(s, t, limit: limit)
        return distance <= limit ? distance : nil
    }

    /// The total typing errors that pair every word of `lead` with the word of `candidate` in the
    /// same place, or `nil` when some word has no counterpart: a word present on one side only
    /// means another company, and so does another order ("Perez-Davis" is not "Davis-Perez").
    /// - Parameter isKnownWord: whether a word is known as written (several reference companies use
    ///   it). Two known words are two names, however close (Johnson and Johnston), never a typo:
    ///   spelling correction reads a typo only where one of the two is not a word.
    package static func pairing(_ lead: [String], _ candidate: [String], isKnownWord: (String) -> Bool = { _ in false }) -> Int? {
        guard lead.count == candidate.count else { return nil }
        var edits = 0
        for (word, other) in zip(lead, candidate) where word != other {
            guard let e = typoEdits(word, other), !(isKnownWord(word) && isKnownWord(other)) else { return nil }
            edits += e
        }
        return edits
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

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
