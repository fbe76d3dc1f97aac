import Foundation
import LeadRecords

/// Who may be emailed, per country: the rules of a contact policy file (`SampleData/contact-policy.example.yml`).
///
/// A country's rule names the consent states that permit email (any one suffices, each possibly with
/// conditions: a date window, a role the message must be relevant to) and, optionally, the legal bases a
/// lead must have recorded. A country without a rule of its own gets the `default` rule. The policy is data
/// the user owns; the shipped example is not legal advice.
package struct ContactPolicy: Sendable {
    /// Which of a lead's facts say its country, tried in the policy's order; the first that names one wins.
    package enum CountrySource: String, Sendable, CaseIterable {
        /// The lead's own `country` field.
        case lead
        /// The company's headquarters country, from firmographic_merge (`firmo_hq_country`).
        case companyHQ = "company_hq"
        /// The country-code top-level domain of the email address (`.de` → DE).
        case emailTLD = "email_tld"
    }

    public var countryFrom: [CountrySource]
    package var defaultRule: EmailRule
    /// Rules by ISO 3166-1 alpha-2 code.
    public var countries: [String: EmailRule]

    public init(countryFrom: [CountrySource], defaultRule: EmailRule, countries: [String: EmailRule]) {
        self.countryFrom = countryFrom
        self.defaultRule = defaultRule
        self.countries = countries
    }

    /// The rule for a country (`nil`: none could be found), else the default.
    public func rule(for country: String?) -> EmailRule {
        country.flatMap { countries[$0] } ?? defaultRule
    }
}

/// The email rule of one country.
package struct EmailRule: Sendable {
    /// Consent states that permit email, any one sufficing; `nil` when no consent is needed (an opt-out regime:
    /// only withdrawn consent, opt-outs and do-not-contact lists block).
    public var accepted: [AcceptedConsent]?
    /// Legal bases one of which the lead must have recorded; `nil` when the basis is not checked.
    package var legalBases: [LegalBasis]?

    public init(accepted: [AcceptedConsent]? = nil, legalBases: [LegalBasis]? = nil) {
        self.accepted = accepted
        self.legalBases = legalBases
    }
}

/// One consent state a rule accepts, with its conditions.
package struct AcceptedConsent: Sendable {
    public var consent: EmailConsent
    /// The consent (or the relationship it is implied from) must be recorded within this window before the
    /// run's `now` (CASL: a business relationship within 2 years, an inquiry within 6 months).
    public var within: ConsentWindow?
    /// The message must be relevant to the person's role, which the stage can only judge when the lead has
    /// a job title (CASL s. 10(9)(b) for conspicuously published addresses).
    package var roleRelevant: Bool

    public init(_ consent: EmailConsent, within: ConsentWindow? = nil, roleRelevant: Bool = false) {
        self.consent = consent
        self.within = within
        self.roleRelevant = roleRelevant
    }
}

/// A length of time written `2y`, `6m`, `26w` or `30d`, counted back on the calendar from the run's `now`.
package struct ConsentWindow: Sendable, Equatable, CustomStringConvertible {
    package enum Unit: String, Sendable { case years = "y", months = "m", weeks = "w", days = "d" }
    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Reads `2y`, `6m`, `26w`, `30d`; `nil` for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last, let unit = Unit(rawValue: String(last)),
              let count = Int(trimmed.dropLast()), count > 0, count <= 100_000 else { return nil }
        self.init(count: count, unit: unit)
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// The earliest instant inside the window ending at `now` (UTC calendar arithmetic).
    public func start(before now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let component: Calendar.Component = switch unit {
        case .years: .year
        case .months: .month
        case .weeks: .weekOfYear
        case .days: .day
        }
        return calendar.date(byAdding: component, value: -count, to: now) ?? now
    }
}
