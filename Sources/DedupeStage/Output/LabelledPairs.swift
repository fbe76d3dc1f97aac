import Foundation

/// Pairs a person has judged: `left,right,match` rows naming record keys (the `record_key` column).
///
/// Used to train m instead of EM, or to measure the run against the judgements.
package struct LabelledPairs: Sendable, Equatable {
    package struct Pair: Sendable, Equatable {
        public var left: String
        public var right: String
        package var isMatch: Bool
    }

    public var pairs: [Pair]

    public init(pairs: [Pair]) { self.pairs = pairs }

    /// Parses the CSV text: a header line, then `left,right,match` with match `1/0`, `true/false` or `yes/no`.
    public init(csv text: String) throws(OptionProblemText) {
        var pairs: [Pair] = []
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() where n > 0 {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            }
            guard cells.count >= 3 else { throw OptionProblemText("line \(n + 1): expected left,right,match") }
            let flag: Bool
            switch cells[2].lowercased() {
            case "1", "true", "yes", "match": flag = true
            case "0", "false", "no", "non_match", "nonmatch": flag = false
            default: throw OptionProblemText("line \(n + 1): match must be 1/0, true/false or yes/no, found '\(cells[2])'")
            }
            pairs.append(Pair(left: cells[0], right: cells[1], isMatch: flag))
        }
        self.pairs = pairs
    }
}

/// A message about a data file an option names.
package struct OptionProblemText: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
