/// Pairwise precision, recall and F1 of a clustering against true entities, from contingency counts.
///
/// A pair is predicted when both rows share a cluster (transitive closure counts) and true when
/// they share an entity; each count is a sum of n-choose-2 over cells, so no pair is listed.
package struct PairwiseEvaluation: Sendable, Equatable, CustomStringConvertible {
    package var truePositives: Int
    package var predictedPairs: Int
    package var truePairs: Int

    public var precision: Double { predictedPairs == 0 ? 1 : Double(truePositives) / Double(predictedPairs) }
    package var recall: Double { truePairs == 0 ? 1 : Double(truePositives) / Double(truePairs) }
    package var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Compares predicted cluster labels with true entity labels, row by row.
    public init<C: Hashable, E: Hashable>(predicted: [C], truth: [E]) {
        precondition(predicted.count == truth.count)
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var cells: [Pair<C, E>: Int] = [:], clusters: [C: Int] = [:], entities: [E: Int] = [:]
        for (c, e) in zip(predicted, truth) {
            cells[Pair(c: c, e: e), default: 0] += 1
            clusters[c, default: 0] += 1
            entities[e, default: 0] += 1
        }
        truePositives = cells.values.reduce(0) { $0 + pairs($1) }
        predictedPairs = clusters.values.reduce(0) { $0 + pairs($1) }
        truePairs = entities.values.reduce(0) { $0 + pairs($1) }
    }

    private struct Pair<C: Hashable, E: Hashable>: Hashable { var c: C; var e: E }

    public var description: String {
        "precision \(Self.format(precision)) recall \(Self.format(recall)) F1 \(Self.format(f1)) (true pairs \(truePairs), predicted \(predictedPairs), correct \(truePositives))"
    }

    static func format(_ x: Double) -> String {
        let scaled = (x * 10000).rounded() / 10000
        return String(scaled)
    }
}
