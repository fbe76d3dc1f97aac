import DomainNames
import LeadFacts
import Foundation

/// How one field of two records is compared: each comparator sorts a pair into a few ordered
/// agreement levels, from `different` (level 0) to `exact` (the last level).
///
/// Fellegi–Sunter learns how much each level says about a match; the comparator only decides
/// which level a pair falls into.
public enum ComparatorKind: String, CaseIterable, Sendable {
    /// Equal after folding case, accents and punctuation, or not.
    case exact
    /// Given or family names: Jaro–Winkler, nicknames (Bob/Robert) and initials (R./Robert).
    case name
    /// Free text: edit distance, Jaro–Winkler and word-set overlap.
    case string
    /// Company names: like `string` on the run's company key (``CompanyKey``: legal forms and a leading "the" dropped).
    case company
    /// Email addresses by mailbox identity (plus-tags and Gmail dots folded; role mailboxes ignored).
    /// Two different mailboxes at one employer's domain are a level of their own: a work mailbox belongs to one person.
    case email
    /// Phone numbers by their last nine digits (country prefixes and formatting ignored).
    case phone
    /// Website, host or domain, by registrable domain (`www.shop.acme.co.uk` → `acme.co.uk`).
    case domain
    /// Dates by their digits (YYYYMMDD): exact, one typo, same year.
    case date
    /// Numbers: exact, within 1 %, within 10 %.
    case numeric
    /// Street addresses: common abbreviations unified (Street → st), then like `string`.
    case address

    /// The names of the agreement levels, from level 0 up.
    package var levelNames: [String] {
        switch self {
        case .exact, .domain: ["different", "exact"]
        case .name: ["different", "initial", "similar", "nickname", "typo", "exact"]
        case .string, .company, .address: ["different", "similar", "typo", "exact"]
        case .email: ["different", "personal_vs_work", "same_domain_other_mailbox", "exact"]
        case .phone: ["different", "typo", "exact"]
        case .date: ["different", "same_year", "typo", "exact"]
        case .numeric: ["different", "within_10_percent", "within_1_percent", "exact"]
        }
    }

    /// Levels that speak against a match (EM starts them unlikely among matches): level 0, and for
    /// email a different mailbox at the same employer, because a work mailbox belongs to one person.
    package var disagreementLevels: Set<Int> {
        self == .email ? [0, 2] : [0]
    }

    /// Levels whose u is taken from the blocked pairs' own non-matches rather than from random pairs.
    ///
    /// Two mailboxes at one employer's domain almost never occur between random rows, so against random
    /// pairs the level would look like strong evidence for a match; the people it really separates are
    /// colleagues, among whom it is the norm.
    package var blockConditionalLevels: [Int] {
        self == .email ? [2] : []
    }

    /// The number of agreement levels.
    package var levelCount: Int { levelNames.count }

    /// Sequences of levels from looser to closer agreement: along each, a level's weight never exceeds the next
    /// one's (``WeightGuard``). Email's levels are kinds of disagreement, not steps towards the same mailbox, so
    /// each only has to stay below `exact`.
    package var closenessChains: [[Int]] {
        switch self {
        case .email: [[0, 3], [1, 3], [2, 3]]
        default: [Array(0..<levelCount)]
        }
    }

    /// Whether a person has one value of this kind, so a different value contradicts the other fields'
    /// agreement (a given or family name, a date of birth). Phones, emails and cities are not: people have
    /// several and change them.
    package var isSingleValued: Bool { self == .name || self == .date }

    /// The levels colleagues share merely by working at one employer, counted as missing when the employer
    /// already agrees (``FieldSpec/impliedBy``): the same city or country, the same company, a phone number
    /// one digit away from a colleague's direct line.
    package var colleagueLevels: ClosedRange<Int> {
        switch self {
        case .phone: 1...1
        default: 1...(levelCount - 1)
        }
    }

    /// m per level known to be sane for people lists, used when EM fails for a field (did not converge, or
    /// learned that a looser agreement is better evidence than an exact one): most matches agree exactly,
    /// a few by a typo, nickname or initial; multi-valued fields (phone, email) often differ for one person.
    package var priorM: [Double] {
        switch self {
        case .exact, .domain: [0.08, 0.92]
        case .name: [0.03, 0.02, 0.03, 0.04, 0.06, 0.82]
        case .string, .company, .address: [0.06, 0.05, 0.05, 0.84]
        case .email: [0.10, 0.22, 0.02, 0.66]
        case .phone: [0.30, 0.02, 0.68]
        case .date: [0.04, 0.03, 0.06, 0.87]
        case .numeric: [0.08, 0.06, 0.06, 0.80]
        }
    }

