import LeadRecords

extension ReasonCode {
    /// The address, or its mailbox identity, is on a do-not-contact list.
    package static let dncListed = ReasonCode("dnc_listed", "The address (or another spelling of its mailbox) is on a do-not-contact list.")
    /// The address's registrable domain is on a do-not-contact list.
    package static let dncDomain = ReasonCode("dnc_domain", "The address's registrable domain is on a do-not-contact list.")
    /// The lead's own do_not_contact field says so (Email Opt Out, Unsubscribed from all email).
    public static let doNotContact = ReasonCode("do_not_contact", "The lead's do_not_contact field is set (an email opt-out in the CRM).")
    /// The lead opted out under the CCPA/CPRA.
    public static let ccpaOptOut = ReasonCode("ccpa_opt_out", "The lead's ccpa_opt_out field is set (Do Not Sell or Share).")
    /// The lead withdrew their email consent.
    package static let consentWithdrawn = ReasonCode("consent_withdrawn", "The lead's email_consent is withdrawn (unsubscribed, opted out).")
    /// The country's rule needs a consent the lead does not have.
    package static let consentMissing = ReasonCode("consent_missing", "The lead's country requires an email consent the lead does not have.")
    /// The lead's implied consent is older than the rule's window.
    package static let consentExpired = ReasonCode("consent_expired", "The lead's implied consent is older than the country rule's `within:` window (CASL: 2 years).")
    /// The rule needs a dated consent and the lead's consent_date is empty or not a date.
    package static let consentDateMissing = ReasonCode("consent_date_missing", "The country rule needs a dated consent and the lead's consent_date is empty or not a date.")
    /// The rule needs a recorded legal basis the lead does not have.
    package static let legalBasisMissing = ReasonCode("legal_basis_missing", "The lead's country requires a legal basis the lead's legal_basis does not record.")
    /// A consent field holds a value the stage cannot read.
    package static let consentValueUnknown = ReasonCode("consent_value_unknown", "A consent field (legal_basis, email_consent, do_not_contact, ccpa_opt_out) holds a value the stage does not know; the lead is not contacted until it is fixed.")
    /// Every code the compliance stage flags or rejects with, `erased_subject` last (always rejected).
    package static let complianceCodes: [ReasonCode] = [
        .dncListed, .dncDomain, .doNotContact, .ccpaOptOut, .consentWithdrawn, .consentMissing, .consentExpired,
        .consentDateMissing, .legalBasisMissing, .consentValueUnknown, .erasedSubject,
    ]
}
