import LeadFacts
/// Everything the matcher needs besides the data: fields, blocking rules and thresholds.
public struct DedupeSettings: Sendable {
    /// The compared fields (at most 16).
    public var fields: [FieldSpec]
    /// Rows are compared only within the blocks of at least one rule.
    public var blocking: [BlockingRule]
    /// How company names are keyed before they are compared: the run's one company key.
    public var companyKey: CompanyKey = .standard
    /// Pairs at or above this match probability are linked.
    public var threshold: Double = 0.9
    /// Blocks with more rows than this are skipped (and counted): they are too common a key to be evidence.
    package var maxBlockSize: Int = 1000
    /// Blocks of a rule on one identifier (an email, a phone, a strong identifier such as a LinkedIn profile)
    /// with more rows than this are skipped: a value that many rows share is a switchboard or a team inbox.
    package var maxIdentifierBlockSize: Int = 50
    /// How many random pairs estimate u.
    package var randomPairs: Int = 400_000
    /// The most EM rounds.
    package var maxIterations: Int = 100
    /// Two clusters merge only when at least this share of their cross pairs score at or above `coherenceProbability`.
    package var coherence: Double = 0.5
    /// The per-pair bar used by the coherence test.
    package var coherenceProbability: Double = 0.5
    /// Pairs with a probability in `reviewMin..<reviewMax` go to the review list.
    package var reviewMin: Double = 0.5
    package var reviewMax: Double = 0.99
    /// The lead rule "two work mailboxes at one employer with different family names are two people"
    /// (nil: not applied, as on lists without emails).
    package var distinctMailboxes: DistinctMailboxRule?
    /// Seed of the random-pair sample.
    public var seed: UInt64 = 0x5eed_1ead

    public init(fields: [FieldSpec], blocking: [BlockingRule]) {
        self.fields = fields
        self.blocking = blocking
    }
}

/// Two different work mailboxes at one non-free email domain, with different family names, belong to two
/// people: a work mailbox is one person's, and colleagues share the domain, the company, the city and often a
/// given name. Only a strong identifier (the same LinkedIn profile, the same direct phone number) overrides it.
/// Such pairs are never linked, and the chain guard never joins groups holding such a pair.
package struct DistinctMailboxRule: Sendable, Equatable {
    /// The email field (comparator `email`).
    public var email: String
    /// The family-name field.
    package var familyName: String
    /// Fields whose exact agreement (on a value few rows share) overrides the rule.
    package var strongIdentifiers: [String]

    public init(email: String, familyName: String, strongIdentifiers: [String]) {
        self.email = email
        self.familyName = familyName
        self.strongIdentifiers = strongIdentifiers
    }

    /// The rule over `fields` when they hold an email field and a family name: a `name` field that another
    /// field may be swapped with, or one called `last_name`; phone fields and `linkedin_url` are strong.
    public static func derived(from fields: [FieldSpec]) -> DistinctMailboxRule? {
        guard let email = fields.first(where: { $0.comparator == .email }) else { return nil }
        let partners = Set(fields.compactMap(\.swapWith))
        guard let family = fields.first(where: { $0.comparator == .name && (partners.contains($0.name) || $0.name == "last_name") })
        else { return nil }
        let strong = fields.filter { $0.comparator == .phone || $0.name == "linkedin_url" }.map(\.name)
        return DistinctMailboxRule(email: email.name, familyName: family.name, strongIdentifiers: strong)
    }
}
