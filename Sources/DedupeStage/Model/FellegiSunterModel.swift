import Foundation

/// A Fellegi–Sunter match model: for each field and agreement level, how likely that level is
/// among true matches (m) and among non-matches (u); the log-ratio is the level's match weight.
///
/// A pair's match weight is the prior's log-odds plus the weights of its levels (plus term-frequency
/// adjustments), and its match probability is `1 / (1 + 2^-weight)` (Fellegi & Sunter 1969; the
/// parameterisation Splink uses).
public struct FellegiSunterModel: Sendable, Equatable {
    /// Field names, in pattern order.
    public var fieldNames: [String]
    /// Level names per field.
    public var levelNames: [[String]]
    /// P(level | match), per field and level.
    public var m: [[Double]]
    /// P(level | non-match), per field and level.
    public var u: [[Double]]
    /// The prior probability that a compared pair is a match.
    public var lambda: Double

    /// Probabilities are kept off 0 and 1 so every weight is finite.
    static let floor = 1e-6

    /// A model with uninformative starting values: m rises with the level, u is uniform.
    public init(fieldNames: [String], levelNames: [[String]], lambda: Double = 0.05) {
        self.fieldNames = fieldNames
        self.levelNames = levelNames
        self.lambda = lambda
        m = levelNames.map { names in
            let n = names.count
            // Geometric rise: the exact level gets most of the mass, as in Splink's defaults.
            let raw = (0..<n).map { pow(4.0, Double($0)) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
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
        return log2(max(m[field][l], Self.floor) / max(u[field][l], Self.floor))
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

    /// Match weight from a probability.
    public static func weight(probability p: Double) -> Double {
        let clamped = min(max(p, 1e-12), 1 - 1e-12)
        return log2(clamped / (1 - clamped))
    }
}
