/// The verdict on one address, written to `email_status`.
///
/// When several findings apply, the most severe wins: invalid, then risky, then unknown, then valid.
/// Risky outranks unknown because list findings (disposable, role) hold whatever DNS would say.
public enum EmailStatus: String, Sendable, CaseIterable, Comparable {
    /// Syntax and domain check out and nothing marks it as risky.
    case valid
    /// Deliverable, but disposable, a role account, on an accept-all domain, a suspected typo or free mail when configured.
    case risky
    /// Cannot receive mail: no address, bad syntax, no such domain, null MX, no mail host.
    case invalid
    /// The domain lookup failed; deliverability is not known.
    case unknown

    var severity: Int {
        switch self {
        case .valid: 0
        case .unknown: 1
        case .risky: 2
        case .invalid: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }
}
