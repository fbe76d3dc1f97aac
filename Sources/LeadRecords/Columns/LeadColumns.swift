/// The columns stages publish for later stages, typed once.
///
/// A stage that reads another stage's output reads it through one of these keys, so the name and the
/// type live in one place and no stage compares a string literal another module defines. Each stage
/// declares what it produces and consumes (``ColumnSpec``) in its descriptor; `lint` checks the order.
public enum LeadColumns {
    // MARK: normalize
    public static let normEmail = ColumnKey<String>("norm_email")
    public static let normTitle = ColumnKey<String>("norm_title")
    public static let normCompany = ColumnKey<String>("norm_company")
    /// The run's one company key (``CompanyKey`` in LeadFacts).
    public static let normCompanyKey = ColumnKey<String>("norm_company_key")
    public static let normWebsite = ColumnKey<String>("norm_website")
    public static let normDomain = ColumnKey<String>("norm_domain")
    public static let normIssues = ColumnKey<ReasonCodeList>("norm_issues")

    // MARK: email_check
    public static let emailStatus = ColumnKey<EmailStatus>("email_status")
    /// The code of the finding that decided `email_status` (one code).
    public static let emailReason = ColumnKey<ReasonCodeList>("email_reason")

    // MARK: firmographic_merge
    /// The company's headquarters country as the reference data gives it (a code or a name).
    public static let firmoHQCountry = ColumnKey<String>("firmo_hq_country")

    // MARK: compliance
    /// Whether the lead may be contacted by email under the run's contact policy.
    public static let contactAllowed = ColumnKey<Bool>("contact_allowed")
    /// Why not (`;`-separated reason codes); empty when contact is allowed.
    public static let complianceReasons = ColumnKey<ReasonCodeList>("compliance_reasons")

    // MARK: dedupe
    public static let entityID = ColumnKey<String>("entity_id")
    public static let matchProbability = ColumnKey<Double>("match_probability")

    // MARK: scrape
    public static let webStatus = ColumnKey<WebStatus>("web_status")
    public static let webRedirectDomain = ColumnKey<String>("web_redirect_domain")

    // MARK: decay
    public static let decayScore = ColumnKey<Double>("decay_score")
    public static let decayStatus = ColumnKey<DecayStatus>("decay_status")
    public static let decayReasons = ColumnKey<ReasonCodeList>("decay_reasons")
    public static let decayMailable = ColumnKey<Bool>("decay_mailable")
}
