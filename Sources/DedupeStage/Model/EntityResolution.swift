import Foundation
import PipelineSpec

/// One whole run of the matcher over a list: candidate pairs, training, scoring and clustering.
///
/// The stage and the benchmark both go through this, so the figures the benchmark prints are the stage's.
public struct EntityResolution: Sendable {
    public let matcher: RecordMatcher
    /// Pairs compared, per blocking rule.
    package let pairsPerRule: [Int]
    /// Blocks skipped for size, per blocking rule.
    package let oversizedBlocks: [Int]
    package let em: ExpectationMaximisation.Outcome
    /// Links at or above the threshold.
    public let links: Int
    /// Scored pairs at or above `reviewMin`, strongest first.
    public let scored: [ScoredPair]
    public let clusters: EntityClustering.Result
    /// Seconds per phase: prepare, pairs, train, score, cluster.
    public var seconds: [(String, Double)] { phases.map { ($0.name, $0.seconds) } }
    /// Seconds and resident memory at the end of each phase.
    public let phases: [PhaseLap]

    public var pairsCompared: Int { pairsPerRule.reduce(0, +) }

    /// Runs the matcher.
    ///
    /// - Parameters:
    ///   - columns: values per column name, one per row (every column the fields and rules name).
    ///   - labels: judged row pairs; with `trainOnLabels` they set m instead of EM.
    public static func resolve(settings: DedupeSettings, rowCount: Int, columns: [String: [String]],
                               labels: [(Int, Int, Bool)] = [], trainOnLabels: Bool = false) throws(BlockingRuleError) -> EntityResolution {
        try resolve(settings: settings, rowCount: rowCount, makeColumns: { columns }, labels: labels, trainOnLabels: trainOnLabels)
    }

    /// Runs the matcher on columns built on demand (kept for callers that hold plain arrays).
    public static func resolve(settings: DedupeSettings, rowCount: Int, makeColumns: () -> [String: [String]],
                               labels: [(Int, Int, Bool)] = [], trainOnLabels: Bool = false) throws(BlockingRuleError) -> EntityResolution {
        let columns = makeColumns()
        return try resolve(settings: settings, rowCount: rowCount, readers: RecordMatcher.readers(of: columns), labels: labels, trainOnLabels: trainOnLabels)
    }

    /// Runs the matcher, reading raw values through `readers` while the fields are prepared and never after,
    /// so a caller's records are not copied into columns (on a million rows, a hundred MiB the run does not need).
    /// - Parameter progress: where each phase is reported, for the progress line.
    public static func resolve(settings: DedupeSettings, rowCount: Int, readers: [String: ColumnReader],
                               labels: [(Int, Int, Bool)] = [], trainOnLabels: Bool = false,
                               progress: StageProgress = .silent) throws(BlockingRuleError) -> EntityResolution {
        var clock = PhaseClock()
        progress.phase("preparing the compared fields")
        let matcher = try RecordMatcher(settings: settings, rowCount: rowCount, readers: readers)
        clock.lap("prepare")
        let candidates = matcher.candidatePairs(progress: progress)
        clock.lap("pairs")
        let em = matcher.train(candidates: candidates, labels: trainOnLabels ? labels : nil, progress: progress)
        clock.lap("train")
        return finish(matcher: matcher, candidates: candidates, em: em, settings: settings, rowCount: rowCount, clock: clock,
                      progress: progress)
    }

    /// Runs the matcher over a slice of a list made of whole connected components (a distributed run's task), with
    /// the model fitted on the whole list and its counts: the slice's entities are the ones a run over the whole
    /// list finds for these rows.
    package static func resolve(settings: DedupeSettings, rowCount: Int, readers: [String: ColumnReader],
                                fitted: FittedModel, globals: DedupeGlobals,
                                progress: StageProgress = .silent) throws -> EntityResolution {
        var clock = PhaseClock()
        progress.phase("preparing the compared fields")
        let matcher = try RecordMatcher(settings: settings, rowCount: rowCount, readers: readers, globals: globals)
        clock.lap("prepare")
        let candidates = matcher.candidatePairs(progress: progress)
        clock.lap("pairs")
        try matcher.install(fitted)
        clock.lap("train")
        return finish(matcher: matcher, candidates: candidates,
                      em: .init(iterations: fitted.iterations, converged: fitted.converged), settings: settings,
                      rowCount: rowCount, clock: clock, progress: progress)
    }

    /// Scores the candidate pairs with the trained matcher and clusters the links.
    private static func finish(matcher: RecordMatcher, candidates: RecordMatcher.CandidatePairs,
                               em: ExpectationMaximisation.Outcome, settings: DedupeSettings, rowCount: Int,
                               clock: PhaseClock, progress: StageProgress) -> EntityResolution {
        var clock = clock
        let scored = matcher.scoredPairs(candidates, minimumProbability: min(settings.reviewMin, settings.threshold),
                                         progress: progress)
        let bar = FellegiSunterModel.weight(probability: settings.threshold)
        let links = scored.prefix { $0.weight >= bar }
        clock.lap("score")
        progress.phase("clustering links", done: 0, of: links.count, paced: false)
        let clustering = EntityClustering(coherence: settings.coherence, pairProbability: settings.coherenceProbability)
        let cannotLink = matcher.contradictionKeys().map { keys in
            EntityClustering.CannotLink(keys: keys) { matcher.contradicts($0, $1) }
        }
        let clusters = clustering.cluster(rowCount: rowCount, links: Array(links), pairWeight: { matcher.weight($0, $1) },
                                          cannotLink: cannotLink, progress: progress)
        clock.lap("cluster")
        return EntityResolution(matcher: matcher, pairsPerRule: candidates.perRule, oversizedBlocks: candidates.oversizedBlocks,
                                em: em, links: links.count, scored: scored, clusters: clusters, phases: clock.laps)
    }
}
