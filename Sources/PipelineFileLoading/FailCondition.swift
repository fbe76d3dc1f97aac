import Foundation
import PipelineSpec

/// A `fail_if` threshold: the run exits 1 when the condition holds at the end.
///
/// Written as `metric: "> 0.05"`; the value may be a percentage (`"> 5%"`).
public struct FailCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", equal = "==", notEqual = "!=", greater = ">", less = "<"

        func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .greater: lhs > rhs
            case .greaterOrEqual: lhs >= rhs
            case .less: lhs < rhs
            case .lessOrEqual: lhs <= rhs
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            }
        }
    }

    /// The metrics a condition may name; `reject_reasons.<code>` names the count of one reason code.
    public static let metrics: [String: String] = [
        "rows_in": "rows read",
        "rows_out": "rows written to the output",
        "rows_rejected": "rows written to the rejects file",
        "rows_merged": "rows merged into another row",
        "rejected_ratio": "rows_rejected / rows_in",
        "merged_ratio": "rows_merged / rows_in",
        "out_ratio": "rows_out / rows_in",
        "email_unknown_ratio": "addresses email_check left unknown / addresses it checked",
    ]
    public static let reasonPrefix = "reject_reasons."

    public var metric: String
    public var comparison: Comparison
    public var threshold: Double
    public var location: SourceLocation?

    /// Parses `"> 0.05"`, `">= 5%"`, `"== 0"`; returns `nil` when the text is not a condition.
    public init?(metric: String, condition: String, location: SourceLocation? = nil) {
        let text = condition.trimmingCharacters(in: .whitespaces)
        guard let comparison = Comparison.allCases.first(where: { text.hasPrefix($0.rawValue) }) else { return nil }
        var number = text.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if number.hasSuffix("%") {
            number.removeLast()
            scale = 0.01
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)) else { return nil }
        self.metric = metric
        self.comparison = comparison
        self.threshold = value * scale
        self.location = location
    }

    /// Whether `metric` names something a condition can test.
    package static func isKnownMetric(_ metric: String) -> Bool {
        metrics[metric] != nil || (metric.hasPrefix(reasonPrefix) && metric.count > reasonPrefix.count)
    }

    public func holds(for value: Double) -> Bool { comparison.holds(value, threshold) }

    public var description: String { "\(metric) \(comparison.rawValue) \(threshold)" }
}

