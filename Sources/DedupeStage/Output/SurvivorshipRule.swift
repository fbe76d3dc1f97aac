/// How a golden record picks each field's value from the rows of its entity (merge mode).
package enum SurvivorshipRule: String, CaseIterable, Sendable {
    /// The value of the most recently active (or verified) row that has one.
    case mostRecent = "most_recent"
    /// The longest value: the most complete form ("Robert J. Smith" over "R. Smith").
    case mostComplete = "most_complete"
    /// The value most rows agree on; ties go to the most recent row.
    case mostFrequent = "most_frequent"
    /// The value of the row whose source ranks highest in `source_priority`; unranked sources last.
    case sourcePriority = "source_priority"

    /// One candidate value with what the rules need to know about its row.
    package struct Candidate: Sendable {
        public var value: String
        /// Sortable recency (ISO date text); larger is more recent.
        public var recency: String
        /// Position of the row's source in `source_priority` (lower wins; `Int.max` when unranked).
        package var sourceRank: Int
        /// The row's input line, the final tie-break (earlier wins).
        public var line: Int

        public init(value: String, recency: String, sourceRank: Int, line: Int) {
            self.value = value
            self.recency = recency
            self.sourceRank = sourceRank
            self.line = line
        }
    }

    /// The surviving value among `candidates` (empty values never survive while another row has one).
    public func pick(_ candidates: [Candidate]) -> String {
        let present = candidates.filter { !$0.value.isEmpty }
        guard !present.isEmpty else { return "" }
        // Recency first, then the earliest line: the default order every rule falls back on.
        let byRecency = present.sorted { $0.recency != $1.recency ? $0.recency > $1.recency : $0.line < $1.line }
        switch self {
        case .mostRecent:
            return byRecency[0].value
        case .mostComplete:
            let longest = present.map(\.value.count).max()!
            return byRecency.first { $0.value.count == longest }!.value
        case .mostFrequent:
            var counts: [String: Int] = [:]
            for c in present { counts[c.value, default: 0] += 1 }
            let top = counts.values.max()!
            return byRecency.first { counts[$0.value] == top }!.value
        case .sourcePriority:
            let best = byRecency.map(\.sourceRank).min()!
            return byRecency.first { $0.sourceRank == best }!.value
        }
    }
}
