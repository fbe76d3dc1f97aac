import DecayStage
import Foundation
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

/// decay_mailable as one rule set over email status, role addresses, decay status and suppression.
@Suite("mailable rule set")
struct MailableRuleTests {
    static let rows = [
        "a@acme.com|CTO|Acme|acme.com|2026-11-01||valid|||",
        "b@acme.com|CTO|Acme|acme.com|2026-11-01||unknown|email_dns_failure||",
        "c@mailinator.com|CTO|Acme|acme.com|2026-11-01||risky|email_disposable||",
        "info@acme.com|CTO|Acme|acme.com|2026-11-01||valid|email_role_account||",
        "d@gmial.com|CTO|Acme|acme.com|2026-11-01||risky|email_suspected_typo||",
        "e@acme.com|CTO|Acme|acme.com|2026-11-01||||",                          // no email_check before decay
        "f@acme.com|CTO|Acme|acme.com|2020-01-01||valid|||",                     // dead by age, flagged
    ]

    func run(_ yaml: String) throws -> [(mailable: String, why: String)] {
        var (bound, schema, records) = try StageFixture.stage(
            DecayStage.self, yaml, context: StageContext(pipelineFile: "weekly.yml", now: DecayScoringTests.now),
            table: ([DecayScoringTests.header] + Self.rows).joined(separator: "\n"), columns: DecayScoringTests.columns)
        try bound.run(&records)
        return records.map { ($0[schema.index(of: "decay_mailable")], $0[schema.index(of: "decay_not_mailable")]) }
    }

    @Test func onlyValidNonRoleLiveAddressesAreMailableByDefault() throws {
        let result = try run("actions: { dead: flag }")
        #expect(result.map(\.mailable) == ["yes", "no", "no", "no", "no", "yes", "no"])
        #expect(result.map(\.why) == ["", "email_unknown", "email_risky", "role_account", "email_risky", "", "dead"])
    }

    @Test func theRuleSetIsConfigurable() throws {
        let result = try run("actions: { dead: flag }\nmailable: { email_statuses: [valid, risky, unknown], allow_role: true }")
        #expect(result.map(\.mailable) == ["yes", "yes", "yes", "yes", "yes", "yes", "no"])
    }
}

/// decay_mailable includes compliance's contact_allowed when a compliance stage ran before decay.
@Suite("mailable and contact_allowed")
struct MailableContactAllowedTests {
    @Test func aRowComplianceDoesNotAllowIsNotMailable() throws {
        let header = DecayScoringTests.header + "|contact_allowed"
        let rows = [MailableRuleTests.rows[0] + "|yes", MailableRuleTests.rows[0] + "|no", MailableRuleTests.rows[0] + "|"]
        var (bound, schema, records) = try StageFixture.stage(
            DecayStage.self, "actions: { dead: flag }", context: StageContext(pipelineFile: "weekly.yml", now: DecayScoringTests.now),
            table: ([header] + rows).joined(separator: "\n"), columns: DecayScoringTests.columns)
        try bound.run(&records)
        #expect(records.map { $0[schema.index(of: "decay_mailable")] } == ["yes", "no", "yes"])
        #expect(records.map { $0[schema.index(of: "decay_not_mailable")] } == ["", "contact_not_allowed", ""])
    }
}
