import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

// Training: u from random pairs, m and u by EM per blocking rule, guarded weights.
extension RecordMatcher {
    /// How many seeded streams draw the random pairs, whatever the number of cores.
    package static let randomPairStreams = 8

    /// Levels of pairs drawn uniformly at random (seeded): almost all are non-matches, which is what u measures.
    package func randomPatterns() -> [ComparisonPattern: Int] {
        guard rowCount > 1 else { return [:] }
        // The sample is drawn in a fixed number of seeded streams, never one per core: the same list gives the same
        // u, weights and entities on a laptop, a 64-core server and a Spark executor. (Eight is what a 2-core
        // machine drew before, so results there are unchanged.)
        let rows = rowCount, settings = self.settings
        let tasks = Self.randomPairStreamCount(rows: rows, settings: settings)
        let parts: [[ComparisonPattern: Int]] = ResultSlots.map(tasks) { t in
            var histogram: [ComparisonPattern: Int] = [:]
            Self.drawRandomPairs(rows: rows, settings: settings, stream: t, streams: tasks) { x, y in
                histogram[self.pattern(x, y, dependencies: false), default: 0] += 1
            }
            return histogram
        }
        var merged: [ComparisonPattern: Int] = [:]
        for part in parts { merged.merge(part, uniquingKeysWith: +) }
        return merged
    }

    /// Estimates u from random pairs, then m and the prior by EM over `candidates` (or from labelled pairs).
    @discardableResult
    public func train(candidates: CandidatePairs, labels: [(Int, Int, Bool)]? = nil,
                      progress: StageProgress = .silent) -> ExpectationMaximisation.Outcome {
        progress.phase("training: u from random pairs")
        let random = randomPatterns()
        var histogram: [RuledPattern: Int] = [:]
        for (p, mask) in zip(candidates.patterns, candidates.rules) { histogram[RuledPattern(pattern: p, rules: mask), default: 0] += 1 }
        guard let labels, !labels.isEmpty else {
            return train(histogram: histogram, randomPatterns: random, rows: rowCount, progress: progress)
        }
        var model = self.model
        estimateU(&model, randomPatterns: random, rows: rowCount)
        ExpectationMaximisation.trainFromLabels(
            &model, matches: labels.filter { $0.2 }.map { pattern($0.0, $0.1) },
            nonMatches: labels.filter { !$0.2 }.map { pattern($0.0, $0.1) })
        model.guardedWeights = WeightGuard.weights(model, kinds: settings.fields.map(\.comparator))
        // The labelled prior is about labelled pairs; the blocked pairs' prior comes from EM with m and u fixed.
        var all: [ComparisonPattern: Int] = [:]
        for p in candidates.patterns { all[p, default: 0] += 1 }
        let outcome = Self.estimatePrior(&model, patterns: all)
        finishTraining(model, candidateCount: candidates.count, rows: rowCount)
        return outcome
    }

