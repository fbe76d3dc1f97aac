import LeadFacts
/// The reference companies of every source, by their distinctive name words, so that a lead
/// without a domain is joined to the best company across all sources at once (and then to each
/// source's row of that company), never to a near name of another company.
///
/// A company here is a distinct sequence of ``CompanyNameWords/distinctive(_:)`` words: rows of
/// different sources with the same words are the same company, and their fields go through the
/// waterfall together.
final class NameJoinIndex: Sendable {
    struct Company: Sendable {
        /// The distinctive words, and the same joined by spaces.
        let words: [String]
        let text: String
        /// Per source, the company's first row, or -1.
        var rows: [Int32]
        /// Whether one source has rows of these words with different domains: two companies of
        /// one name, which a name cannot tell apart.
        var sharedByCompanies = false
        /// Per source, the domain of the company's first row that has one.
        var domains: [String]
    }

    /// What a lead's company name joins.
    enum Match: Equatable {
        case none
        /// The company, how it was found, and its score (1 for equal words, else the Jaro–Winkler
        /// similarity of the distinctive words).
        case company(Int32, kind: Kind, score: Double)
        /// Two or more companies equally good.
        case ambiguous([Int32])
    }

    enum Kind: String, Sendable, CaseIterable {
        /// The lead's key is a reference row's key.
        case exactKey = "exact_key"
        /// The same distinctive words, but not the same key (generic words or their order differ).
        case sameWords = "same_words"
        /// Every word paired, some through a typing error.
        case typo
    }

    let companies: [Company]
    /// Per source, each row's company, or -1 when the row has no name.
    let companyOfRow: [[Int32]]
    /// Distinct distinctive words, and per word the companies that have it.
    private let wordNumbers: [String: Int32]
    private let words: [String]
    private let companiesWithWord: [[Int32]]
    /// Every deletion variant of every word that may carry a typo → the words it comes from.
    private let wordsByDeletion: [String: [Int32]]

    init(sources: [ReferenceSource]) {
        var builder = Builder(sourceCount: sources.count)
        var companyOfRow = sources.map { [Int32](repeating: -1, count: $0.rowNameKeys.count) }
        for (s, source) in sources.enumerated() {
            for (r, key) in source.rowNameKeys.enumerated() where !key.isEmpty {
                companyOfRow[s][r] = builder.add(row: Int32(r), key: key, domain: source.rowDomains[r], source: s)
            }
        }
        companies = builder.companies
        self.companyOfRow = companyOfRow
        wordNumbers = builder.wordNumbers
        words = builder.words
        companiesWithWord = builder.companiesWithWord
        wordsByDeletion = builder.wordsByDeletion
    }

    /// The index's tables while the sources are read.
    private struct Builder {
        let sourceCount: Int
        var companies: [Company] = []
        var numbers: [String: Int32] = [:]
        var wordNumbers: [String: Int32] = [:]
        var words: [String] = []
        var companiesWithWord: [[Int32]] = []
        var wordsByDeletion: [String: [Int32]] = [:]

        init(sourceCount: Int) { self.sourceCount = sourceCount }

        /// Files a row under its company (created on first sight); returns the company's number.
        mutating func add(row: Int32, key: String, domain: String, source s: Int) -> Int32 {
            let distinctive = CompanyNameWords.distinctive(key)
            let text = distinctive.joined(separator: " ")
            let number: Int32
            if let known = numbers[text] {
                number = known
            } else {
                number = Int32(companies.count)
                numbers[text] = number
                companies.append(Company(words: distinctive, text: text, rows: Array(repeating: -1, count: sourceCount),
                                         domains: Array(repeating: "", count: sourceCount)))
                for word in Set(distinctive) { addWord(word, company: number) }
            }
            let c = Int(number)
            if companies[c].rows[s] < 0 {
                companies[c].rows[s] = row
                companies[c].domains[s] = domain
            } else if !domain.isEmpty {
                // A second row of the same words in one source: the same company unless both have domains that differ.
                if companies[c].domains[s].isEmpty {
                    companies[c].domains[s] = domain
                } else if companies[c].domains[s] != domain {
                    companies[c].sharedByCompanies = true
                }
            }
            return number
        }

        private mutating func addWord(_ word: String, company: Int32) {
            if let number = wordNumbers[word] {
                companiesWithWord[Int(number)].append(company)
                return
            }
            let number = Int32(words.count)
            wordNumbers[word] = number
            words.append(word)
            companiesWithWord.append([company])
            let bytes = Array(word.utf8)
            let depth = CompanyNameWords.allowedEdits(length: bytes.count)
            guard depth > 0 else { return }
            for variant in CompanyNameWords.deletions(of: bytes, depth: depth) {
                wordsByDeletion[String(decoding: variant, as: UTF8.self), default: []].append(number)
            }
        }
    }

