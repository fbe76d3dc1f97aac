@testable import EmailCheckStage
import Foundation
import LeadRecords
import PipelineFileLoading
import PipelineSpec
import TestSupport
import Testing
import Yams

@Suite(.serialized) struct EmailCheckStageTests {
    static func options(_ yaml: String) throws -> OptionValues {
        var decoder = OptionDecoder(file: "t.yml")
        let values = decoder.decodeObject(try Yams.compose(yaml: yaml), schema: EmailCheckStage.descriptor.options,
                                          context: "stage 'email_check'")
        #expect(decoder.diagnostics.isEmpty, "\(decoder.diagnostics)")
        return values
    }

    static func run(_ emails: [String], options yaml: String) throws -> (records: [Record], schema: Schema, summary: [(String, ReportValue)]) {
        let built = try EmailCheckStage(options: try options(yaml), context: StageContext(pipelineFile: "t.yml"))
        var schema = Schema(inputColumns: ["Email"])
        let stage = try built.bind(schema: &schema, columns: ColumnBindings([.email: ColumnIndex(0)]))
        var records = emails.enumerated().map { Record(values: [$1], line: $0 + 2) }
        // Two chunks processed from two threads, as the executor does.
        let half = records.count / 2
        var first = Array(records[..<half]), second = Array(records[half...])
        let stageCopy = stage
        nonisolated(unsafe) var a = first, b = second
        nonisolated(unsafe) var countsA = stage.emptySummary(), countsB = stage.emptySummary()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { stageCopy.process(&a, counting: &countsA) } else { stageCopy.process(&b, counting: &countsB) }
        }
        first = a
        second = b
        records = first + second
        // The chunks' figures merged in input order, as the executor merges them.
        countsA.merge(countsB)
        return (records, schema, stage.report(countsA))
    }

    static let emails = [
        "jane@mx.test", "JOHN.Doe+x@MX.test", "ann@aonly.test", "bob@nullmx.test", "carl@private.test",
        "dan@missing.test", "eve@x.fail.test", "info@mx.test", "not an address", "", "zed@mx.test",
    ]

    @Test func everyRowGetsAStatusAReasonAndTheConfiguredAction() throws {
        try withTestNameServer { port in
            let (records, schema, summaryFields) = try Self.run(Self.emails, options: """
                dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1, concurrency: 4 }
                special_use_domains: { allow: [test] }
                actions: { invalid: reject, risky: flag, unknown: keep }
                """)
            let column = { (name: String) in schema.index(of: name)! }
            let rows = Dictionary(uniqueKeysWithValues: records.map { ($0[ColumnIndex(0)], $0) })
            func check(_ email: String, _ status: String, _ reason: String, _ action: String, rejected: Bool,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
                let record = rows[email]!
                #expect(record[column("email_status")] == status, sourceLocation: sourceLocation)
                #expect(record[column("email_reason")] == reason, sourceLocation: sourceLocation)
                #expect(record[column("email_action")] == action, sourceLocation: sourceLocation)
                #expect(!record.isActive == rejected, sourceLocation: sourceLocation)
                if rejected, case .rejected(let rejection) = record.disposition {
                    #expect(rejection.reason.code == reason, sourceLocation: sourceLocation)
                    #expect(rejection.stage == "email_check", sourceLocation: sourceLocation)
                }
            }
            check("jane@mx.test", "valid", "", "keep", rejected: false)
            check("ann@aonly.test", "valid", "", "keep", rejected: false)
            check("bob@nullmx.test", "invalid", "email_null_mx", "reject", rejected: true)
            check("carl@private.test", "invalid", "email_no_mail_host", "reject", rejected: true)
            check("dan@missing.test", "invalid", "email_nxdomain", "reject", rejected: true)
            check("eve@x.fail.test", "unknown", "email_dns_failure", "keep", rejected: false)
            check("info@mx.test", "risky", "email_role_account", "flag", rejected: false)
            check("not an address", "invalid", "email_invalid_syntax", "reject", rejected: true)
            check("", "invalid", "email_missing", "reject", rejected: true)
            let john = rows["JOHN.Doe+x@MX.test"]!
            #expect(john[column("email_normalized")] == "JOHN.Doe+x@mx.test")
            #expect(john[column("email_identity_key")] == "john.doe@mx.test")

            let summary = ReportValue.object(summaryFields)
            #expect(summary["email_status"] == .counts(["valid": 4, "risky": 1, "invalid": 5, "unknown": 1]))
            #expect(summary["email_reasons"]?["email_nxdomain"] == .integer(1))
            #expect(summary["email_actions"] == .counts(["keep": 5, "flag": 1, "reject": 5]))
            // Seven domains, each resolved once although mx.test has four rows across two threads.
            #expect(summary["dns"]?["domains_resolved"] == .integer(6))
            // mx.test's host came with its address in the MX answer: no host lookup of its own.
            #expect(summary["dns"]?["mx_hosts_from_additional_section"] == .integer(1))
            #expect(summary["dns"]?["mx_hosts_resolved"] == .integer(0))
        }
    }

    @Test func rowsAlreadyRejectedUpstreamAreLeftAlone() throws {
        let built = try EmailCheckStage(options: try Self.options("dns: { enabled: false }"), context: StageContext(pipelineFile: "t.yml"))
        var schema = Schema(inputColumns: ["Email"])
        let stage = try built.bind(schema: &schema, columns: ColumnBindings([.email: ColumnIndex(0)]))
        var records = [Record(values: ["bad"], line: 2)]
        records[0].reject(.csvWrongColumnCount, stage: "input")
        stage.process(&records)
        #expect(records[0][schema.index(of: "email_status")] == "")
        if case .rejected(let rejection) = records[0].disposition { #expect(rejection.reason == .csvWrongColumnCount) }
    }

    @Test func pipelineListsExtendAndOverrideTheBundledOnes() throws {
        try withTemporaryDirectory { dir in
            let roles = try dir.write("roles.txt", "# my roles\nceo\n")
            let (records, schema, _) = try Self.run(["ceo@acme.com", "info@acme.com", "a@burner.io", "b@mailinator.com",
                                                     "c@catchall.io", "d@gmail.com"], options: """
                dns: { enabled: false }
                role_accounts: { file: \(roles) }
                disposable: { add: [burner.io], remove: [mailinator.com], status: invalid }
                accept_all: { add: [catchall.io] }
                free_mail: { status: risky }
                actions: { invalid: flag }
                """)
            let status = schema.index(of: "email_status")!, reason = schema.index(of: "email_reason")!
            #expect(records.map { $0[status] } == ["risky", "valid", "invalid", "valid", "risky", "risky"])
            #expect(records.map { $0[reason] } == ["email_role_account", "", "email_disposable", "", "email_accept_all", "email_free_mail"])
        }
    }

    @Test("unusable options are reported at the option", arguments: [
        ("dns: { server: localhost }", "dns"),
        ("disposable: { file: /nonexistent/list.txt }", "disposable"),
    ])
    func unusableOptions(_ yaml: String, _ option: String) throws {
        let values = try Self.options(yaml)
        #expect { try EmailCheckStage(options: values, context: StageContext(pipelineFile: "t.yml", isLintOnly: true)) } throws: { error in
            (error as? OptionProblem)?.option == option
        }
    }

    @Test("numbers outside an option's range are reported at the value", arguments: [
        ("dns: { port: 70000 }", "t.yml:1:14: error: option 'port' of option 'dns' of stage 'email_check' must be within 1…65535, found 70000"),
        ("dns: { concurrency: 0 }", "t.yml:1:21: error: option 'concurrency' of option 'dns' of stage 'email_check' must be within 1…1024, found 0"),
    ])
    func outOfRangeOptions(_ yaml: String, _ message: String) throws {
        var decoder = OptionDecoder(file: "t.yml")
        _ = decoder.decodeObject(try Yams.compose(yaml: yaml), schema: EmailCheckStage.descriptor.options, context: "stage 'email_check'")
        #expect(decoder.diagnostics.map(\.description) == [message])
    }

    @Test func aPipelineWithAStoreReusesVerdictsFromTheCacheItsContextProvidesOnTheNextRun() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            var services = StageServices()
            services.provide((any DomainVerdictCache).self) { cache }
            let options = try Self.options("dns: { server: 127.0.0.1, port: \(port), cache_days: 7 }\nspecial_use_domains: { allow: [test] }")
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            func weeklyRun(daysLater: Double) throws -> ReportValue {
                let built = try EmailCheckStage(options: options, context: StageContext(
                    pipelineFile: "t.yml", now: now.addingTimeInterval(daysLater * 86_400), services: services))
                var schema = Schema(inputColumns: ["Email"])
                let stage = try built.bind(schema: &schema, columns: ColumnBindings([.email: ColumnIndex(0)]))
                var records = ["a@mx.test", "b@missing.test"].enumerated().map { Record(values: [$1], line: $0 + 2) }
                return ReportValue.object(stage.processReporting(&records))["dns"]!
            }
            #expect(try weeklyRun(daysLater: 0)["domains_resolved"] == .integer(2))
            #expect(try weeklyRun(daysLater: 6)["store_cache_hits"] == .integer(2))
            #expect(try weeklyRun(daysLater: 6)["domains_resolved"] == .integer(0))
            #expect(try weeklyRun(daysLater: 8)["domains_resolved"] == .integer(2)) // expired after cache_days
        }
    }

    @Test func findingsSetToValidAreStillCountedInTheReport() throws {
        let (_, _, summaryFields) = try Self.run(["a@gmail.com", "b@yahoo.com", "info@acme.com", "c@acme.com"], options: """
            dns: { enabled: false }
            role_accounts: { status: valid }
            """)
        let summary = ReportValue.object(summaryFields)
        #expect(summary["email_status"] == .counts(["valid": 4]))
        #expect(summary["email_findings"] == .counts(["email_free_mail": 2, "email_role_account": 1]))
    }

    @Test func rowsWithoutAnAddressCanBeKeptAsUnknown() throws {
        let (records, schema, _) = try Self.run(["", "a@acme.com"], options: """
            dns: { enabled: false }
            missing: unknown
            """)
        let status = schema.index(of: "email_status")!, reason = schema.index(of: "email_reason")!
        #expect(records[0][status] == "unknown")
        #expect(records[0][reason] == "email_missing")
        let allActive = records.allSatisfy { $0.isActive }
        #expect(allActive)
    }
}
