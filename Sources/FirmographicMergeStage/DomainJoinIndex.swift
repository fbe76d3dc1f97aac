import LeadFacts

/// The registrable domains of every reference source, numbered once, so that joining a lead is one
/// cache lookup of its website (or email) text and then array reads for every source.
///
/// Without it each lead hashed its domain string once per cache and once per source index.
final class DomainJoinIndex: Sendable {
    /// What a lead's website or email text joins on.
    struct Key: Sendable, Equatable {
        /// The domain's number (≥ 0) when some source has it, ``unknownDomain`` or ``noDomain``.
        var number: Int32
        static let unknownDomain: Int32 = -1
        static let noDomain: Int32 = -2
        /// A number no row's domain has: ``rowDomain(source:row:)`` for a row without a domain.
        static let rowWithoutDomain: Int32 = -3

        /// Whether the text has a registrable domain (known to the sources or not).
        var hasDomain: Bool { number != Self.noDomain }
    }

    /// Per source: the row for each domain number, or -1.
    private let rowsByDomain: [[Int32]]
    /// Per source: each row's domain number, or ``Key/rowWithoutDomain``.
    private let domainOfRow: [[Int32]]
    private let numbers: [String: Int32]
    private let ignoredEmailDomains: Set<String>
    private let websiteKeys = SharedByteMemo<Key>()
    private let emailKeys = SharedByteMemo<Key>()

    init(sources: [ReferenceSource], ignoredEmailDomains: Set<String>) {
        var numbers: [String: Int32] = [:]
        for source in sources {
            for domain in source.rowDomains where !domain.isEmpty && numbers[domain] == nil {
                numbers[domain] = Int32(numbers.count)
            }
        }
        rowsByDomain = sources.map { source in
            var rows = [Int32](repeating: -1, count: numbers.count)
            for (domain, row) in source.byDomain { rows[Int(numbers[domain]!)] = row }
            return rows
        }
        domainOfRow = sources.map { source in source.rowDomains.map { $0.isEmpty ? Key.rowWithoutDomain : numbers[$0]! } }
        self.numbers = numbers
        self.ignoredEmailDomains = ignoredEmailDomains
    }

    /// The key of a website, URL, bare host or domain value (not empty).
    func key(ofWebsite value: String) -> Key {
        websiteKeys.value(value) { self.number(of: JoinDomain.registrable(value)) }
    }

    /// The key of a website given as its UTF-8 bytes (a row's cell, read in place): a website the memo has
    /// seen costs no string.
    func key(ofWebsite bytes: UnsafeBufferPointer<UInt8>) -> Key {
        websiteKeys.value(utf8: bytes) { self.number(of: JoinDomain.registrable(String(decoding: bytes, as: UTF8.self))) }
    }

    /// The key of an email address's domain; no domain when it is a free-mail provider's.
    func key(ofEmail address: String) -> Key {
        emailKeys.value(address) {
            guard let at = address.lastIndex(of: "@"), let registrable = JoinDomain.registrable(String(address[at...])),
                  !self.ignoredEmailDomains.contains(registrable) else { return Key(number: Key.noDomain) }
            return self.number(of: registrable)
        }
    }

    private func number(of registrable: String?) -> Key {
        guard let registrable else { return Key(number: Key.noDomain) }
        return Key(number: numbers[registrable] ?? Key.unknownDomain)
    }

    /// The row of `source` for a key, or -1.
    @inline(__always) func row(source: Int, key: Key) -> Int32 {
        key.number >= 0 ? rowsByDomain[source][Int(key.number)] : -1
    }

    /// The domain number of a source row.
    @inline(__always) func rowDomain(source: Int, row: Int32) -> Int32 { domainOfRow[source][Int(row)] }
}