    /// Whether a word is known as written: two or more reference companies use it, and a typing
    /// error is rarely made the same way twice.
    private func isKnown(_ word: String) -> Bool { wordNumbers[word].map { companiesWithWord[Int($0)].count >= 2 } ?? false }

    /// The reference words a lead word may stand for: itself, and the words within its typo
    /// allowance unless both are known words (two names, not a typo).
    private func counterparts(of word: String) -> [(word: Int32, edits: Int)] {
        var found: [(word: Int32, edits: Int)] = []
        if let exact = wordNumbers[word] { found.append((exact, 0)) }
        let known = isKnown(word)
        let bytes = Array(word.utf8)
        let depth = CompanyNameWords.allowedEdits(length: bytes.count)
        guard depth > 0 else { return found }
        var seen: Set<Int32> = Set(found.map(\.word))
        for variant in CompanyNameWords.deletions(of: bytes, depth: depth) {
            for number in wordsByDeletion[String(decoding: variant, as: UTF8.self)] ?? [] where seen.insert(number).inserted {
                guard !(known && companiesWithWord[Int(number)].count >= 2) else { continue }
                if let edits = CompanyNameWords.typoEdits(word, words[Int(number)]), edits > 0 { found.append((number, edits)) }
            }
        }
        return found
    }

    /// The company a lead's name key joins among the sources where `eligible` is true.
    /// - Parameters:
    ///   - exactRows: per source, the row whose key is the lead's key (or -1), from the sources' key index.
    ///   - fuzzy: whether words may differ (generic words, order, typos); otherwise only an equal key joins.
    ///   - threshold: the lowest score a match other than an equal key may have.
    func match(key: String, exactRows: [Int32], eligible: [Bool], fuzzy: Bool, threshold: Double) -> Match {
        // An equal key anywhere beats any near name.
        for s in exactRows.indices where eligible[s] && exactRows[s] >= 0 {
            let company = companyOfRow[s][Int(exactRows[s])]
            return companies[Int(company)].sharedByCompanies ? .ambiguous([company]) : .company(company, kind: .exactKey, score: 1)
        }
        guard fuzzy else { return .none }
        let leadWords = CompanyNameWords.distinctive(key)
        guard !leadWords.isEmpty else { return .none }
        // Every lead word needs a counterpart, so the candidates are the companies holding a
        // counterpart of the word that has the fewest of them.
        var narrowest: [(word: Int32, edits: Int)]?
        var narrowestCount = Int.max
        for word in Set(leadWords) {
            let found = counterparts(of: word)
            let count = found.reduce(0) { $0 + companiesWithWord[Int($1.word)].count }
            if count == 0 { return .none }
            if count < narrowestCount { (narrowest, narrowestCount) = (found, count) }
        }
        let leadText = leadWords.joined(separator: " ")
        var best: [(company: Int32, edits: Int, score: Double)] = []
        var checked: Set<Int32> = []
        for counterpart in narrowest ?? [] {
            for company in companiesWithWord[Int(counterpart.word)] where checked.insert(company).inserted {
                let candidate = companies[Int(company)]
                guard candidate.words.count == leadWords.count,
                      candidate.rows.indices.contains(where: { eligible[$0] && candidate.rows[$0] >= 0 }),
                      let edits = CompanyNameWords.pairing(leadWords, candidate.words, isKnownWord: isKnown)
                else { continue }
                let score = candidate.text == leadText ? 1 : JaroWinkler.similarity(Array(leadText.utf8), Array(candidate.text.utf8))
                guard score >= threshold else { continue }
                // Fewer typing errors first; Jaro–Winkler only among equals; equal to 3 decimals is a tie.
                let rounded = (score * 1000).rounded()
                if let top = best.first {
                    let topRounded = (top.score * 1000).rounded()
                    if edits > top.edits || (edits == top.edits && rounded < topRounded) { continue }
                    if edits < top.edits || rounded > topRounded { best.removeAll() }
                }
                best.append((company, edits, score))
            }
        }
        guard let top = best.first else { return .none }
        if best.count > 1 || companies[Int(top.company)].sharedByCompanies {
            return .ambiguous(best.map(\.company).sorted())
        }
        return .company(top.company, kind: top.edits == 0 ? .sameWords : .typo, score: top.score)
    }
}
