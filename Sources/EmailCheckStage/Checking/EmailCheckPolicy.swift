import LeadRecords

/// How the list findings weigh: the status each one gives (`valid` means "note it, don't flag it").
public struct EmailCheckPolicy: Sendable, Equatable {
    /// Whether `jo@[192.0.2.1]` is accepted (`allow_ip_literal`).
    public var allowAddressLiteral = false
    /// Status of an address on a disposable-mail domain.
    package var disposableStatus: EmailStatus = .risky
    /// Status of a role mailbox (info@, sales@).
    package var roleAccountStatus: EmailStatus = .risky
    /// Status of an address at a free-mail provider.
    package var freeMailStatus: EmailStatus = .valid
    /// Status of an address on a listed accept-all domain.
    package var acceptAllStatus: EmailStatus = .risky
    /// Status of an address whose domain looks misspelt.
    package var suspectedTypoStatus: EmailStatus = .risky
    /// Status of a row without an address: `invalid` (cannot receive mail) or `unknown` (nothing to check).
    package var missingStatus: EmailStatus = .invalid

    public init() {}
}
