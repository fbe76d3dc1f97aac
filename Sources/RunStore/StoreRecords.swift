import Foundation
import GRDB
import LeadRecords

/// One pipeline run as the store remembers it (table `run`).
///
/// A run row is written in the same transaction as its snapshots and enrichment values, so a
/// run that is present is complete: `snapshotCount` always equals the number of its snapshot rows.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    /// The run's id, increasing with each run; `nil` before it is saved.
    public var id: Int64?
    /// Which history the run belongs to (by default the pipeline file's name without extension).
    public var pipeline: String
    /// A checksum of the input rows the run saw (see ``ContentHash``), to tell a re-run from a new week.
    public var inputChecksum: String
    /// The run's reference clock (`StageContext.now`), which ages and decay are measured from.
    public var referenceTime: Date
    /// Wall-clock time the run started and the moment its data was committed.
    public var startedAt: Date
    public var finishedAt: Date
    /// Rows seen, still active, rejected and merged at the point the run was recorded.
    public var rowsIn: Int
    public var rowsActive: Int
    public var rowsRejected: Int
    public var rowsMerged: Int
    /// How many ``LeadSnapshot`` rows belong to this run.
    public var snapshotCount: Int
    /// Free-form JSON figures (for example decay counts per status), compared week over week.
    public var summaryJSON: String

    public init(id: Int64? = nil, pipeline: String, inputChecksum: String, referenceTime: Date, startedAt: Date,
                finishedAt: Date, rowsIn: Int, rowsActive: Int, rowsRejected: Int, rowsMerged: Int,
                snapshotCount: Int = 0, summaryJSON: String = "{}") {
        self.id = id
        self.pipeline = pipeline
        self.inputChecksum = inputChecksum
        self.referenceTime = referenceTime
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rowsIn = rowsIn
        self.rowsActive = rowsActive
        self.rowsRejected = rowsRejected
        self.rowsMerged = rowsMerged
        self.snapshotCount = snapshotCount
        self.summaryJSON = summaryJSON
    }

    enum CodingKeys: String, CodingKey {
        case id, pipeline
        case inputChecksum = "input_checksum"
        case referenceTime = "reference_time"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case rowsIn = "rows_in"
        case rowsActive = "rows_active"
        case rowsRejected = "rows_rejected"
        case rowsMerged = "rows_merged"
        case snapshotCount = "snapshot_count"
        case summaryJSON = "summary_json"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The key fields of one lead in one run (table `lead_snapshot`), keyed by its stable entity id.
///
/// Comparing a lead's snapshots across runs is how the decay stage sees a job change, an email
/// that flipped from valid to invalid, or a lead that vanished from the source.
public struct LeadSnapshot: Codable, Sendable, Equatable, FetchableRecord {
    public static let databaseTableName = "lead_snapshot"

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

    /// Reads a row by column name without going through `Decodable`, which is several times slower;
    /// this runs a million times when a week's run loads the last one.
    public init(row: Row) {
        entityID = row["entity_id"]
        line = row["line"]
        email = row["email"]
        firstName = row["first_name"]
        lastName = row["last_name"]
        title = row["title"]
        company = row["company"]
        domain = row["domain"]
        emailStatus = row["email_status"]
        webStatus = row["web_status"]
        webRedirectDomain = row["web_redirect_domain"]
        decayStatus = row["decay_status"]
        decayScore = row["decay_score"]
        disposition = row["disposition"]
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

/// One merged (enriched) value with where it came from (table `enrichment_value`).
public struct EnrichmentValue: Codable, Sendable, Equatable, FetchableRecord {
    public static let databaseTableName = "enrichment_value"

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

/// A cached DNS verdict for a domain (table `dns_verdict`), valid until `expiresAt`.
public struct DNSVerdictEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "dns_verdict"

    /// The domain in ASCII (A-label) lower-case form.
    public var domain: String
    /// The verdict as the email_check stage serializes it (JSON); the store does not interpret it.
    public var verdictJSON: String
    public var resolvedAt: Date
    public var expiresAt: Date

    public init(domain: String, verdictJSON: String, resolvedAt: Date, expiresAt: Date) {
        self.domain = domain
        self.verdictJSON = verdictJSON
        self.resolvedAt = resolvedAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case domain
        case verdictJSON = "verdict_json"
        case resolvedAt = "resolved_at"
        case expiresAt = "expires_at"
    }
}

/// A cached HTTP response (table `http_page`), keyed by the URL that was requested.
public struct CachedPage: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "http_page"

    public var url: String
    /// The final HTTP status (0 when the fetch failed before a response).
    public var status: Int
    /// Response headers as a JSON object of lower-case name → value.
    public var headersJSON: String
    /// ``ContentHash/fnv1a64Hex(_:)`` of the body, to notice a site that changed.
    public var bodyHash: String
    public var body: Data
    public var fetchedAt: Date

    public init(url: String, status: Int, headersJSON: String = "{}", body: Data, fetchedAt: Date,
                bodyHash: String? = nil) {
        self.url = url
        self.status = status
        self.headersJSON = headersJSON
        self.body = body
        self.fetchedAt = fetchedAt
        self.bodyHash = bodyHash ?? ContentHash.fnv1a64Hex(body)
    }

    enum CodingKeys: String, CodingKey {
        case url, status
        case headersJSON = "headers_json"
        case bodyHash = "body_hash"
        case body
        case fetchedAt = "fetched_at"
    }
}
