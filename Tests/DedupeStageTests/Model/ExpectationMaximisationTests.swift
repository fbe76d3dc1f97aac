import Foundation
import Testing
@testable import DedupeStage

@Suite struct ExpectationMaximisationTests {
    /// Pairs drawn from known m and u over two fields with levels [different, similar, exact].
    static func histogram(matches: Int, nonMatches: Int) -> [ComparisonPattern: Int] {
        let m: [[Double]] = [[0.05, 0.15, 0.80], [0.10, 0.20, 0.70]]
        let u: [[Double]] = [[0.90, 0.08, 0.02], [0.85, 0.10, 0.05]]
        var histogram: [ComparisonPattern: Int] = [:]
        for (count, p) in [(matches, m), (nonMatches, u)] {
            for a in 0..<3 { for b in 0..<3 {
                var pattern = ComparisonPattern()
                pattern.set(0, UInt8(a))
                pattern.set(1, UInt8(b))
                histogram[pattern, default: 0] += Int((Double(count) * p[0][a] * p[1][b]).rounded())
            } }
        }
        return histogram
    }

    @Test func emRecoversMAndThePriorWhenUIsKnown() {
        var model = FellegiSunterModel(fieldNames: ["a", "b"], levelNames: [["different", "similar", "exact"], ["different", "similar", "exact"]])
        model.u = [[0.90, 0.08, 0.02], [0.85, 0.10, 0.05]]
        let outcome = ExpectationMaximisation.train(&model, patterns: Self.histogram(matches: 20_000, nonMatches: 80_000), maxIterations: 200,
                                                    tolerance: 1e-7)
        #expect(outcome.converged)
        #expect(abs(model.lambda - 0.2) < 0.01)
        #expect(abs(model.m[0][2] - 0.80) < 0.02)
        #expect(abs(model.m[1][2] - 0.70) < 0.02)
        #expect(abs(model.m[0][0] - 0.05) < 0.02)
    }

    @Test func uFromRandomPairsIsTheShareOfEachLevel() {
        var model = FellegiSunterModel(fieldNames: ["a"], levelNames: [["different", "exact"]])
        var different = ComparisonPattern(), exact = ComparisonPattern(), missing = ComparisonPattern()
        different.set(0, 0)
        exact.set(0, 1)
        missing.set(0, PreparedField.nullLevel)
        ExpectationMaximisation.estimateU(&model, randomPatterns: [different: 990, exact: 10, missing: 500])
        #expect(abs(model.u[0][1] - 0.01) < 0.001)
        #expect(abs(model.u[0][0] - 0.99) < 0.001)
    }

    @Test func labelledMatchesSetMWithoutEM() {
        var model = FellegiSunterModel(fieldNames: ["a"], levelNames: [["different", "exact"]])
        var exact = ComparisonPattern(), different = ComparisonPattern()
        exact.set(0, 1)
        different.set(0, 0)
        ExpectationMaximisation.trainFromLabels(&model, matches: Array(repeating: exact, count: 9) + [different],
                                                nonMatches: Array(repeating: different, count: 10))
        #expect(abs(model.m[0][1] - 9.0 / 11) < 1e-9)  // half a pair of smoothing per level
        #expect(abs(model.lambda - 0.5) < 1e-9)
    }

    @Test func weightsAreLogRatiosAndMissingValuesWeighNothing() {
        var model = FellegiSunterModel(fieldNames: ["a"], levelNames: [["different", "exact"]])
        model.m = [[0.1, 0.9]]
        model.u = [[0.99, 0.01]]
        #expect(abs(model.weight(field: 0, level: 1) - log2(90.0)) < 1e-9)
        #expect(model.weight(field: 0, level: PreparedField.nullLevel) == 0)
        #expect(FellegiSunterModel.format(probability: 0.97314) == "0.9731")
        #expect(FellegiSunterModel.format(probability: 0.00004) == "0.0000")
        #expect(FellegiSunterModel.format(probability: 1) == "1.0000")
    }
}
