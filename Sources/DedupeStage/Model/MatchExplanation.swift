import Foundation

/// Why a pair scored what it did: each field's agreement level and its weight.
public struct MatchExplanation: Sendable, Equatable, CustomStringConvertible {
    /// One field's contribution.
    public struct Contribution: Sendable, Equatable {
        public var field: String
        /// The level's name (`exact`, `nickname`, `missing`).
        public var level: String
        /// Its weight in bits, term-frequency adjustment included; positive is evidence for a match.
        public var weight: Double
    }

    public var contributions: [Contribution]
    /// The prior's log-odds.
    public var priorWeight: Double
    /// The total match weight.
    public var weight: Double
    public var probability: Double

    /// `email:exact(+14.2) first_name:nickname(+3.1) company:different(-4.0)`, missing fields left out.
    public var description: String {
        contributions.filter { $0.level != "missing" }
            .map { "\($0.field):\($0.level)(\(Self.signedTenths($0.weight)))" }
            .joined(separator: " ")
    }

    /// `+13.7` / `-0.9`, without Foundation's locale-aware formatting (this runs once per duplicate row).
    static func signedTenths(_ weight: Double) -> String {
        let tenths = Int((abs(weight) * 10).rounded())
        return (weight < 0 && tenths > 0 ? "-" : "+") + String(tenths / 10) + "." + String(tenths % 10)
    }
}
