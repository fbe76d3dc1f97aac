import Foundation

/// A Fellegi–Sunter match model: for each field and agreement level, how likely that level is
/// among true matches (m) and among non-matches (u); the log-ratio is the level's match weight.
///
/// A pair's match weight is the prior's log-odds plus the weights of its levels (plus term-frequency
/// adjustments), and its match probability is `1 / (1 + 2^-weight)` (Fellegi & Sunter 1969; the
/// parameterisation Splink uses).
public struct FellegiSunterModel: Sendable, Equatable {
    /// Field names, in pattern order.
    package var fieldNames: [String]
    /// Level names per field.
    package var levelNames: [[String]]
    /// P(level | match), per field and level.
    public var m: [[Double]]
    /// P(level | non-match), per field and level.
    public var u: [[Double]]
    /// The prior probability that a compared pair is a match.
    package var lambda: Double
    /// Weights per field and level after ``WeightGuard`` has checked them (set once training is done);
    /// `nil` while EM runs, when weights come straight from m and u.
    package var guardedWeights: [[Double]]?

    /// Probabilities are kept off 0 and 1 so every weight is finite.
    static let floor = 1e-6
    /// The least m of any level: no single comparison proves two rows are different people (people
    /// change jobs, phones and spellings), so no level may weigh more than log2(0.01) ≈ −6.6 against.
    package static let minimumM = 0.01
    /// The most m or u of any level: no level is certain among matches or among non-matches, so no
    /// weight rests on a probability of exactly 1 (whose complement EM could never move again).
    package static let maximumProbability = 0.999

    /// A model with neutral starting values for EM: among matches the exact level is likely (0.6),
    /// partial agreements share 0.3 and the levels in `disagreeing` share 0.1; u is uniform.
    public init(fieldNames: [String], levelNames: [[String]], disagreeing: [Set<Int>]? = nil, lambda: Double = 0.05) {
        self.fieldNames = fieldNames
        self.levelNames = levelNames
        self.lambda = lambda
        m = levelNames.indices.map { f in
            let n = levelNames[f].count
            let against = disagreeing?[f] ?? [0]
            let partial = (0..<(n - 1)).filter { !against.contains($0) }
            return (0..<n).map { l in
                if l == n - 1 { return partial.isEmpty ? 0.9 : 0.6 }
                if against.contains(l) { return 0.1 / Double(against.count) }
                return 0.3 / Double(partial.count)
            }
        }
        u = levelNames.map { names in
            let n = names.count
            return (0..<n).map { $0 == 0 ? 0.9 : 0.1 / Double(n - 1) }
        }
    }

    /// The weight (log2 Bayes factor) of field `field` at `level`; 0 for a missing value.
    @inline(__always)
    public func weight(field: Int, level: UInt8) -> Double {
        if level == PreparedField.nullLevel { return 0 }
        let l = Int(level)
        if let guardedWeights { return guardedWeights[field][l] }
        return rawWeight(field: field, level: l)
    }

    /// log2(m/u) with m and u held inside their bounds, before ``WeightGuard``'s rules.
    @inline(__always)
    public func rawWeight(field: Int, level l: Int) -> Double {
        let mm = min(max(m[field][l], Self.minimumM), Self.maximumProbability)
        let uu = min(max(u[field][l], Self.floor), Self.maximumProbability)
        return log2(mm / uu)
    }

    /// The prior's log-odds.
    public var priorWeight: Double { log2(lambda / (1 - lambda)) }

    /// The weight of a pattern without term-frequency adjustments, prior included.
    public func weight(of pattern: ComparisonPattern) -> Double {
        var w = priorWeight
        for f in fieldNames.indices { w += weight(field: f, level: pattern.level(f)) }
        return w
    }

    /// Probability from a match weight.
    @inline(__always)
    public static func probability(weight: Double) -> Double { 1 / (1 + exp2(-weight)) }

    /// A probability as text with four decimals ("0.9731"), without Foundation's locale-aware formatting
    /// (which costs microseconds per call on a million rows).
    public static func format(probability p: Double) -> String {
        let scaled = Int((min(max(p, 0), 1) * 10_000).rounded())
        if scaled >= 10_000 { return "1.0000" }
        let digits = String(scaled)
        return "0." + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Match weight from a probability.
    public static func weight(probability p: Double) -> Double {
        let clamped = min(max(p, 1e-12), 1 - 1e-12)
        return log2(clamped / (1 - clamped))
    }
}
