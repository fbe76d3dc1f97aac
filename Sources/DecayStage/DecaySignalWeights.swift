/// How much each signal adds to a lead's decay score.
///
/// Signals combine with the age decay as independent probabilities:
/// `score = 1 − (1 − age) × Π (1 − weight)`, so a weight of 1 makes the lead dead on its own and
/// several weak signals add up without passing 1.
public struct DecaySignalWeights: Sendable, Equatable {
    public var emailInvalid = 1.0
    public var emailRisky = 0.15
    public var nullMX = 1.0
    public var domainUnresolvable = 1.0
    public var siteGone = 0.6
    public var companyRedirect = 0.5
    public var titleChanged = 0.3
    public var companyChanged = 0.8
    public var emailFlippedInvalid = 1.0
    public var hardBounce = 1.0
    /// The base score of a lead with no verification or activity date.
    public var noDate = 0.25

    public init() {}

    /// The weight of a signal's reason code.
    func weight(_ code: String) -> Double {
        switch code {
        case "decay_email_invalid": emailInvalid
        case "decay_email_risky": emailRisky
        case "decay_null_mx": nullMX
        case "decay_domain_unresolvable": domainUnresolvable
        case "decay_site_gone": siteGone
        case "decay_company_redirect": companyRedirect
        case "decay_title_changed": titleChanged
        case "decay_company_changed": companyChanged
        case "decay_email_flipped_invalid": emailFlippedInvalid
        case "suppressed_hard_bounce": hardBounce
        case "decay_no_date": noDate
        default: 0
        }
    }

    /// Option names (in `weights:`) and their defaults, for the option schema.
    // Key paths are immutable values but not marked Sendable in the standard library yet.
    nonisolated(unsafe) static let optionNames: [(name: String, keyPath: WritableKeyPath<DecaySignalWeights, Double>, summary: String)] = [
        ("email_invalid", \.emailInvalid, "email_check said invalid."),
        ("email_risky", \.emailRisky, "email_check said risky."),
        ("null_mx", \.nullMX, "The email domain has a null MX."),
        ("domain_unresolvable", \.domainUnresolvable, "The email domain does not resolve."),
        ("site_gone", \.siteGone, "The website is gone."),
        ("company_redirect", \.companyRedirect, "The website redirects to another company's domain."),
        ("title_changed", \.titleChanged, "Title changed since the last run."),
        ("company_changed", \.companyChanged, "Company changed since the last run."),
        ("email_flipped_invalid", \.emailFlippedInvalid, "Email went from valid to invalid since the last run."),
        ("hard_bounce", \.hardBounce, "The ESP reported a hard bounce."),
        ("no_date", \.noDate, "Base score when the lead has no last_verified_at/last_activity_at date."),
    ]
}
