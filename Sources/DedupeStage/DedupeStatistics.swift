import PipelineSpec

/// The dedupe stage's figures for the run report.
public struct DedupeStatistics: Sendable {
    package var rowsCompared = 0
    /// The rows of the list the model was fitted on, when this run compared part of it (a distributed run's cluster
    /// task, with the whole list's model): the prior's share is that list's, not the task's.
    package var modelRows: Int?
    package var pairsPerRule: [(String, Int)] = []
    package var oversizedBlocksPerRule: [(String, Int)] = []
    public var links = 0
    package var refusedLinks = 0
    public var entities = 0
    package var duplicateRows = 0
    /// Entities of two rows or more: the people the duplicate rows belong to.
    package var entitiesWithDuplicates = 0
    package var emIterations = 0
    package var emConverged = true
    /// Fields whose m came from the priors instead of EM, and why (`not_converged`, `inverted`, `disordered`).
    package var emFallbacks: [(String, String)] = []
    public var prior = 0.0
    package var reviewPairs = 0
    package var labelEvaluation: PairwiseLabelScore?
    /// The learned weights: per field, per level, the match weight in bits.
    public var weights: [(String, [(String, Double)])] = []
    /// The largest clusters and a few explained pairs, for the HTML report.
    var showcase = DedupeShowcase()

    public var pairsCompared: Int { pairsPerRule.reduce(0) { $0 + $1.1 } }

    func report() -> [(String, ReportValue)] {
        var out: [(String, ReportValue)] = [
            ("rows_compared", .integer(rowsCompared)),
            ("pairs_compared", .integer(pairsCompared)),
            ("pairs_by_rule", .object(pairsPerRule.map { ($0.0, .integer($0.1)) })),
            ("oversized_blocks_by_rule", .object(oversizedBlocksPerRule.map { ($0.0, .integer($0.1)) })),
            ("links", .integer(links)),
            ("links_refused_by_chain_guard", .integer(refusedLinks)),
            ("entities", .integer(entities)),
            ("duplicate_rows", .integer(duplicateRows)),
            ("entities_with_duplicates", .integer(entitiesWithDuplicates)),
            ("em_iterations", .integer(emIterations)),
            ("em_converged", .bool(emConverged)),
            // One word for a reader: EM's weights were used as learned, or some fields fell back to priors.
            ("em_status", .string(emFallbacks.isEmpty ? (emConverged ? "converged" : "not_converged") : "fallback_to_priors")),
            ("em_fallback_fields", .object(emFallbacks.map { ($0.0, .string($0.1)) })),
            ("match_prior", .number(prior)),
            ("review_pairs", .integer(reviewPairs)),
            ("match_weights", .object(weights.map { field in
                (field.0, .object(field.1.map { ($0.0, .number(($0.1 * 100).rounded() / 100)) }))
            })),
        ]
        // Only lists under a thousand rows lean on the prior u; larger lists' reports stay as they were.
        let priorShare = SmallListPrior.share(rows: modelRows ?? rowsCompared)
        if (modelRows ?? rowsCompared) > 1, priorShare > 0 {
            let at = out.firstIndex { $0.0 == "match_prior" }.map { $0 + 1 } ?? out.count
            out.insert(("u_prior_share", .number((priorShare * 1000).rounded() / 1000)), at: at)
        }
        out += showcase.report
        if let score = labelEvaluation {
            out.append(("labels", .object([
                ("pairs", .integer(score.pairs)), ("precision", .number(score.precision)), ("recall", .number(score.recall)),
            ])))
        }
        return out
    }
}

/// Precision and recall of the entities on judged pairs (`labels_use: evaluate`).
package struct PairwiseLabelScore: Sendable, Equatable {
    public var pairs: Int
    package var truePositives: Int
    package var falsePositives: Int
    package var falseNegatives: Int
    package var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    package var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
}
