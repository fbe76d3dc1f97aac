import LeadRecords

/// Everything the stage says about one address: the row's new columns and the verdict behind them.
public struct EmailAssessment: Sendable, Equatable {
    /// The address as given (before trimming).
    public var input: String
    /// The parsed address, when the syntax is valid.
    public var address: MailboxAddress?
    /// The rule the address breaks, when the syntax is not valid.
    package var syntaxProblem: SyntaxProblem?
    /// `email_normalized`: the deliverable address in normal form; empty when the syntax is invalid.
    public var normalized = ""
    /// `email_identity_key`: the provider-aware key for dedupe; empty when the syntax is invalid.
    public var identityKey = ""
    /// `email_suggestion`: the address with the likely intended domain, when the domain looks misspelt.
    public var suggestion = ""
    /// `email_status`.
    public var status: EmailStatus = .valid
    /// `email_reason`: why the status is not `valid`.
    public var reason: ReasonCode?
    /// A human-readable detail for the rejects file (the syntax rule, the DNS failure).
    public var detail = ""
    /// The lower-case ASCII domain still to be looked up, or `nil` when DNS cannot change the verdict.
    public var domainToLookUp: String?
    /// What DNS said, once known.
    package var domainVerdict: DomainVerdict?
    /// Every list finding (disposable, role, accept-all, typo, free mail), whatever status it gave;
    /// the report counts them, so a finding set to `valid` is still noted.
    public var findings: [ReasonCode] = []

    /// The display name when the input was written `Name <address>` (RFC 5322 name-addr), empty for `<address>`;
    /// `nil` when the input was a bare address.
    public var displayName: String?

    /// The detail for people: the rule or lookup behind the status, and whether the address was taken out of a display-name form.
    public var explanation: String {
        var text = syntaxProblem.map { "\($0.rawValue): \($0.description)" } ?? detail
        if let displayName {
            let form = displayName.isEmpty ? "taken out of angle brackets" : "taken out of the display-name form (display name: \(displayName))"
            text = text.isEmpty ? "address \(form)" : text + "; address \(form)"
        }
        return text
    }

    /// Whether the address is syntactically valid (`valid` in `leadhygiene check-email`).
    public var isSyntaxValid: Bool { address != nil }

    /// An assessment with nothing decided yet (status `valid`).
    public init(input: String) { self.input = input }

    /// Records a list finding and raises the status to what the policy gives it.
    mutating func note(_ finding: ReasonCode, status: EmailStatus, detail: String = "") {
        findings.append(finding)
        escalate(to: status, finding, detail: detail)
    }

    /// Raises the status to `status` with `reason` if that is more severe than the current verdict.
    mutating func escalate(to status: EmailStatus, _ reason: ReasonCode, detail: String = "") {
        guard status > self.status else { return }
        self.status = status
        self.reason = reason
        self.detail = detail
    }
}
