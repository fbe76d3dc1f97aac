import Foundation
import GRDB

/// A cached answer of a mail server about one mailbox (table `smtp_address_verdict`), valid until `expiresAt`.
public struct SMTPAddressVerdictEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "smtp_address_verdict"

    /// The normalized address.
    public var address: String
    /// The email_check stage's outcome word (`accepted`, `mailbox_not_found`, `accept_all`); the store does not interpret it.
    public var outcome: String
    /// The server's reply that decided it (empty for a plain acceptance).
    public var reply: String
    public var probedAt: Date
    public var expiresAt: Date

    public init(address: String, outcome: String, reply: String, probedAt: Date, expiresAt: Date) {
        self.address = address
        self.outcome = outcome
        self.reply = reply
        self.probedAt = probedAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case address, outcome, reply
        case probedAt = "probed_at"
        case expiresAt = "expires_at"
    }
}

/// A cached catch-all test of a domain's mail server (table `smtp_domain_verdict`), valid until `expiresAt`.
public struct SMTPDomainVerdictEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "smtp_domain_verdict"

    /// The domain in ASCII lower-case form.
    public var domain: String
    /// Whether a random mailbox nobody has was accepted.
    public var acceptsAnyMailbox: Bool
    /// The reply to that random mailbox.
    public var reply: String
    public var probedAt: Date
    public var expiresAt: Date

    public init(domain: String, acceptsAnyMailbox: Bool, reply: String, probedAt: Date, expiresAt: Date) {
        self.domain = domain
        self.acceptsAnyMailbox = acceptsAnyMailbox
        self.reply = reply
        self.probedAt = probedAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case domain, reply
        case acceptsAnyMailbox = "accepts_any_mailbox"
        case probedAt = "probed_at"
        case expiresAt = "expires_at"
    }
}

// MARK: SMTP verdict cache (email_check)

extension RunStore {
    /// The cached answer about an address, or `nil` when there is none or it expired before `now`.
    public func smtpAddressVerdict(for address: String, now: Date) throws -> SMTPAddressVerdictEntry? {
        try pool.read { db in
            try SMTPAddressVerdictEntry.fetchOne(db, sql: "SELECT * FROM smtp_address_verdict WHERE address = ? AND expires_at > ?",
                                                 arguments: [address, now])
        }
    }

    /// The cached catch-all test of a domain, or `nil` when there is none or it expired before `now`.
    public func smtpDomainVerdict(for domain: String, now: Date) throws -> SMTPDomainVerdictEntry? {
        try pool.read { db in
            try SMTPDomainVerdictEntry.fetchOne(db, sql: "SELECT * FROM smtp_domain_verdict WHERE domain = ? AND expires_at > ?",
                                                arguments: [domain, now])
        }
    }

    /// Saves address answers (replacing older ones for the same addresses) in one transaction.
    public func saveSMTPAddressVerdicts(_ entries: some Sequence<SMTPAddressVerdictEntry>) throws {
        try pool.write { db in
            for entry in entries { try entry.save(db) }
        }
    }

    /// Saves a domain's catch-all test, replacing an older one.
    public func saveSMTPDomainVerdict(_ entry: SMTPDomainVerdictEntry) throws {
        try pool.write { db in try entry.save(db) }
    }

    /// Deletes address and domain answers that expired before `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func purgeExpiredSMTPVerdicts(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM smtp_address_verdict WHERE expires_at <= ?", arguments: [now])
            var deleted = db.changesCount
            try db.execute(sql: "DELETE FROM smtp_domain_verdict WHERE expires_at <= ?", arguments: [now])
            deleted += db.changesCount
            return deleted
        }
    }
}
