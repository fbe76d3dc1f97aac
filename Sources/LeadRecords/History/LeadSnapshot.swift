/// The key fields of one lead in one run, keyed by its stable entity id: what the run store keeps of a lead
/// (``SnapshotExtractor`` makes it from a record).
///
/// Comparing a lead's snapshots across runs is how the decay stage sees a job change, an email
/// that flipped from valid to invalid, or a lead that vanished from the source.
public struct LeadSnapshot: Codable, Sendable, Equatable {
    /// The stable id: dedupe's `entity_id` when present, else `email:<normalized email>` (see ``EntityKey``).
    public var entityID: String
    /// The input line the lead was on in this run.
    public var line: Int
    public var email: String
    public var firstName: String
    public var lastName: String
    public var title: String
    public var company: String
    public var domain: String
    /// email_check's verdict (`valid`, `risky`, `invalid`, `unknown`) or empty when it did not run.
    public var emailStatus: String
    /// scrape's `web_status` and `web_redirect_domain`, or empty.
    public var webStatus: String
    public var webRedirectDomain: String
    /// decay's status and score for the lead in this run, or empty.
    public var decayStatus: String
    public var decayScore: Double?
    /// `active`, or `rejected:<reason_code>`.
    public var disposition: String

    public init(entityID: String, line: Int, email: String = "", firstName: String = "", lastName: String = "",
                title: String = "", company: String = "", domain: String = "", emailStatus: String = "",
                webStatus: String = "", webRedirectDomain: String = "", decayStatus: String = "",
                decayScore: Double? = nil, disposition: String = "active") {
        self.entityID = entityID
        self.line = line
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.company = company
        self.domain = domain
        self.emailStatus = emailStatus
        self.webStatus = webStatus
        self.webRedirectDomain = webRedirectDomain
        self.decayStatus = decayStatus
        self.decayScore = decayScore
        self.disposition = disposition
    }

    enum CodingKeys: String, CodingKey {
        case entityID = "entity_id"
        case line, email
        case firstName = "first_name"
        case lastName = "last_name"
        case title, company, domain
        case emailStatus = "email_status"
        case webStatus = "web_status"
        case webRedirectDomain = "web_redirect_domain"
        case decayStatus = "decay_status"
        case decayScore = "decay_score"
        case disposition
    }
}

/// One merged (enriched) value with where it came from, as the run store keeps it with a lead.
public struct EnrichmentValue: Codable, Sendable, Equatable {
    public var entityID: String
    /// The output column the value went to, such as `firmo_industry`.
    public var field: String
    public var value: String
    /// The reference source's name (`crunchbase`), or `input` for the lead's own value.
    public var source: String
    /// The source's as-of date as written in the pipeline file (`2026-10-01`), or empty.
    public var asOf: String

    public init(entityID: String, field: String, value: String, source: String, asOf: String) {
        self.entityID = entityID
        self.field = field
        self.value = value
        self.source = source
        self.asOf = asOf
    }

    enum CodingKeys: String, CodingKey {
        case entityID = "entity_id"
        case field, value, source
        case asOf = "as_of"
    }
}

