import Foundation

import LeadFacts

/// What a consent cell says once read: nothing, a value this version knows, or text it cannot place.
///
/// An unreadable value is a finding (`consent_value_unknown`), never a crash and never a silent guess:
/// a compliance decision that rests on text nobody understood must be looked at.
package enum ConsentReading<Value: Sendable & Equatable>: Sendable, Equatable {
    case absent
    case value(Value)
    case unreadable(String)

    /// The value, when the cell held one.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The GDPR Art. 6 legal basis a CRM records for a contact, in HubSpot's five values.
package enum LegalBasis: String, Sendable, CaseIterable {
    case legitimateInterestProspect = "legitimate_interest_prospect"
    case legitimateInterestCustomer = "legitimate_interest_customer"
    case contract
    case consent
    case notApplicable = "not_applicable"

    /// Reads a cell leniently (docs/stages/compliance.md, "Reading consent fields"): the canonical word, or
    /// HubSpot's labels ("Legitimate interest – prospect/lead", "Legitimate interest – existing customer",
    /// "Performance of a contract", "Freely given consent from contact", "Not applicable").
    public static func read(_ text: String) -> ConsentReading<LegalBasis> {
        let words = TextFolding.words(text)
        guard !words.isEmpty else { return .absent }
        if let exact = LegalBasis(rawValue: words.joined(separator: "_")) { return .value(exact) }
        let has = { (word: String) in words.contains(word) }
        if has("legitimate") || has("li") {
            if has("customer") || has("client") || has("existing") { return .value(.legitimateInterestCustomer) }
            if has("prospect") || has("lead") || words == ["legitimate", "interest"] { return .value(.legitimateInterestProspect) }
            return .unreadable(text)
        }
        if has("contract") { return .value(.contract) }
        if has("consent") { return .value(.consent) }
        if words == ["not", "applicable"] || words == ["n", "a"] || words == ["na"] { return .value(.notApplicable) }
        return .unreadable(text)
    }
}

/// The email consent (or subscription) state of an address.
package enum EmailConsent: String, Sendable, CaseIterable {
    case doubleOptIn = "double_opt_in"
    case optIn = "opt_in"
    /// CASL s. 10(10): an existing business relationship (a purchase or contract within 2 years, an inquiry within 6 months).
    case impliedEBR = "implied_ebr"
    /// CASL s. 10(9)(b): the address was conspicuously published, without a no-messages statement, and the
    /// message is relevant to the person's business role.
    case impliedPublished = "implied_published"
    case noConsent = "none"
    case withdrawn
    case unknown

    /// Reads a cell leniently (docs/stages/compliance.md, "Reading consent fields"): the canonical word, the
    /// usual CRM wordings ("Double opt-in", "Opted in", "Subscribed", "Unsubscribed", "Opted out"), and a
    /// boolean (`true/yes/1/x` is opt-in, `false/no/0` is none).
    public static func read(_ text: String) -> ConsentReading<EmailConsent> {
        let words = TextFolding.words(text)
        guard !words.isEmpty else { return .absent }
        let joined = words.joined(separator: "_")
        if let exact = EmailConsent(rawValue: joined) { return .value(exact) }
        let squashed = words.joined()
        switch squashed {
        case "doubleoptin", "doi", "confirmedoptin", "confirmed", "doubleoptedin": return .value(.doubleOptIn)
        case "optin", "optedin", "singleoptin", "subscribed", "granted", "given", "consented", "consentgiven": return .value(.optIn)
        case "impliedebr", "ebr", "existingbusinessrelationship", "impliedexistingbusinessrelationship", "impliedcustomer",
             "impliedinquiry":
            return .value(.impliedEBR)
        case "impliedpublished", "published", "conspicuouslypublished", "impliedconspicuouslypublished": return .value(.impliedPublished)
        case "withdrawn", "optedout", "optout", "unsubscribed", "revoked", "consentwithdrawn": return .value(.withdrawn)
        case "noconsent", "notsubscribed", "nonsubscribed", "never": return .value(.noConsent)
        case "unknown", "notknown", "unspecified": return .value(.unknown)
        default: break
        }
        switch ConsentFlag.read(text) {
        case .value(true): return .value(.optIn)
        case .value(false): return .value(.noConsent)
        default: return .unreadable(text)
        }
    }
}

/// A yes/no cell (`do_not_contact`, `ccpa_opt_out`, Salesforce's `HasOptedOutOfEmail`, HubSpot's
/// "Unsubscribed from all email").
package enum ConsentFlag {
    /// `true/yes/y/1/x/on/checked` is true, `false/no/n/0/off/unchecked` false, blank absent; else unreadable.
    public static func read(_ text: String) -> ConsentReading<Bool> {
        let folded = TextFolding.fold(text.trimmingCharacters(in: .whitespaces))
        switch folded {
        case "": return .absent
        case "true", "yes", "y", "1", "x", "on", "checked", "ja", "oui": return .value(true)
        case "false", "no", "n", "0", "off", "unchecked", "nein", "non": return .value(false)
        default: return .unreadable(text)
        }
    }
}

