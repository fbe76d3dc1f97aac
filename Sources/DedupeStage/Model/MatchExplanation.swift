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
        /// Why a field was set aside (`implied_by: email`), when it was.
        public var note: String?

        public init(field: String, level: String, weight: Double, note: String? = nil) {
            self.field = field
            self.level = level
            self.weight = weight
            self.note = note
        }
    }

    public var contributions: [Contribution]
    /// The prior's log-odds.
    public var priorWeight: Double
    /// The total match weight.
    public var weight: Double
    public var probability: Double
    /// The lead rule that ruled the pair out whatever its weights (`distinct_work_mailboxes`), if any.
    public var rule: String?

    public init(contributions: [Contribution], priorWeight: Double, weight: Double, probability: Double, rule: String? = nil) {
        self.contributions = contributions
        self.priorWeight = priorWeight
        self.weight = weight
        self.probability = probability
        self.rule = rule
    }

    /// `email:exact(+14.2) first_name:nickname(+3.1) company:different(-4.0)`, missing fields left out.
    ///
    /// Written byte by byte into one buffer: this runs once per duplicate row, and joining interpolated
    /// pieces cost about four times as much.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(contributions.count * 28)
        for contribution in contributions where contribution.level != "missing" && contribution.level != "skipped" {
            if !bytes.isEmpty { bytes.append(0x20) }
            bytes.append(contentsOf: contribution.field.utf8)
            bytes.append(0x3A)  // :
            bytes.append(contentsOf: contribution.level.utf8)
            bytes.append(0x28)  // (
            Self.appendSignedTenths(contribution.weight, to: &bytes)
            bytes.append(0x29)  // )
        }
        if let rule {
            if !bytes.isEmpty { bytes.append(0x20) }
            bytes.append(contentsOf: "rule:".utf8)
            bytes.append(contentsOf: rule.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `+13.7` / `-0.9`, without Foundation's locale-aware formatting (this runs once per duplicate row).
    static func signedTenths(_ weight: Double) -> String {
        var bytes: [UInt8] = []
        appendSignedTenths(weight, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendSignedTenths(_ weight: Double, to bytes: inout [UInt8]) {
        let tenths = Int((abs(weight) * 10).rounded())
        bytes.append(weight < 0 && tenths > 0 ? 0x2D : 0x2B)
        let whole = tenths / 10
        var divisor = 1
        while whole / divisor >= 10 { divisor *= 10 }
        while divisor > 0 { bytes.append(0x30 + UInt8(whole / divisor % 10)); divisor /= 10 }
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(tenths % 10))
    }
}
