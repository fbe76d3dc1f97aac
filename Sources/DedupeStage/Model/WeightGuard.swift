import Foundation

/// Rules that keep learned Fellegi–Sunter weights sane, whatever EM made of the data.
///
/// EM has no notion of what a level means: on a small list it can learn that a typo in a first name says more
/// than an exact agreement, and on a list of large accounts that a shared city says more than a different
/// family name. The guard checks each field's learned m against what the levels mean, replaces a degenerate
/// field's m by ``ComparatorKind/priorM``, and then orders the weights:
/// 1. along each of ``ComparatorKind/closenessChains`` a closer agreement never weighs less than a looser one
///    (pool-adjacent-violators: violating neighbours share their mean);
/// 2. a second mailbox at one employer is never evidence for a match (at most 0);
/// 3. for single-valued fields (names, dates) `different` weighs against at least half as much as `exact`
///    weighs for, up to the floor of log2(``FellegiSunterModel/minimumM``): a person has one family name.
public enum WeightGuard {
    /// Why a field's learned m was not used.
    public enum Problem: String, Sendable, Equatable {
        /// No EM session that left the field free converged.
        case notConverged = "not_converged"
        /// An exact agreement weighed against a match, or a disagreement for one.
        case inverted
        /// A looser agreement weighed clearly more than a closer one (more than one bit).
        case disordered
        /// No EM session left the field free with enough pairs to learn from (every blocking rule uses it, or the list is tiny).
        case noSession = "no_session"
    }

    /// The tolerance, in bits, before an out-of-order pair of levels counts as degenerate rather than noise.
    static let disorderTolerance = 1.0

    /// What is wrong with field `f`'s learned m and u, if anything.
    public static func problem(_ model: FellegiSunterModel, field f: Int, kind: ComparatorKind) -> Problem? {
        let weights = (0..<kind.levelCount).map { model.rawWeight(field: f, level: $0) }
        if model.m[f].contains(where: { !$0.isFinite }) { return .inverted }
        let exact = weights[kind.levelCount - 1]
        if exact <= 0 || weights[0] > 0 { return .inverted }
        for chain in kind.closenessChains {
            for (i, lower) in chain.enumerated() {
                for higher in chain[(i + 1)...] where weights[lower] > weights[higher] + disorderTolerance { return .disordered }
            }
        }
        return nil
    }

    /// The guarded weights of every field and level (the rules above applied to the raw weights).
    public static func weights(_ model: FellegiSunterModel, kinds: [ComparatorKind]) -> [[Double]] {
        kinds.indices.map { f in
            let kind = kinds[f]
            var w = (0..<kind.levelCount).map { model.rawWeight(field: f, level: $0) }
            for chain in kind.closenessChains {
                if chain.count == 2 {
                    // Only "below exact": cap the looser level rather than pulling exact down to it.
                    w[chain[0]] = min(w[chain[0]], w[chain[1]])
                } else {
                    let ordered = nonDecreasing(chain.map { w[$0] })
                    for (level, value) in zip(chain, ordered) { w[level] = value }
                }
            }
            if kind == .email { w[2] = min(w[2], 0) }
            if kind.isSingleValued {
                let floor = -log2(1 / FellegiSunterModel.minimumM)
                w[0] = min(w[0], max(-w[kind.levelCount - 1] / 2, floor))
            }
            return w
        }
    }

    /// The closest non-decreasing sequence in least squares (pool adjacent violators, equal weights).
    static func nonDecreasing(_ values: [Double]) -> [Double] {
        var blocks: [(sum: Double, count: Int)] = []
        for v in values {
            blocks.append((v, 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                guard previous.sum / Double(previous.count) > last.sum / Double(last.count) else { break }
                blocks.removeLast(2)
                blocks.append((previous.sum + last.sum, previous.count + last.count))
            }
        }
        return blocks.flatMap { repeatElement($0.sum / Double($0.count), count: $0.count) }
    }
}
