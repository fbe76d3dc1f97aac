/// Unsupervised estimation of a ``FellegiSunterModel``, as Splink does it: u from pairs drawn at
/// random (almost all non-matches), then m and the prior by expectation–maximisation over the
/// blocked pairs with u held fixed.
///
/// Both steps work on pattern histograms (how many pairs share each combination of levels), so a
/// run over ten million pairs costs a few thousand distinct patterns per iteration.
public enum ExpectationMaximisation {
    /// How many EM rounds ran and whether the parameters settled.
    public struct Outcome: Sendable, Equatable {
        public var iterations: Int
        package var converged: Bool
    }

    /// Sets u for every field and level from the levels of random pairs (nulls excluded), beside `pseudoPairs`
    /// pairs distributed as `prior[f]` (``SmallListPrior``: none from a thousand rows on).
    package static func estimateU(_ model: inout FellegiSunterModel, randomPatterns: [ComparisonPattern: Int],
                                  prior: [[Double]] = [], pseudoPairs: Double = 0) {
        let ordered = PatternHistogram.ordered(randomPatterns)
        for f in model.fieldNames.indices {
            var counts = [Double](repeating: 0, count: model.u[f].count)
            for (pattern, n) in ordered {
                let level = pattern.level(f)
                if level != PreparedField.nullLevel { counts[Int(level)] += n }
            }
            let total = counts.reduce(0, +)
            let weight = f < prior.count ? pseudoPairs : 0
            guard total > 0 || weight > 0 else { continue }
            // Half a pair of smoothing: a level never seen at random is rare, not impossible.
            let denominator = total + 0.5 * Double(counts.count) + weight
            model.u[f] = counts.indices.map { l in (max(counts[l], 0.5) + weight * (weight > 0 ? prior[f][l] : 0)) / denominator }
        }
    }

    /// Runs EM over the blocked pairs' pattern histogram, updating m (and u when `fixU` is false) and the prior.
    ///
    /// Fields in `excluded` neither vote in the E step nor change in the M step (a blocking rule's own fields).
    @discardableResult
    public static func train(_ model: inout FellegiSunterModel, patterns: [ComparisonPattern: Int],
                             maxIterations: Int = 30, tolerance: Double = 1e-5, fixU: Bool = true,
                             excluding excluded: Set<Int> = []) -> Outcome {
        // One fixed order for every sum below: a dictionary's order changes from run to run.
        let table = PatternHistogram.ordered(patterns)
        let fields = model.fieldNames.count
        model.guardedWeights = nil  // EM works on m and u themselves
        guard !table.isEmpty else { return Outcome(iterations: 0, converged: true) }
        for iteration in 1...maxIterations {
            var mCounts = model.m.map { [Double](repeating: 0, count: $0.count) }
            var uCounts = model.u.map { [Double](repeating: 0, count: $0.count) }
            var matchMass = 0.0, total = 0.0
            for (pattern, n) in table {
                // E step: posterior that this pattern is a match under the current parameters.
                var w = model.priorWeight
                for f in 0..<fields where !excluded.contains(f) { w += model.weight(field: f, level: pattern.level(f)) }
                let p = FellegiSunterModel.probability(weight: w)
                matchMass += n * p
                total += n
                for f in 0..<fields {
                    let level = pattern.level(f)
                    if level == PreparedField.nullLevel { continue }
                    mCounts[f][Int(level)] += n * p
                    uCounts[f][Int(level)] += n * (1 - p)
                }
            }
            // M step.
            var change = 0.0
            let newLambda = min(max(matchMass / total, 1e-9), 1 - 1e-9)
            change = max(change, abs(newLambda - model.lambda))
            model.lambda = newLambda
            for f in 0..<fields where !excluded.contains(f) {
                let mTotal = mCounts[f].reduce(0, +)
                if mTotal > 0 {
                    for l in mCounts[f].indices {
                        let value = mCounts[f][l] / mTotal
                        change = max(change, abs(value - model.m[f][l]))
                        model.m[f][l] = value
                    }
                }
                if !fixU {
                    let uTotal = uCounts[f].reduce(0, +)
                    if uTotal > 0 { for l in uCounts[f].indices { model.u[f][l] = uCounts[f][l] / uTotal } }
                }
            }
            if change < tolerance { return Outcome(iterations: iteration, converged: true) }
        }
        return Outcome(iterations: maxIterations, converged: false)
    }

    /// Sets m (and the prior) from labelled pairs instead of EM: m from the levels of the true matches.
    package static func trainFromLabels(_ model: inout FellegiSunterModel, matches: [ComparisonPattern],
                                       nonMatches: [ComparisonPattern]) {
        for f in model.fieldNames.indices {
            var counts = [Double](repeating: 0, count: model.m[f].count)
            for pattern in matches where pattern.level(f) != PreparedField.nullLevel { counts[Int(pattern.level(f))] += 1 }
            let total = counts.reduce(0, +)
            if total > 0 { model.m[f] = counts.map { max($0, 0.5) / (total + 0.5 * Double(counts.count)) } }
        }
        let n = matches.count + nonMatches.count
        if n > 0, !matches.isEmpty { model.lambda = min(max(Double(matches.count) / Double(n), 1e-6), 1 - 1e-6) }
    }
}
