/// A candidate pair's comparison pattern with the blocking rules whose blocks hold both rows: the unit the
/// candidate histogram counts, on one machine or summed over a distributed run's partitions.
public struct RuledPattern: Hashable, Sendable {
    public var pattern: ComparisonPattern
    /// A bit per blocking rule (bit r = rule r).
    public var rules: UInt16

    public init(pattern: ComparisonPattern, rules: UInt16) {
        self.pattern = pattern
        self.rules = rules
    }
}

/// Two rows named by their input lines (`seq`), as the step lines carry pairs.
public struct LinePair: Hashable, Sendable {
    public var a: Int
    public var b: Int

    public init(_ a: Int, _ b: Int) {
        self.a = a
        self.b = b
    }
}
