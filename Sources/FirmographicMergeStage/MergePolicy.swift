/// How a field's value is chosen among the lead's own value and the reference sources.
///
/// Each policy is a waterfall: the first candidate with a non-empty value wins.
/// - `fill`: the lead's own value, then the sources in `sources:` order (only empty fields are filled);
/// - `overwrite`: the sources in `sources:` order, then the lead's own value;
/// - `prefer: [a, b]`: the listed sources in that order; `input` in the list stands for the
///   lead's own value, and when it is not listed it comes last.
package enum MergePolicy: Sendable, Equatable {
    case fill
    case overwrite
    case prefer([String])

    /// The name the lead's own value goes by in `prefer:` lists and `__source` columns.
    package static let inputName = "input"

    /// The waterfall over `sourceNames` (in `sources:` order); `nil` entries stand for the lead's own value.
    func waterfall(sourceNames: [String]) -> [Int?] {
        let all = sourceNames.indices.map { Optional($0) }
        switch self {
        case .fill: return [nil] + all
        case .overwrite: return all + [nil]
        case .prefer(let names):
            var order: [Int?] = names.map { name in name == Self.inputName ? nil : sourceNames.firstIndex(of: name) }
            if !names.contains(Self.inputName) { order.append(nil) }
            return order
        }
    }

    /// How the policy is written in the report.
    var label: String {
        switch self {
        case .fill: "fill"
        case .overwrite: "overwrite"
        case .prefer(let names): "prefer " + names.joined(separator: ">")
        }
    }
}
