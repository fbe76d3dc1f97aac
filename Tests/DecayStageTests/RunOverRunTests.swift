import DecayStage
import Foundation
import LeadHygiene
import LeadRecords
import PipelineSpec
import RunStore
import Testing
import TestSupport

/// The weekly scenario: run 1 records the store; the inputs change (a job change, an acquired
/// company's redirect, a new bounce, a lead gone from the source, a new lead); run 2 detects
/// exactly those, and the stable ids hold.
@Suite("decay run over run")
struct RunOverRunTests {
    static let header = "Lead ID|Email|Title|Company|Website|Last Verified At|email_status|web_status|web_redirect_domain"
    static let columns: [CanonicalField: String] = [.recordID: "Lead ID", .email: "Email", .title: "Title", .company: "Company",
                                                    .website: "Website", .lastVerifiedAt: "Last Verified At"]
    static let week1 = [
        "L1|ada@acme.com|CTO|Acme|acme.com|2026-10-01|valid|ok|",
        "L2|Bob@Globex.com|VP Sales|Globex|globex.com|2026-10-01|valid|ok|",
        "L3|cy@initech.io|Engineer|Initech|initech.io|2026-10-01|valid|ok|",
        "L4|dee@umbrella.com|CFO|Umbrella|umbrella.com|2026-10-01|valid|ok|",
        "L5|eve@hooli.com|Designer|Hooli|hooli.com|2026-10-01|valid|ok|",
        "L6|fay@vandelay.com|Buyer|Vandelay|vandelay.com|2026-10-01|valid|ok|",
    ]
    static let week2 = [
        "L1|ada@acme.com|CTO|Acme Inc.|acme.com|2026-10-01|valid|ok|",                  // only a legal form added: no change
        "L2|bob@globex.com|Head of Sales|Initrode|globex.com|2026-10-01|valid|ok|",     // job change (case of the email differs)
        "L3|cy@initech.io|Engineer|Initech|initech.io|2026-10-01|valid|ok|initrode.com", // Initech acquired by Initrode
        "L4|dee@umbrella.com|CFO|Umbrella|umbrella.com|2026-10-01|valid|ok|",           // new hard bounce
        "L6|fay@vandelay.com|Buyer|Vandelay|vandelay.com|2026-10-01|invalid|ok|",       // mailbox closed
        "L7|gus@pied.example|CEO|Pied Piper|pied.example|2026-11-20|valid|ok|",          // new lead
    ]

    /// One week of decay with the store at `store` handed in through the run store's services (decay's
    /// ``LeadHistory``), as `leadhygiene run` hands it; with `staging`, decay stages its run there for a runner.
    func run(_ rows: [String], now: String, bounces: String, store: String, in dir: TemporaryDirectory,
             staging: RunStagingArea? = nil) throws -> (figures: [(String, ReportValue)], schema: Schema, records: [Record]) {
        let path = try dir.write("bounces.csv", bounces)
        let context = StageContext(pipelineFile: "pipelines/weekly-hygiene.yml",
                                   now: ISO8601DateFormatter().date(from: now)!, storePath: store,
                                   services: RunStoreCaches.services(storePath: store, staging: staging))
        var (bound, schema, records) = try StageFixture.stage(DecayStage.self, "suppression: { path: \(path) }", context: context,
                                                              table: ([Self.header] + rows).joined(separator: "\n"),
                                                              columns: Self.columns)
        #expect(bound.isWholeList)
        let figures = try bound.run(&records)
        return (figures, schema, records)
    }

