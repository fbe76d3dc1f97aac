/// A blocking rule: rows are compared only with rows that share the rule's key.
///
/// Written in the pipeline file as terms joined by `+`, each a field (or column) name with an
/// optional transform: `email_key`, `last_name.soundex + company_key`, `postcode`, `dob.year + surname.prefix3`.
/// A row with any term missing is not blocked by the rule.
public struct BlockingRule: Sendable, Equatable, CustomStringConvertible {
    /// One `name.transform` term.
    package struct Term: Sendable, Equatable {
        /// A field name, a column name, or `<field>_key`.
        public var source: String
        public var transform: BlockingTransform
    }

    /// The rule as written.
    public var text: String
    package var terms: [Term]
    /// Terms joined by `&` rather than `+` match in any order across fields: `given_name & surname`
    /// puts "Kyra Wilde" and "Wilde Kyra" in one block.
    package var isUnordered: Bool

    public var description: String { text }

    /// Parses `a.soundex + b`; throws a message naming the bad part.
    public init(_ text: String) throws(BlockingRuleError) {
        self.text = text
        var terms: [Term] = []
        isUnordered = text.contains("&")
        if isUnordered && text.contains("+") { throw BlockingRuleError("blocking rule '\(text)' mixes + and &; use one") }
        for part in text.split(whereSeparator: { $0 == "+" || $0 == "&" }) {
            let piece = part.trimmingCharacters(in: .whitespaces)
            guard !piece.isEmpty else { throw BlockingRuleError("empty term in blocking rule '\(text)'") }
            let pieces = piece.split(separator: ".", maxSplits: 1).map(String.init)
            let transform: BlockingTransform
            if pieces.count == 2 {
                guard let parsed = BlockingTransform(pieces[1]) else {
                    throw BlockingRuleError("unknown transform '\(pieces[1])' in blocking rule '\(text)'; use one of \(BlockingTransform.names.joined(separator: ", "))")
                }
                transform = parsed
            } else {
                transform = .key
            }
            terms.append(Term(source: pieces[0], transform: transform))
        }
        guard !terms.isEmpty else { throw BlockingRuleError("blocking rule is empty") }
        self.terms = terms
    }
}

/// A blocking rule that cannot be parsed or names an unknown field.
public struct BlockingRuleError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a blocking term takes of a field's value.
package enum BlockingTransform: Sendable, Equatable {
    /// The comparison key itself (the normalized value).
    case key
    /// American Soundex code.
    case soundex
    /// The first letter.
    case initial
    /// The first `n` characters.
    case prefix(Int)
    /// The first word / the last word.
    case firstToken, lastToken
    /// The words sorted (so "Smith John" and "John Smith" share a key).
    case sortedTokens
    /// The nickname group of a given name (Bob and Robert share a key).
    case nickname
    /// The first four characters of a date key.
    case year
    /// An email's local part / domain.
    case local, domain

    /// The transform names accepted after the dot.
    public static let names = ["key", "soundex", "initial", "prefixN", "first_token", "last_token", "sorted",
                               "nickname", "year", "local", "domain"]

    init?(_ name: String) {
        switch name {
        case "key": self = .key
        case "soundex": self = .soundex
        case "initial": self = .initial
        case "first_token": self = .firstToken
        case "last_token": self = .lastToken
        case "sorted": self = .sortedTokens
        case "nickname": self = .nickname
        case "year": self = .year
        case "local": self = .local
        case "domain": self = .domain
        default:
            guard name.hasPrefix("prefix"), let n = Int(name.dropFirst(6)), n > 0 else { return nil }
            self = .prefix(n)
        }
    }

    /// The term's key for every value id of a field (0 = no key).
    ///
    /// - Parameter byContent: hash the text even for `.key`, so equal values of different fields get equal keys.
    /// - Parameter portable: hash the text for every transform (a slice of the list numbers its values and email
    ///   parts differently from the whole list); two values share a portable key exactly when they share a key.
    func keys(for field: PreparedField, byContent: Bool = false, portable: Bool = false) -> [UInt64] {
        (0..<field.valueCount).map { id in
            let key = Array(field.key(id))
            switch self {
            case .key: return byContent || portable ? Self.hash(key) : UInt64(id) + 1
            case .soundex: return Self.hash(Array(Soundex.code(key).utf8))
            case .initial: return UInt64(key[0]) + 1
            case .prefix(let n): return Self.hash(Array(key.prefix(n)))
            case .year: return Self.hash(Array(key.prefix(4)))
            case .firstToken: return Self.hash(Array(FoldedText.tokens(key).first ?? []))
            case .lastToken: return Self.hash(Array(FoldedText.tokens(key).last ?? []))
            case .sortedTokens:
                return Self.hash(Array(FoldedText.tokens(key).map(Array.init).sorted { $0.lexicographicallyPrecedes($1) }.joined(separator: [0x20])))
            case .nickname:
                if field.kind == .name, let group = field.nicknameGroups[id].first { return 0x8000_0000_0000 | UInt64(group) }
                return Self.hash(key)
            case .local:
                if field.kind == .email, portable { return Self.hash(key[..<key.lastIndex(of: 0x40)!]) }
                if field.kind == .email { return UInt64(field.localIDs[id]) + 1 }
                return Self.hash(key)
            case .domain:
                if field.kind == .email, portable { return Self.hash(key[(key.lastIndex(of: 0x40)! + 1)...]) }
                if field.kind == .email { return UInt64(field.domainIDs[id]) + 1 }
                return Self.hash(key)
            }
        }
    }

    /// FNV-1a, 64 bit; never 0 for a non-empty input in practice, and 0 is reserved for "no key".
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        if bytes.isEmpty { return 0 }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h == 0 ? 1 : h
    }
}
