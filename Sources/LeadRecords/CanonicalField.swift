/// A field the stages understand, which the pipeline file's `columns:` maps to an input column.
///
/// Columns not mapped to a canonical field pass through untouched.
public struct CanonicalField: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The key used in the pipeline file's `columns:` section.
    public let name: String
    /// What the field holds, for `leadhygiene stages` and the README.
    public let summary: String

    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }

    public var description: String { name }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }
}

extension CanonicalField {
    public static let email = CanonicalField("email", "Email address")
    public static let firstName = CanonicalField("first_name", "Given name")
    public static let lastName = CanonicalField("last_name", "Family name")
    public static let fullName = CanonicalField("full_name", "Whole name in one column")
    public static let title = CanonicalField("title", "Job title")
    public static let company = CanonicalField("company", "Company name")
    public static let website = CanonicalField("website", "Company website URL or host")
    public static let domain = CanonicalField("domain", "Company domain")
    public static let phone = CanonicalField("phone", "Phone number")
    public static let country = CanonicalField("country", "Country name or code")
    public static let region = CanonicalField("region", "State, province or region")
    public static let city = CanonicalField("city", "City")
    public static let postcode = CanonicalField("postcode", "Postal code")
    public static let linkedinURL = CanonicalField("linkedin_url", "LinkedIn profile URL")
    public static let lastVerifiedAt = CanonicalField("last_verified_at", "Date the contact was last verified")
    public static let lastActivityAt = CanonicalField("last_activity_at", "Date of the contact's last activity")
    public static let source = CanonicalField("source", "Where the lead came from")
    public static let recordID = CanonicalField("record_id", "The source system's id for the row")
    // Consent and contact permissions, as CRMs export them (HubSpot's legal basis, Salesforce's opt-out flags).
    public static let legalBasis = CanonicalField(
        "legal_basis", "GDPR legal basis for processing (HubSpot's values: legitimate interest – prospect or customer, contract, consent, not applicable)")
    public static let emailConsent = CanonicalField(
        "email_consent", "Email consent or subscription status (double opt-in, opt-in, implied, none, withdrawn)")
    public static let consentDate = CanonicalField("consent_date", "Date the consent (or the implied-consent relationship) was recorded")
    public static let consentSource = CanonicalField("consent_source", "Where or how the consent was collected")
    public static let doNotContact = CanonicalField("do_not_contact", "The contact opted out of email (Email Opt Out, Unsubscribed from all email)")
    public static let ccpaOptOut = CanonicalField("ccpa_opt_out", "The contact opted out under the CCPA/CPRA (Do Not Sell or Share)")

    /// Every canonical field, in the order `leadhygiene stages` lists them.
    public static let all: [CanonicalField] = [
        .recordID, .email, .firstName, .lastName, .fullName, .title, .company, .website, .domain, .phone,
        .country, .region, .city, .postcode, .linkedinURL, .lastVerifiedAt, .lastActivityAt, .source,
        .legalBasis, .emailConsent, .consentDate, .consentSource, .doNotContact, .ccpaOptOut,
    ]

    /// The fields that hold dates, read with ``LeadDate``.
    public static let dates: [CanonicalField] = [.lastVerifiedAt, .lastActivityAt, .consentDate]

    /// Looks a field up by its pipeline-file key.
    public static func named(_ name: String) -> CanonicalField? { all.first { $0.name == name } }
}