    /// u per level for two unrelated people, from what comparing people lists shows in general rather than from the
    /// list at hand: a list of a few hundred rows has too few pairs to measure rare agreements, and its own
    /// duplicates make up much of what it has (``SmallListPrior``). Given and family names share one figure (an
    /// exact agreement about 1 in 200: the sum of squared name frequencies lies between 0.1 % and 1 %); an email
    /// mailbox or a phone number is one person's; one birth date in tens of thousands. `exact` fields (a country
    /// as much as a profile URL) make no claim: an even split, so an exact agreement weighs under one bit until the
    /// list measures more.
    package var priorU: [Double] {
        switch self {
        case .exact: [0.5, 0.5]
        case .name: [0.932, 0.05, 0.01, 0.001, 0.002, 0.005]
        case .string, .company, .address: [0.987, 0.01, 0.001, 0.002]
        case .email: [0.68999, 0.3, 0.01, 0.000_01]
        case .phone: [0.9998, 0.0001, 0.0001]
        case .domain: [0.995, 0.005]
        case .date: [0.9789, 0.02, 0.001, 0.0001]
        case .numeric: [0.88, 0.1, 0.01, 0.01]
        }
    }

    /// The level meaning "equal after normalization".
    package var exactLevel: UInt8 { UInt8(levelCount - 1) }

    /// The comparison key of a raw value: what counts as "the same value". Empty means missing.
    func key(of raw: String, companyKey: CompanyKey = .standard) -> [UInt8] {
        switch self {
        case .exact, .string: return FoldedText.fold(raw)
        case .name:
            return FoldedText.fold(raw, keepDigits: false)
        case .company: return Array(companyKey.key(raw).utf8)
        case .address: return AddressText.key(raw)
        case .email:
            guard let identity = EmailIdentity(raw), !identity.isRole else { return [] }
            return Array(identity.key.utf8)
        case .phone:
            let digits = FoldedText.digits(raw)
            // Fewer than 7 digits is an extension or junk, not a number that identifies anyone.
            guard digits.count >= 7 else { return [] }
            return Array(digits.suffix(9))
        case .domain:
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return [] }
            let host: String?
            if let at = trimmed.lastIndex(of: "@") { host = HostName.asciiForm(String(trimmed[trimmed.index(after: at)...])) }
            else { host = HostName.fromWebsite(trimmed) }
            guard let host else { return FoldedText.fold(trimmed, keepSymbols: true) }
            return Array((PublicSuffixList.shared.registrableDomain(of: host) ?? host).utf8)
        case .date: return DateDigits.key(raw)
        case .numeric:
            let cleaned = raw.filter { $0.isNumber || $0 == "." || $0 == "-" }
            guard let value = Double(cleaned) else { return [] }
            return Array(String(value).utf8)
        }
    }
}

/// Street-address keys with the usual abbreviations unified.
package enum AddressText {
    static let abbreviations: [String: String] = [
        "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "place": "pl", "drive": "dr", "court": "ct",
        "crescent": "cres", "lane": "ln", "boulevard": "blvd", "terrace": "tce", "highway": "hwy", "parade": "pde",
        "circuit": "cct", "close": "cl", "square": "sq", "north": "n", "south": "s", "east": "e", "west": "w",
        "apartment": "apt", "suite": "ste", "floor": "fl", "unit": "u", "mount": "mt", "saint": "st",
    ]

    /// The folded address with abbreviations applied word by word.
    public static func key(_ address: String) -> [UInt8] {
        let folded = FoldedText.fold(address)
        let words = FoldedText.tokens(folded).map { token -> [UInt8] in
            let word = String(decoding: token, as: UTF8.self)
            return Array((abbreviations[word] ?? word).utf8)
        }
        return Array(words.joined(separator: [0x20]))
    }
}

/// Date keys: `YYYYMMDD` digits from ISO dates, compact dates or timestamps.
package enum DateDigits {
    /// The date's digits; ISO `2024-01-05T10:00Z` gives `20240105`, `19560409` stays as is.
    public static func key(_ raw: String) -> [UInt8] {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        let datePart = trimmed.split(whereSeparator: { $0 == "T" || $0 == " " }).first.map(String.init) ?? trimmed
        let parts = datePart.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        if parts.count == 3, parts[0].count == 4 {
            return Array((String(parts[0]) + pad(parts[1]) + pad(parts[2])).utf8)
        }
        return FoldedText.digits(datePart)
    }

    private static func pad(_ s: Substring) -> String { s.count == 1 ? "0" + s : String(s) }
}