    /// Estimates u from the random pairs' histogram, then m and the prior by EM over the candidate pairs' histogram
    /// (by pattern and the rules that block each pair); `rows` is the whole list's row count.
    ///
    /// Only counts reach the model, and every sum runs in one fixed order (``PatternHistogram``), so histograms
    /// counted on one machine or summed over a distributed run's partitions give the same model, bit for bit.
    @discardableResult
    package func train(histogram: [RuledPattern: Int], randomPatterns random: [ComparisonPattern: Int], rows: Int,
                       progress: StageProgress = .silent) -> ExpectationMaximisation.Outcome {
        var model = self.model
        estimateU(&model, randomPatterns: random, rows: rows)
        // Splink's scheme: one EM session per blocking rule, on the pairs that rule generated,
        // with the fields the rule blocks on left out (within its blocks they agree by construction);
        // each field's m is then the average over the sessions where it was free.
        var perRule = [[ComparisonPattern: Int]](repeating: [:], count: ruleTerms.count)
        var all: [ComparisonPattern: Int] = [:]
        var candidateCount = 0
        // A session sees every pair its rule blocks together, including pairs an earlier rule generated.
        for (ruled, n) in histogram {
            var bits = ruled.rules
            while bits != 0 {
                let r = bits.trailingZeroBitCount
                perRule[r][ruled.pattern, default: 0] += n
                bits &= bits - 1
            }
            all[ruled.pattern, default: 0] += n
            candidateCount += n
        }
        // Within a session u is re-estimated too: the non-matches inside a block are not random pairs
        // (inside `last_name + company` they are colleagues), and judging them against random pairs is
        // what makes plain EM mistake "same employer" for "same person".
        var sums = model.m.map { $0.map { _ in 0.0 } }
        var uSums = model.u.map { $0.map { _ in 0.0 } }
        var sessions = [Int](repeating: 0, count: fields.count), uSessions = sessions
        var failed = [WeightGuard.Problem?](repeating: nil, count: fields.count)
        var iterations = 0, converged = true
        let kinds = settings.fields.map(\.comparator)
        let sessionRules = perRule.indices.filter { perRule[$0].values.reduce(0, +) >= 20 }
        progress.phase("training: EM sessions per blocking rule", done: 0, of: sessionRules.count)
        for r in sessionRules {
            defer { progress.advance() }
            var session = model
            let result = ExpectationMaximisation.train(&session, patterns: perRule[r], maxIterations: settings.maxIterations,
                                                       fixU: false, excluding: Set(ruleFields[r]))
            iterations += result.iterations
            converged = converged && result.converged
            for f in fields.indices where !ruleFields[r].contains(f) {
                // A session that did not settle says nothing reliable about this field: leave it out.
                if !result.converged { failed[f] = failed[f] ?? .notConverged; continue }
                for l in uSums[f].indices { uSums[f][l] += session.u[f][l] }
                uSessions[f] += 1
                // Nor does one whose m, judged against the random pairs' u that scoring uses, contradicts
                // what the levels mean.
                var judged = model
                judged.m[f] = session.m[f]
                if let problem = WeightGuard.problem(judged, field: f, kind: kinds[f]) { failed[f] = problem; continue }
                for l in sums[f].indices { sums[f][l] += session.m[f][l] }
                sessions[f] += 1
            }
        }
        for f in fields.indices where uSessions[f] > 0 {
            // Levels judged against the block's own non-matches (two mailboxes at one employer are
            // compared with colleagues, not with random pairs): u from the sessions.
            for l in fields[f].kind.blockConditionalLevels {
                model.u[f][l] = max(model.u[f][l], uSums[f][l] / Double(uSessions[f]))
            }
        }
        var fallbacks: [(String, WeightGuard.Problem)] = []
        for f in fields.indices {
            if sessions[f] > 0 {
                model.m[f] = sums[f].map { $0 / Double(sessions[f]) }
                if let problem = WeightGuard.problem(model, field: f, kind: kinds[f]) { failed[f] = problem } else { continue }
            }
            // No sane session: m from the priors every people list roughly follows; u stays measured.
            model.m[f] = kinds[f].priorM
            fallbacks.append((model.fieldNames[f], failed[f] ?? .noSession))
        }
        trainingFallbacks = fallbacks
        model.guardedWeights = WeightGuard.weights(model, kinds: kinds)
        let prior = Self.estimatePrior(&model, patterns: all)
        finishTraining(model, candidateCount: candidateCount, rows: rows)
        return .init(iterations: iterations + prior.iterations, converged: converged && prior.converged)
    }

    /// u from the random pairs of a list of `rows` rows, beside the comparators' prior u where the list is too small
    /// to measure it alone (``SmallListPrior``).
    private func estimateU(_ model: inout FellegiSunterModel, randomPatterns: [ComparisonPattern: Int], rows: Int) {
        ExpectationMaximisation.estimateU(&model, randomPatterns: randomPatterns, prior: settings.fields.map(\.comparator.priorU),
                                          pseudoPairs: SmallListPrior.pseudoPairs(rows: rows))
    }

    /// Keeps EM's prior and installs the model with the prior scoring uses.
    private func finishTraining(_ trained: FellegiSunterModel, candidateCount: Int, rows: Int) {
        var model = trained
        // EM's prior is the share of matches among blocked pairs; scoring uses the share among all
        // pairs of the list (as Splink's probability_two_random_records_match), so a pair must
        // overcome the odds against two random rows being the same entity.
        trainingPrior = model.lambda
        let allPairs = Double(rows) * Double(max(rows - 1, 1)) / 2
        let expectedMatches = model.lambda * Double(candidateCount)
        model.lambda = min(max(expectedMatches / max(allPairs, 1), 1e-12), 0.5)
        install(model)
    }

    /// Uses a given model (for example one trained earlier) instead of training.
    package func install(_ model: FellegiSunterModel) {
        var model = model
        if model.guardedWeights == nil { model.guardedWeights = WeightGuard.weights(model, kinds: settings.fields.map(\.comparator)) }
        self.model = model
        exactU = fields.indices.map { log2(max(model.u[$0][Int(fields[$0].kind.exactLevel)], FellegiSunterModel.floor)) }
    }

    static func estimatePrior(_ model: inout FellegiSunterModel, patterns: [ComparisonPattern: Int]) -> ExpectationMaximisation.Outcome {
        // One fixed order for the sums: a dictionary's order changes from run to run.
        let table = PatternHistogram.ordered(patterns)
        for iteration in 1...50 {
            var mass = 0.0, total = 0.0
            for (p, n) in table {
                mass += n * FellegiSunterModel.probability(weight: model.weight(of: p))
                total += n
            }
            let lambda = min(max(mass / max(total, 1), 1e-9), 1 - 1e-9)
            defer { model.lambda = lambda }
            if abs(lambda - model.lambda) < 1e-7 { return .init(iterations: iteration, converged: true) }
        }
        return .init(iterations: 50, converged: false)
    }
}
