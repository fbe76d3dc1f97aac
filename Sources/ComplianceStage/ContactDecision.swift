import Foundation
import LeadRecords

/// The facts about one lead the contact rules look at, already read from its cells.
struct ContactFacts: Sendable {
    var address: SubjectAddress?
    var legalBasis: ConsentReading<LegalBasis> = .absent
    var emailConsent: ConsentReading<EmailConsent> = .absent
    /// `consent_date`; `nil` when empty or not a date (``consentDateText`` tells which).
    var consentDate: Date?
    var consentDateText = ""
    var doNotContact: ConsentReading<Bool> = .absent
    var ccpaOptOut: ConsentReading<Bool> = .absent
    var hasTitle = false
}

/// One reason a lead may not be contacted, with what the rejects file and the report say about it.
struct ContactFinding: Sendable, Equatable {
    var code: ReasonCode
    var detail: String
}

/// Decides whether a lead may be emailed: opt-outs and do-not-contact lists first (they hold in every
/// country), then the rule of the lead's country.
enum ContactDecision {
    /// Every reason the lead may not be emailed, in a fixed order; empty when it may.
    static func findings(_ facts: ContactFacts, rule: EmailRule, country: String, dnc: DoNotContactList, now: Date) -> [ContactFinding] {
        var findings: [ContactFinding] = []
        if let address = facts.address, let match = dnc.match(address) {
            let why = match.reason.isEmpty ? "" : " (\(match.reason))"
            findings.append(ContactFinding(
                code: match.kind == .address ? .dncListed : .dncDomain,
                detail: "on the do-not-contact list as '\(match.entry)' at \(match.origin)\(why)"))
        }
        for (field, reading) in [("do_not_contact", facts.doNotContact), ("ccpa_opt_out", facts.ccpaOptOut)] {
            switch reading {
            case .value(true): findings.append(ContactFinding(code: field == "do_not_contact" ? .doNotContact : .ccpaOptOut, detail: "\(field) is set"))
            case .unreadable(let text): findings.append(unknown(field, text))
            default: break
            }
        }
        if case .unreadable(let text) = facts.legalBasis { findings.append(unknown("legal_basis", text)) }
        if case .unreadable(let text) = facts.emailConsent { findings.append(unknown("email_consent", text)) }
        let consent = facts.emailConsent.value
        if consent == .withdrawn { findings.append(ContactFinding(code: .consentWithdrawn, detail: "email_consent is withdrawn")) }

        if let bases = rule.legalBases, !bases.contains(where: { $0 == facts.legalBasis.value }) {
            let found = facts.legalBasis.value?.rawValue ?? "none"
            findings.append(ContactFinding(code: .legalBasisMissing,
                                           detail: "\(country) requires a legal basis of \(bases.map(\.rawValue).joined(separator: " or ")), found \(found)"))
        }
        if let accepted = rule.accepted, consent != .withdrawn {
            if let problem = consentProblem(facts, accepted: accepted, country: country, now: now) { findings.append(problem) }
        }
        return findings
    }

    /// Why the lead's consent satisfies none of the accepted ones, or `nil` when one is satisfied.
    private static func consentProblem(_ facts: ContactFacts, accepted: [AcceptedConsent], country: String, now: Date) -> ContactFinding? {
        let listed = accepted.map(describe).joined(separator: " or ")
        guard let consent = facts.emailConsent.value else {
            return ContactFinding(code: .consentMissing, detail: "\(country) requires \(listed); the lead has no email_consent")
        }
        let candidates = accepted.filter { $0.consent == consent }
        guard !candidates.isEmpty else {
            return ContactFinding(code: .consentMissing, detail: "\(country) requires \(listed), found \(consent.rawValue)")
        }
        var problem: ContactFinding?
        for candidate in candidates {
            if let window = candidate.within {
                guard let date = facts.consentDate else {
                    let found = facts.consentDateText.isEmpty ? "no consent_date" : "consent_date '\(facts.consentDateText)' is not a date"
                    problem = ContactFinding(code: .consentDateMissing,
                                             detail: "\(country) accepts \(consent.rawValue) only within \(window) and the lead has \(found)")
                    continue
                }
                let start = window.start(before: now)
                guard date >= start else {
                    problem = ContactFinding(code: .consentExpired,
                                             detail: "\(consent.rawValue) of \(day(date)) is older than \(window) before \(day(now)) (since \(day(start)))")
                    continue
                }
            }
            if candidate.roleRelevant, !facts.hasTitle {
                problem = ContactFinding(code: .consentMissing,
                                         detail: "\(country) accepts \(consent.rawValue) only when relevant to the person's role, and the lead has no title to judge it by")
                continue
            }
            return nil
        }
        return problem
    }

    private static func unknown(_ field: String, _ text: String) -> ContactFinding {
        ContactFinding(code: .consentValueUnknown, detail: "\(field) '\(text.prefix(60))' is not a value the stage knows (docs/stages/compliance.md)")
    }

    private static func describe(_ accepted: AcceptedConsent) -> String {
        var text = accepted.consent.rawValue
        if let within = accepted.within { text += " within \(within)" }
        if accepted.roleRelevant { text += " (role relevant)" }
        return text
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
