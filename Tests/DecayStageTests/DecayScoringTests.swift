import DecayStage
import Foundation
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

@Suite("decay scoring")
struct DecayScoringTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-26T00:00:00Z")!
    static let columns: [CanonicalField: String] = [.email: "Email", .title: "Title", .company: "Company",
                                                    .website: "Website", .lastVerifiedAt: "Last Verified At",
                                                    .lastActivityAt: "Last Activity At"]
    static let header = "Email|Title|Company|Website|Last Verified At|Last Activity At|email_status|email_reason|web_status|web_redirect_domain"

    func run(_ yaml: String = "{}", rows: [String]) throws -> (figures: [(String, ReportValue)], schema: Schema, records: [Record]) {
        var (bound, schema, records) = try StageFixture.stage(
            DecayStage.self, yaml, context: StageContext(pipelineFile: "weekly.yml", now: Self.now),
            table: ([Self.header] + rows).joined(separator: "\n"), columns: Self.columns)
        #expect(!bound.isWholeList)
        let figures = try bound.run(&records)
        return (figures, schema, records)
    }

    func column(_ r: Record, _ name: String, _ schema: Schema) -> String { r[schema.index(of: name)] }

    @Test(arguments: [
        ("2026-11-26", "0.000", "fresh"),          // verified today
        ("2025-11-26", "0.225", "aging"),          // 365 days = 11.99 average months: 1 − 0.979^11.99
        ("2024-11-26", "0.399", "stale"),          // 730 days = 23.98 months
        ("2020-11-26", "0.783", "dead"),           // 2191 days = 71.99 months
    ])
    func ageDecaysAtTheMonthlyRateFromTheRunClock(verified: String, score: String, status: String) throws {
        let (_, schema, records) = try run(rows: ["a@acme.com|CTO|Acme|acme.com|\(verified)||valid|||"])
        #expect(column(records[0], "decay_score", schema) == score)
        #expect(column(records[0], "decay_status", schema) == status)
    }

    @Test func theMostRecentOfVerifiedAndActivityDatesCounts() throws {
        let (_, schema, records) = try run(rows: ["a@acme.com|CTO|Acme|acme.com|2020-01-01|2026-11-01T09:30:00Z|valid|||"])
        #expect(column(records[0], "decay_status", schema) == "fresh")
        #expect(column(records[0], "decay_reasons", schema) == "")
    }

    @Test func aConfiguredRateChangesTheScore() throws {
        let (_, schema, records) = try run("monthly_rate: 0.05", rows: ["a@acme.com|CTO|Acme|acme.com|2025-11-26||valid|||"])
        #expect(column(records[0], "decay_score", schema) == "0.459") // 1 − 0.95^11.99
        #expect(column(records[0], "decay_reasons", schema) == "decay_age")
    }

    @Test func leadsWithoutDatesAreAgingWithAReason() throws {
        let (stage, schema, records) = try run(rows: ["a@acme.com|CTO|Acme|acme.com|someday||valid|||"])
        #expect(column(records[0], "decay_status", schema) == "aging")
        #expect(column(records[0], "decay_reasons", schema) == "decay_no_date")
        #expect(stage.first { $0.0 == "unparseable_dates" }?.1 == .integer(1))
    }

    @Test func emailVerdictsMakeALeadDeadAndDeadIsRejectedByDefault() throws {
        let (stage, schema, records) = try run(rows: [
            "a@gone.example|CTO|Gone|gone.example|2026-11-01||invalid|email_null_mx||",
            "b@lapsed.example|CTO|Lapsed|lapsed.example|2026-11-01||invalid|email_nxdomain||",
            "c@acme.com|CTO|Acme|acme.com|2026-11-01||risky|email_catch_all||",
            "d@parked.example|CTO|Parked|parked.example|2026-11-01||invalid|email_mx_unresolvable||",
        ])
        #expect(column(records[0], "decay_reasons", schema) == "decay_null_mx;decay_email_invalid")
        #expect(column(records[0], "decay_status", schema) == "dead")
        #expect(records[0].disposition == .rejected(Rejection(reason: .decayDead, stage: "decay",
                                                             detail: "score 1.000: decay_null_mx;decay_email_invalid")))
        #expect(column(records[1], "decay_reasons", schema) == "decay_domain_unresolvable;decay_email_invalid")
        #expect(column(records[2], "decay_reasons", schema) == "decay_email_risky")
        #expect(column(records[2], "decay_status", schema) == "aging")
        #expect(records[2].isActive)
        #expect(column(records[3], "decay_reasons", schema) == "decay_domain_unresolvable;decay_email_invalid")
        #expect(stage.first { $0.0 == "status" }?.1["dead"] == .integer(3))
    }

    @Test func aRedirectToAnotherCompanysDomainMeansAcquiredButNotWithinTheSameDomain() throws {
        let (_, schema, records) = try run(rows: [
            "a@initech.io|CTO|Initech|https://initech.io|2026-11-01||valid||ok|initrode.com",
            "b@acme.com|CTO|Acme|acme.com|2026-11-01||valid||ok|www.acme.com",
            "c@hooli.com|CTO|Hooli|hooli.com|2026-11-01||valid||dns_failure|",
        ])
        #expect(column(records[0], "decay_reasons", schema) == "decay_company_redirect")
        #expect(column(records[0], "decay_status", schema) == "stale")
        #expect(column(records[0], "decay_action", schema) == "flag")
        #expect(column(records[1], "decay_reasons", schema) == "")
        #expect(column(records[2], "decay_reasons", schema) == "decay_site_gone")
    }

    @Test func actionsPerStatusComeFromThePipeline() throws {
        let (_, schema, records) = try run("actions: { aging: reject, dead: flag }", rows: [
            "a@acme.com|CTO|Acme|acme.com|2025-11-26||valid|||",
            "b@acme.com|CTO|Acme|acme.com|2026-11-01||invalid|||",
        ])
        #expect(records[0].disposition == .rejected(Rejection(reason: .decayAging, stage: "decay", detail: "score 0.225: decay_age")))
        #expect(records[1].isActive)
        #expect(column(records[1], "decay_action", schema) == "flag")
        #expect(column(records[1], "decay_mailable", schema) == "no")
    }

    @Test(arguments: [
        ("2025-03-14", "2025-03-14"), ("2025-03-14T10:00:00Z", "2025-03-14"), ("2025-03-14 10:00", "2025-03-14"),
        ("3/14/2025", "2025-03-14"), ("14.03.2025", "2025-03-14"), ("14.03.2025 09:15", "2025-03-14"),
        ("2025-03-14T23:30:00-05:00", "2025-03-15"), ("45730", "2025-03-14"), ("2025-13-01", nil), ("31.02.2025", nil),
    ] as [(String, String?)])
    func readsTheDateFormatsCRMsExport(text: String, day: String?) {
        let expected = day.flatMap { ISO8601DateFormatter().date(from: $0 + "T00:00:00Z")?.timeIntervalSince1970 }
        #expect(LeadAge.parse(text) == expected)
    }
}
