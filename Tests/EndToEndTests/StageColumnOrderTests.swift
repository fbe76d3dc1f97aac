import Foundation
import LeadHygiene
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

/// Stages hand each other typed columns; `lint` checks that the stage writing a column runs before the stage reading it.
@Suite("Stage columns: who writes what, in which order")
struct StageColumnOrderTests {
    func lint(stages: String, header: String = "email,first_name,company") throws -> ProcessResult {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", header + "\na@acme.com,Ann,Acme\n")
            try dir.write("p.yml", """
            input: { path: leads.csv }
            output: { path: out.csv }
            stages:
            \(stages)
            """)
            return try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
        }
    }

    @Test func aStageThatReadsWhatALaterStageWritesIsAnErrorAtItsLine() throws {
        let result = try lint(stages: """
              - normalize: {}
              - decay: {}
              - email_check: { dns: { enabled: false } }
            """)
        #expect(result.status == 2)
        #expect((result.stdout + result.stderr).contains("p.yml:5:5: error: stage 'decay' reads email_status, email_reason, which 'email_check' writes only after it; "
                                       + "put email_check before decay"), "\(result.stdout)\(result.stderr)")
    }

    @Test func aColumnNoStageWritesIsAWarningThatNamesTheStageThatWould() throws {
        let result = try lint(stages: """
              - email_check: { dns: { enabled: false } }
              - decay: {}
            """)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains("warning: stage 'decay' reads web_status, web_redirect_domain, which no earlier stage writes "
                                       + "and the input lacks (written by scrape)"), "\(result.stdout)\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("email_status"))
    }

    @Test func aColumnTheInputAlreadyHasNeedsNoStage() throws {
        let result = try lint(stages: "  - decay: {}", header: "email,first_name,company,email_status,email_reason,web_status,web_redirect_domain")
        #expect(result.status == 0)
        #expect(!(result.stdout + result.stderr).contains("reads "), "\(result.stdout)")
    }

    @Test func everyColumnAStageReadsIsWrittenByARegisteredStageWithTheSameType() {
        let produced = StageRegistry.descriptors.flatMap(\.producedColumns)
        for descriptor in StageRegistry.descriptors {
            for column in descriptor.produces {
                #expect(descriptor.addedColumns.contains(column.name), "\(descriptor.name) produces \(column.name) without adding it")
            }
            for column in descriptor.consumes {
                #expect(produced.contains(column), "\(descriptor.name) reads \(column), which no stage writes with that type")
            }
        }
    }

    @Test func typedColumnValuesReadBackWhatTheyWrite() {
        for status in EmailStatus.allCases { #expect(EmailStatus(columnText: status.columnText) == status) }
        for status in WebStatus.allCases { #expect(WebStatus(columnText: status.columnText) == status) }
        for status in DecayStatus.allCases { #expect(DecayStatus(columnText: status.columnText) == status) }
        #expect(Bool(columnText: "yes") == true && Bool(columnText: "no") == false && Bool(columnText: "Y") == nil)
        #expect(Double(columnText: "0.731") == 0.731 && Double(columnText: "") == nil)
        #expect(ReasonCodeList(columnText: "decay_age;decay_title_changed")?.contains(.decayTitleChangedCode) == true)
        #expect(EmailStatus(columnText: "") == nil && EmailStatus(columnText: "catch-all") == nil)
    }
}

extension ReasonCode {
    fileprivate static let decayTitleChangedCode = ReasonCode("decay_title_changed", "")
}
