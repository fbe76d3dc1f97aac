/// Everything the matcher needs besides the data: fields, blocking rules and thresholds.
public struct DedupeSettings: Sendable {
    /// The compared fields (at most 16).
    public var fields: [FieldSpec]
    /// Rows are compared only within the blocks of at least one rule.
    public var blocking: [BlockingRule]
    /// Pairs at or above this match probability are linked.
    public var threshold: Double = 0.9
    /// Blocks with more rows than this are skipped (and counted): they are too common a key to be evidence.
    public var maxBlockSize: Int = 1000
    /// How many random pairs estimate u.
    public var randomPairs: Int = 400_000
    /// The most EM rounds.
    public var maxIterations: Int = 30
    /// Two clusters merge only when at least this share of their cross pairs score at or above `coherenceProbability`.
    public var coherence: Double = 0.5
    /// The per-pair bar used by the coherence test.
    public var coherenceProbability: Double = 0.5
    /// Pairs with a probability in `reviewMin..<reviewMax` go to the review list.
    public var reviewMin: Double = 0.5
    public var reviewMax: Double = 0.99
    /// Seed of the random-pair sample.
    public var seed: UInt64 = 0x5eed_1ead

    public init(fields: [FieldSpec], blocking: [BlockingRule]) {
        self.fields = fields
        self.blocking = blocking
    }
}
