/// Why the last run did or did not put two rows in one entity: `leadhygiene explain-match`.
public struct PairInspection: Sendable {
    /// The input lines of the two rows.
    public var lines: (Int, Int)
    /// Each field's comparison level and weight, the prior, the total and the match probability.
    public var explanation: MatchExplanation
    /// Each compared field's raw value in the two rows, in the order of the explanation's contributions
    /// (empty strings when the run was not asked to keep them, see ``DedupeStage/inspectedLines``).
    public var values: [(String, String)]
    /// The probability at and above which a pair is a match (`threshold`).
    public var threshold: Double
    /// Whether clustering put the rows in one entity (a pair under the threshold can still be joined
    /// through other rows; one over it can be refused by the chain guard).
    public var sameEntity: Bool
}

/// What keeps ``DedupeRun/inspect(lines:_:)`` from answering.
public enum PairInspectionError: Error, Equatable, CustomStringConvertible {
    /// The stage ran without ``DedupeStage/keepsResolution``.
    case noResolutionKept
    /// No row the stage compared came from this input line (not in the input, or set aside before dedupe).
    case lineNotCompared(Int)

    public var description: String {
        switch self {
        case .noResolutionKept: "the dedupe stage kept no resolution to explain"
        case .lineNotCompared(let line):
            "line \(line) is not a row dedupe compared: it is not a data line of the input, or an earlier stage set it aside"
        }
    }
}

extension DedupeRun {
    /// Explains the run's comparison of the rows read from two input lines (the numbers that
    /// `duplicate_of` and the rejects file's `reject_line` use). Needs ``DedupeStage/keepsResolution``.
    public func inspect(lines a: Int, _ b: Int) throws(PairInspectionError) -> PairInspection {
        guard let resolution else { throw .noResolutionKept }
        // Rows are in input order, so their lines ascend.
        func row(of line: Int) throws(PairInspectionError) -> Int {
            var low = 0, high = rowLines.count
            while low < high {
                let mid = (low + high) / 2
                if rowLines[mid] < line { low = mid + 1 } else { high = mid }
            }
            guard low < rowLines.count, rowLines[low] == line else { throw .lineNotCompared(line) }
            return low
        }
        let rowA = try row(of: a), rowB = try row(of: b)
        let kept = inspectedValues
        let none = [String](repeating: "", count: fieldCount)
        let values = Array(zip(kept[a] ?? none, kept[b] ?? none))
        return PairInspection(lines: (a, b), explanation: resolution.matcher.explain(rowA, rowB), values: values,
                              threshold: threshold,
                              sameEntity: resolution.clusters.entity[rowA] == resolution.clusters.entity[rowB])
    }
}
