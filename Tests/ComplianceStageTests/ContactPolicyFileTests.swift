import ComplianceStage
import Foundation
import PipelineSpec
import Testing

/// The contact policy file: what it means, and where its mistakes are.
@Suite("Contact policy file")
struct ContactPolicyFileTests {
    @Test func theShippedExampleReadsAndSaysGermanyNeedsConsentAndCanadaDatesImpliedConsent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("SampleData/contact-policy.example.yml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("NOT LEGAL ADVICE"))
        let policy = try ContactPolicyFile.load(path: path)
        #expect(policy.countryFrom == [.lead, .companyHQ, .emailTLD])
        #expect(policy.rule(for: "DE").accepted?.map(\.consent) == [.doubleOptIn, .optIn])
        let canada = try #require(policy.rule(for: "CA").accepted)
        #expect(canada.first { $0.consent == .impliedEBR }?.within == ConsentWindow(count: 2, unit: .years))
        #expect(canada.first { $0.consent == .impliedPublished }?.roleRelevant == true)
        #expect(policy.rule(for: "US").accepted == nil, "an opt-out regime needs no consent")
        #expect(policy.rule(for: "FR").legalBases?.contains(.legitimateInterestProspect) == true, "an unlisted country gets the default")
    }

    @Test func unknownKeysAndValuesAreReportedAtTheirLineAndColumnWithTheNearestName() throws {
        let text = """
            country_from: [lead, email_tdl]
            default: { email: { legal_basis: [contract] } }
            countries:
              DE: { email: { requirs: [double_opt_in] } }
              CA:
                email:
                  requires_any: [opt_in, { implied_ebr: { within: 2 years } }, dubble_opt_in]
              Germany: { email: {} }
            """
        let error = try #require(throws: PipelineFileError.self) { try ContactPolicyFile.parse(text, file: "policy.yml") }
        let lines = error.diagnostics.map(\.description)
        #expect(lines.contains("policy.yml:1:22: error: unknown country source 'email_tdl'; did you mean 'email_tld'? (sources: lead, company_hq, email_tld)"))
        #expect(lines.contains { $0.hasPrefix("policy.yml:4:18: error: unknown key 'requirs' in countries.DE.email; did you mean 'requires'?") })
        #expect(lines.contains("policy.yml:7:55: error: within: is a length such as 2y, 6m, 26w or 30d, found '2 years'"))
        #expect(lines.contains { $0.hasPrefix("policy.yml:7:68: error: unknown consent 'dubble_opt_in'; did you mean 'double_opt_in'?") })
        #expect(lines.contains { $0.hasPrefix("policy.yml:8:3: error: country 'Germany' is not an ISO 3166-1 alpha-2 code") })
        #expect(error.diagnostics.count == 5)
    }

    @Test func aPolicyWithoutADefaultRuleIsRefused() throws {
        let error = try #require(throws: PipelineFileError.self) {
            try ContactPolicyFile.parse("countries:\n  DE: { email: { requires: [opt_in] } }\n", file: "p.yml")
        }
        #expect(error.diagnostics.map(\.message).first?.hasPrefix("the contact policy has no `default:` rule") == true)
    }

    @Test(arguments: [("2y", 2, ConsentWindow.Unit.years), ("6m", 6, .months), ("26w", 26, .weeks), ("30d", 30, .days)])
    func windowsAreWrittenWithAUnit(text: String, count: Int, unit: ConsentWindow.Unit) {
        #expect(ConsentWindow(text) == ConsentWindow(count: count, unit: unit))
    }

    @Test func aWindowCountsBackOnTheCalendar() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z"))
        #expect(ConsentWindow(count: 2, unit: .years).start(before: now) == ISO8601DateFormatter().date(from: "2024-11-23T00:00:00Z"))
        #expect(ConsentWindow(count: 6, unit: .months).start(before: now) == ISO8601DateFormatter().date(from: "2026-05-23T00:00:00Z"))
    }
}
