import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

// Scoring the candidate pairs with the trained model.
extension RecordMatcher {
    /// Scores every candidate pair; returns those at or above `minimumProbability`, strongest first.
    package func scoredPairs(_ candidates: CandidatePairs, minimumProbability: Double,
                            progress: StageProgress = .silent) -> [ScoredPair] {
        progress.phase("scoring pairs", done: 0, of: candidates.count)
        let minWeight = FellegiSunterModel.weight(probability: minimumProbability)
        var patternWeights: [ComparisonPattern: Double] = [:]
        for p in candidates.patterns where patternWeights[p] == nil { patternWeights[p] = model.weight(of: p) }
        let weights = patternWeights
        // Upper bound on the term-frequency bonus, so pairs that cannot reach the bar skip the per-field work.
        let maxBonus = fields.indices.reduce(0.0) { acc, f in
            settings.fields[f].termFrequency
                ? acc + max(0, exactU[f] + log2(Double(max(fields[f].nonNullCount, 1)) + termFrequencyPrior[f].rows)) : acc
        }
        let tasks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 8, candidates.count / 50_000 + 1))
        let chunk = (candidates.count + tasks - 1) / tasks
        let parts: [[ScoredPair]] = ResultSlots.map(tasks) { t in
            var out: [ScoredPair] = []
            let lo = t * chunk, hi = min(candidates.count, lo + chunk)
            guard lo < hi else { return out }
            for i in lo..<hi {
                if (i - lo) & 16_383 == 16_383 { progress.advance(by: 16_384) }
                let p = candidates.patterns[i]
                let base = weights[p]!
                if base + maxBonus < minWeight { continue }
                let a = Int(candidates.a[i]), b = Int(candidates.b[i])
                let w = self.weight(a, b, pattern: p, patternWeight: base)
                if w >= minWeight { out.append(ScoredPair(a: Int32(a), b: Int32(b), weight: w)) }
            }
            progress.advance(by: (hi - lo) & 16_383)
            return out
        }
        progress.phase("scoring: ranking the links")
        var all = parts.flatMap { $0 }
        all.sort { $0.weight > $1.weight || ($0.weight == $1.weight && ($0.a, $0.b) < ($1.a, $1.b)) }
        return all
    }
}

/// A compared pair with its match weight (prior included).
public struct ScoredPair: Sendable, Equatable {
    public var a: Int32
    public var b: Int32
    public var weight: Double
    public var probability: Double { FellegiSunterModel.probability(weight: weight) }

    public init(a: Int32, b: Int32, weight: Double) {
        self.a = a
        self.b = b
        self.weight = weight
    }
}
