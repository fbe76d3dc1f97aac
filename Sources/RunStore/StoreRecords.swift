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

extension LeadSnapshot: FetchableRecord {
    /// Reads a row by column name without going through `Decodable`, which is several times slower;
    /// this runs a million times when a week's run loads the last one.
    public init(row: Row) {
        self.init(entityID: row["entity_id"], line: row["line"], email: row["email"], firstName: row["first_name"],
                  lastName: row["last_name"], title: row["title"], company: row["company"], domain: row["domain"],
                  emailStatus: row["email_status"], webStatus: row["web_status"], webRedirectDomain: row["web_redirect_domain"],
                  decayStatus: row["decay_status"], decayScore: row["decay_score"], disposition: row["disposition"])
    }
}

extension EnrichmentValue: FetchableRecord {}

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
