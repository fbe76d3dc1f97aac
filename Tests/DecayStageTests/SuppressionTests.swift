import DecayStage
import Foundation
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

@Suite("ESP suppression file")
struct SuppressionTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-26T00:00:00Z")!
    static let leads = """
        Email|Last Verified At
        hard@acme.com|2026-11-01
        Unsub@Acme.com|2026-11-01
        spam@acme.com|2026-11-01
        soft@acme.com|2026-11-01
        clean@acme.com|2026-11-01
        """
    static let bounces = """
        Email Address,Event
        hard@acme.com,Hard Bounce
        unsub@acme.com,unsubscribed
        spam@acme.com,spam_complaint
        soft@acme.com,soft_bounce
        """

    func run(_ action: String?, in dir: TemporaryDirectory) throws -> ([(String, ReportValue)], Schema, [Record]) {
        let path = try dir.write("bounces.csv", Self.bounces)
        let actionText = action.map { ", action: \($0)" } ?? ""
        var (bound, schema, records) = try StageFixture.stage(
            DecayStage.self, "suppression: { path: \(path), email_column: Email Address, type_column: Event\(actionText) }",
            context: StageContext(pipelineFile: "weekly.yml", now: Self.now), table: Self.leads,
            columns: [.email: "Email", .lastVerifiedAt: "Last Verified At"])
        let figures = try bound.run(&records)
        return (figures, schema, records)
    }

    @Test func suppressedRowsAreRejectedByDefaultWithTheirKind() throws {
        try withTemporaryDirectory { dir in
            let (stage, _, records) = try run(nil, in: dir)
            let reasons = records.map { record -> String in
                if case .rejected(let r) = record.disposition { return r.reason.code }
                return "active"
            }
            #expect(reasons == ["suppressed_hard_bounce", "suppressed_unsubscribe", "suppressed_complaint", "active", "active"])
            #expect(stage.first { $0.0 == "suppressed" }?.1
                    == .counts(["hard_bounce": 1, "unsubscribe": 1, "complaint": 1]))
            #expect(stage.first { $0.0 == "suppression_action" }?.1 == .string("reject"))
        }
    }

    @Test func flaggedSuppressedRowsStayButAreNeverMailable() throws {
        try withTemporaryDirectory { dir in
            let (_, schema, records) = try run("flag", in: dir)
            let mailable = records.map { $0[schema.index(of: "decay_mailable")] }
            let actions = records.map { $0[schema.index(of: "decay_action")] }
            #expect(mailable == ["no", "no", "no", "yes", "yes"])
            #expect(actions == ["reject", "flag", "flag", "keep", "keep"])
            // A hard bounce is also a dead address, and dead rows are rejected by default (actions.dead);
            // an unsubscribe or a complaint is not decay: those rows stay, flagged and not mailable.
            #expect(records[0][schema.index(of: "decay_status")] == "dead")
            #expect(records[0].disposition == .rejected(Rejection(reason: .decayDead, stage: "decay",
                                                                 detail: "score 1.000: suppressed_hard_bounce")))
            #expect(records[1][schema.index(of: "decay_status")] == "fresh")
            #expect(records.dropFirst().allSatisfy { $0.isActive })
        }
    }

    @Test func aSuppressionFileWithoutTheEmailColumnIsAnOptionProblem() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("bounces.csv", "address,type\nx@y.com,bounce\n")
            let options = try StageFixture.options("suppression: { path: \(path) }", stage: DecayStage.descriptor)
            #expect(throws: OptionProblem.self) {
                try DecayStage(options: options, context: StageContext(pipelineFile: "weekly.yml"))
            }
        }
    }
}
