import Testing
@testable import DedupeStage

@Suite struct SurvivorshipRuleTests {
    let rows = [
        SurvivorshipRule.Candidate(value: "R. Smith", recency: "2024-01-01", sourceRank: 1, line: 2),
        SurvivorshipRule.Candidate(value: "Robert Smith", recency: "2023-06-01", sourceRank: 2, line: 3),
        SurvivorshipRule.Candidate(value: "", recency: "2025-01-01", sourceRank: 0, line: 4),
        SurvivorshipRule.Candidate(value: "R. Smith", recency: "2022-01-01", sourceRank: Int.max, line: 5),
    ]

    @Test(arguments: [
        (SurvivorshipRule.mostRecent, "R. Smith"), (.mostComplete, "Robert Smith"), (.mostFrequent, "R. Smith"),
        (.sourcePriority, "R. Smith"),
    ])
    func eachRulePicksItsValueAndEmptyValuesNeverSurvive(_ rule: SurvivorshipRule, _ expected: String) {
        #expect(rule.pick(rows) == expected)
    }

    @Test func sourcePriorityPrefersTheBestRankedSourceWithAValue() {
        let candidates = [
            SurvivorshipRule.Candidate(value: "crm", recency: "2020", sourceRank: 3, line: 2),
            SurvivorshipRule.Candidate(value: "list", recency: "2025", sourceRank: 7, line: 3),
        ]
        #expect(SurvivorshipRule.sourcePriority.pick(candidates) == "crm")
        #expect(SurvivorshipRule.mostRecent.pick(candidates) == "list")
    }

    @Test func allEmptyGivesEmpty() {
        #expect(SurvivorshipRule.mostComplete.pick([.init(value: "", recency: "", sourceRank: 0, line: 2)]) == "")
    }
}
