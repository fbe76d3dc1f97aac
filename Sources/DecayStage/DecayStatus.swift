import LeadRecords

/// What the pipeline does with a row of a status (or a suppressed row).
public enum DecayAction: String, Sendable, CaseIterable {
    /// Emit the row as is.
    case keep
    /// Emit the row, marked `decay_action=flag`, for review.
    case flag
    /// Send the row to the rejects file.
    case reject
}

/// The score boundaries between statuses: `score < aging` is fresh, `< stale` aging, `< dead` stale, else dead.
public struct DecayThresholds: Sendable, Equatable {
    public var aging: Double
    public var stale: Double
    public var dead: Double

    public init(aging: Double = 0.15, stale: Double = 0.35, dead: Double = 0.7) {
        self.aging = aging
        self.stale = stale
        self.dead = dead
    }

    public func status(for score: Double) -> DecayStatus {
        if score >= dead { return .dead }
        if score >= stale { return .stale }
        if score >= aging { return .aging }
        return .fresh
    }
}
