import LeadRecords
import PipelineSpec
import ScoreStage
import Testing
import TestSupport

/// The points each group's reason starts with, written digit by digit into the reasons' buffer.
@Suite("score: the points in the reasons, large, small and negative")
struct ReasonsPointsTests {
    static let options = """
    name: fit
    groups:
      - name: huge
        rules:
          - { when: "Title matches_any [vp]", points: 100000 }
      - name: none
        rules:
          - { when: "Title matches_any [vp]", points: 0 }
      - name: drop
        rules:
          - { when: "Title matches_any [vp]", points: -100000 }
          - { when: "Title matches_any [sales]", points: -9 }
    tiers: { A: ">= 1", B: else }
    """

    @Test func eachGroupsPointsAreWrittenWithTheirSignAndEveryDigit() throws {
        var (stage, schema, records) = try StageFixture.stage(
            ScoreStage.self, Self.options, context: StageContext(pipelineFile: "t.yml"), table: "Title\nVP Sales\nSales Rep\n",
            columns: [.title: "Title"])
        guard case .streaming(let scoring) = stage else { throw OptionProblem("score is a streaming stage") }
        _ = scoring.processReporting(&records)
        let reasons = try #require(schema.columns.firstIndex(of: "fit_reasons"))
        #expect(records[0].values[reasons]
                == "+100000 huge: Title \"VP Sales\"; +0 none: Title \"VP Sales\"; -100009 drop: Title \"VP Sales\", Title \"VP Sales\"")
        #expect(records[1].values[reasons] == "-9 drop: Title \"Sales Rep\"")
    }
}
