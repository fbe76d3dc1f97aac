import Testing
@testable import DedupeStage

@Suite struct MatchExplanationTests {
    @Test func listsEachComparedFieldsLevelAndSignedWeightAndLeavesOutMissingOnes() {
        let explanation = MatchExplanation(contributions: [
            .init(field: "email", level: "exact", weight: 13.66),
            .init(field: "phone", level: "missing", weight: 0),
            .init(field: "first_name", level: "nickname", weight: 6.0),
            .init(field: "company", level: "different", weight: -0.94),
            .init(field: "city", level: "exact", weight: -0.04),
            .init(field: "score", level: "exact", weight: 123.46),
            .init(field: "country", level: "different", weight: -10),
        ], priorWeight: -20, weight: 2, probability: 0.8)
        #expect(explanation.description
            == "email:exact(+13.7) first_name:nickname(+6.0) company:different(-0.9) city:exact(+0.0) score:exact(+123.5) country:different(-10.0)")
    }

    @Test func anExplanationWithEveryFieldMissingIsEmpty() {
        let explanation = MatchExplanation(contributions: [.init(field: "email", level: "missing", weight: 0)],
                                           priorWeight: -20, weight: -20, probability: 0)
        #expect(explanation.description.isEmpty)
    }
}
