import LeadRecords

extension ReasonCode {
    // Signals: written to `decay_reasons` (`;`-separated); the status they lead to decides the action.
    /// The time since the lead was last verified or active has, on its own, aged it past `fresh`.
    public static let decayAge = ReasonCode("decay_age", "Months since last_verified_at/last_activity_at aged the lead at the monthly decay rate.")
    /// Neither last_verified_at nor last_activity_at holds a date.
    public static let decayNoDate = ReasonCode("decay_no_date", "The lead has no usable last_verified_at or last_activity_at date.")
    /// email_check judged the address invalid.
    public static let decayEmailInvalid = ReasonCode("decay_email_invalid", "email_check judged the address invalid.")
    /// email_check judged the address risky (catch-all, role account, disposable).
    public static let decayEmailRisky = ReasonCode("decay_email_risky", "email_check judged the address risky.")
    /// The email domain publishes a null MX (RFC 7505): it accepts no mail.
    public static let decayNullMX = ReasonCode("decay_null_mx", "The email domain publishes a null MX (RFC 7505) and accepts no mail.")
    /// The email or company domain no longer resolves.
    public static let decayDomainUnresolvable = ReasonCode("decay_domain_unresolvable", "The domain no longer resolves (NXDOMAIN, no mail host, or MX hosts without an address).")
    /// The company website is gone (per scrape's web_status).
    public static let decaySiteGone = ReasonCode("decay_site_gone", "The company website is gone (scrape's web_status).")
    /// The company website redirects to another company's domain: acquired or renamed.
    public static let decayCompanyRedirect = ReasonCode("decay_company_redirect", "The company website redirects to another company's domain (acquired or renamed).")
    /// The lead's title differs from the last run's.
    public static let decayTitleChanged = ReasonCode("decay_title_changed", "The title changed since the last run.")
    /// The lead's company differs from the last run's: a job change.
    public static let decayCompanyChanged = ReasonCode("decay_company_changed", "The company changed since the last run (job change).")
    /// The email was valid in the last run and is invalid now.
    public static let decayEmailFlippedInvalid = ReasonCode("decay_email_flipped_invalid", "The email was valid in the last run and is invalid now.")

    // Suppression (ESP bounce/suppression file): never mailable; rejected by default.
    /// The ESP reported a hard bounce for the address.
    public static let suppressedHardBounce = ReasonCode("suppressed_hard_bounce", "The ESP's suppression file lists a hard bounce for the address.")
    /// The recipient unsubscribed.
    public static let suppressedUnsubscribe = ReasonCode("suppressed_unsubscribe", "The ESP's suppression file lists an unsubscribe for the address.")
    /// The recipient complained (marked as spam).
    public static let suppressedComplaint = ReasonCode("suppressed_complaint", "The ESP's suppression file lists a spam complaint for the address.")
    /// The address is on the suppression file with no (or an unrecognized) type.
    public static let suppressedListed = ReasonCode("suppressed_listed", "The address is on the ESP's suppression file.")

    // Rejections by status (when the pipeline's `actions:` says reject).
    public static let decayDead = ReasonCode("decay_dead", "Decay status dead and actions.dead is reject.")
    public static let decayStale = ReasonCode("decay_stale", "Decay status stale and actions.stale is reject.")
    public static let decayAging = ReasonCode("decay_aging", "Decay status aging and actions.aging is reject.")
    public static let decayFresh = ReasonCode("decay_fresh", "Decay status fresh and actions.fresh is reject.")

    /// Every code the decay stage writes or rejects with.
    public static let decayCodes: [ReasonCode] = [
        .decayAge, .decayNoDate, .decayEmailInvalid, .decayEmailRisky, .decayNullMX, .decayDomainUnresolvable,
        .decaySiteGone, .decayCompanyRedirect, .decayTitleChanged, .decayCompanyChanged, .decayEmailFlippedInvalid,
        .suppressedHardBounce, .suppressedUnsubscribe, .suppressedComplaint, .suppressedListed,
        .decayDead, .decayStale, .decayAging, .decayFresh,
    ]
}
