import Testing
@testable import DedupeStage

@Suite struct PairwiseEvaluationTests {
    @Test func countsPairsFromTheContingencyTable() {
        // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}. True pairs 3, predicted 2, correct 1.
        let e = PairwiseEvaluation(predicted: ["a", "a", "b", "b"], truth: [1, 1, 1, 2])
        #expect(e.truePairs == 3)
        #expect(e.predictedPairs == 2)
        #expect(e.truePositives == 1)
        #expect(abs(e.precision - 0.5) < 1e-12)
        #expect(abs(e.recall - 1.0 / 3) < 1e-12)
        #expect(abs(e.f1 - 0.4) < 1e-12)
    }

    @Test func perfectClusteringScoresOne() {
        let e = PairwiseEvaluation(predicted: [7, 7, 8], truth: ["x", "x", "y"])
        #expect(e.f1 == 1)
    }
}