    @Test func theSecondRunDetectsExactlyWhatChangedAndStableIdsHold() throws {
        try withTemporaryDirectory { dir in
            let storePath = dir.path("out/leadhygiene.sqlite")
            let (first, schema1, records1) = try run(Self.week1, now: "2026-11-19T00:00:00Z",
                                                     bounces: "email,type\nold@elsewhere.com,hard_bounce\n",
                                                     store: storePath, in: dir)
            #expect(records1.allSatisfy { $0[schema1.index(of: "decay_reasons")].isEmpty })
            #expect(first.first { $0.0 == "run_over_run" }?.1["previous_run"] == .null)

            let (second, schema, records) = try run(Self.week2, now: "2026-11-26T00:00:00Z",
                                                    bounces: "email,type\nold@elsewhere.com,hard_bounce\ndee@umbrella.com,hard_bounce\n",
                                                    store: storePath, in: dir)
            let reasons = records.map { $0[schema.index(of: "decay_reasons")] }
            #expect(reasons == [
                "",
                "decay_title_changed;decay_company_changed",
                "decay_company_redirect",
                "suppressed_hard_bounce",
                "decay_email_invalid;decay_email_flipped_invalid",
                "",
            ])
            #expect(records[3].disposition == .rejected(Rejection(reason: .suppressedHardBounce, stage: "decay",
                                                                 detail: "score 1.000: suppressed_hard_bounce")))

            let history = try #require(second.first { $0.0 == "run_over_run" }?.1)
            #expect(history["previous_run"] == .integer(1))
            #expect(history["recorded_run"] == .integer(2))
            #expect(history["leads_compared"] == .integer(5))
            #expect(history["new_leads"] == .integer(1))
            #expect(history["vanished"] == .integer(1))
            #expect(history["vanished_sample"] == .array([.object([
                ("entity_id", .string("email:eve@hooli.com")), ("email", .string("eve@hooli.com")), ("previous_line", .integer(6)),
            ])]))
            #expect(history["week_over_week"]?["fresh"] == .object([("previous", .integer(6)), ("current", .integer(2)), ("change", .integer(-4))]))
            #expect(history["week_over_week"]?["dead"] == .object([("previous", .integer(0)), ("current", .integer(3)), ("change", .integer(3))]))
            #expect(history["reasons_week_over_week"]?["decay_company_redirect"]?["change"] == .integer(1))

            // The store: two complete runs; the same leads keep the same ids from week to week.
            let store = try RunStore(path: storePath)
            let runs = try store.runs(pipeline: "weekly-hygiene")
            #expect(runs.map(\.snapshotCount) == [6, 6])
            #expect(runs.map(\.rowsRejected) == [0, 3])
            #expect(runs[0].inputChecksum != runs[1].inputChecksum)
            let ids1 = Set(try store.snapshots(runID: runs[0].id!).map(\.entityID))
            let ids2 = Set(try store.snapshots(runID: runs[1].id!).map(\.entityID))
            #expect(ids1.intersection(ids2) == ["email:ada@acme.com", "email:bob@globex.com", "email:cy@initech.io",
                                                "email:dee@umbrella.com", "email:fay@vandelay.com"])
            let bob = try #require(try store.snapshotsByEntity(runID: runs[1].id!)["email:bob@globex.com"])
            #expect(bob.title == "Head of Sales")
            #expect(bob.decayStatus == "dead")
            #expect(try store.snapshotsByEntity(runID: runs[1].id!)["email:dee@umbrella.com"]?.disposition == "rejected:suppressed_hard_bounce")
        }
    }

    @Test func rerunningTheSameInputChangesNothing() throws {
        try withTemporaryDirectory { dir in
            let storePath = dir.path("store.sqlite")
            _ = try run(Self.week1, now: "2026-11-19T00:00:00Z", bounces: "email\n", store: storePath, in: dir)
            let (second, _, _) = try run(Self.week1, now: "2026-11-19T00:00:00Z", bounces: "email\n", store: storePath, in: dir)
            let history = try #require(second.first { $0.0 == "run_over_run" }?.1)
            #expect(history["vanished"] == .integer(0))
            #expect(history["new_leads"] == .integer(0))
            #expect(second.first { $0.0 == "reasons" }?.1 == .counts([:]))
            let runs = try RunStore(path: storePath).runs(pipeline: "weekly-hygiene")
            #expect(runs[0].inputChecksum == runs[1].inputChecksum)
        }
    }

    @Test func decayStagesItsRunThroughTheHistoryServiceAndTheStoreChangesOnlyWhenTheRunnerCommits() throws {
        try withTemporaryDirectory { dir in
            let storePath = dir.path("store.sqlite")
            _ = try run(Self.week1, now: "2026-11-19T00:00:00Z", bounces: "email\n", store: storePath, in: dir)
            let staging = RunStagingArea()
            let (second, _, _) = try run(Self.week2, now: "2026-11-26T00:00:00Z", bounces: "email\n", store: storePath, in: dir,
                                         staging: staging)
            let store = try RunStore(path: storePath)
            #expect(try store.runs().count == 1, "staged, not recorded")
            let staged = try #require(staging.runs.first)
            #expect(staged.pipeline == "weekly-hygiene")
            let history = try #require(second.first { $0.0 == "run_over_run" }?.1)
            #expect(history["previous_run"] == .integer(1))
            #expect(history["new_leads"] == .integer(1))

            let reference = ISO8601DateFormatter().date(from: "2026-11-26T00:00:00Z")!
            let saved = try staged.commit(as: RunRecord(pipeline: "ignored", inputChecksum: "week 2", referenceTime: reference,
                                                        startedAt: reference, finishedAt: reference, rowsIn: 6, rowsActive: 6,
                                                        rowsRejected: 0, rowsMerged: 0))
            #expect(saved.pipeline == "weekly-hygiene")
            #expect(saved.snapshotCount == 6)
            #expect(try store.snapshotsByEntity(runID: saved.id!)["email:bob@globex.com"]?.title == "Head of Sales")
        }
    }

    @Test func decayWithAStoreButNoHistoryServiceSaysSoInsteadOfComparingWithNothing() throws {
        try withTemporaryDirectory { dir in
            let context = StageContext(pipelineFile: "weekly.yml", storePath: dir.path("store.sqlite"))
            #expect(throws: OptionProblem.self) {
                try DecayStage(options: OptionValues(schema: DecayStage.descriptor.options), context: context)
            }
            #expect(!FileManager.default.fileExists(atPath: dir.path("store.sqlite")), "decay opened no store itself")
        }
    }
}
