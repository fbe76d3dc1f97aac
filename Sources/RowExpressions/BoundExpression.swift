import LeadFacts
import LeadRecords

/// A ``RowExpression`` bound to a schema's column positions, evaluated on every row.
///
/// The tree is flattened into an array of plain nodes (no boxes to retain while evaluating), and every
/// written value is folded once here rather than once per row.
public struct BoundExpression: Sendable {
    enum Node: Sendable {
        case equal(column: Int, literal: Int, negated: Bool)
        case order(column: Int, op: ComparisonOperator, number: Double)
        case inList(column: Int, list: Int)
        case between(column: Int, low: Double, high: Double)
        case matches(column: Int, phrases: Int)
        case missing(column: Int)
        case not(Int)
        case and(Int, Int)
        case or(Int, Int)
    }

    /// A written value, folded (``TextFolding``) for comparing text.
    struct FoldedLiteral: Sendable {
        var folded: String
        var number: Double?

        init(_ literal: Literal) {
            folded = TextFolding.fold(literal.text.trimmingSpaces)
            number = literal.number
        }
    }

    private var nodes: [Node] = []
    private var literals: [FoldedLiteral] = []
    private var lists: [[FoldedLiteral]] = []
    private var phrases: [MatchPhrases] = []
    private var root = 0
    /// The columns the condition reads, as written and as bound, each once in the order written
    /// (what an explanation shows).
    public private(set) var columns: [(name: String, index: ColumnIndex)] = []

    /// Binds `expression`'s column names.
    /// - Throws: ``ExpressionError`` at the first name the resolver does not find.
    public init(_ expression: RowExpression, resolver: ColumnResolver) throws(ExpressionError) {
        for reference in expression.columns {
            columns.append((reference.name, try resolver.resolve(reference)))
        }
        root = try add(expression, resolver)
    }

    private mutating func add(_ expression: RowExpression, _ resolver: ColumnResolver) throws(ExpressionError) -> Int {
        let node: Node
        switch expression {
        case .compare(let column, let op, let literal):
            let position = try resolver.resolve(column).position
            switch op {
            case .equal, .notEqual:
                literals.append(FoldedLiteral(literal))
                node = .equal(column: position, literal: literals.count - 1, negated: op == .notEqual)
            default:
                guard let number = literal.number else {
                    throw ExpressionError(offset: column.offset, "'\(column.name) \(op.rawValue) \(literal.text)': "
                                          + "\(op.rawValue) compares numbers, and '\(literal.text)' is not one")
                }
                node = .order(column: position, op: op, number: number)
            }
        case .isIn(let column, let items):
            lists.append(items.map(FoldedLiteral.init))
            node = .inList(column: try resolver.resolve(column).position, list: lists.count - 1)
        case .between(let column, let low, let high):
            node = .between(column: try resolver.resolve(column).position, low: low.number ?? 0, high: high.number ?? 0)
        case .matchesAny(let column, let texts):
            phrases.append(MatchPhrases(texts))
            node = .matches(column: try resolver.resolve(column).position, phrases: phrases.count - 1)
        case .isMissing(let column):
            node = .missing(column: try resolver.resolve(column).position)
        case .not(let inner):
            node = .not(try add(inner, resolver))
        case .and(let a, let b):
            node = .and(try add(a, resolver), try add(b, resolver))
        case .or(let a, let b):
            node = .or(try add(a, resolver), try add(b, resolver))
        }
        nodes.append(node)
        return nodes.count - 1
    }

    /// The condition's truth on a row's values (positions past the end read as empty).
    public func evaluate(_ values: [String]) -> Truth { evaluate(root, values) }

    private func evaluate(_ index: Int, _ values: [String]) -> Truth {
        switch nodes[index] {
        case .equal(let column, let literal, let negated):
            guard column < values.count, !values[column].isBlank else { return .unknown }
            let equal = Self.equal(values[column], literals[literal])
            return equal != negated ? .yes : .no
        case .order(let column, let op, let number):
            guard column < values.count, let value = NumberText.value(values[column]) else { return .unknown }
            let holds: Bool = switch op {
            case .less: value < number
            case .lessOrEqual: value <= number
            case .greater: value > number
            case .greaterOrEqual: value >= number
            case .equal: value == number
            case .notEqual: value != number
            }
            return holds ? .yes : .no
        case .inList(let column, let list):
            guard column < values.count, !values[column].isBlank else { return .unknown }
            for item in lists[list].indices where Self.equal(values[column], lists[list][item]) { return .yes }
            return .no
        case .between(let column, let low, let high):
            guard column < values.count, let value = NumberText.value(values[column]) else { return .unknown }
            return value >= low && value <= high ? .yes : .no
        case .matches(let column, let set):
            guard column < values.count, !values[column].isBlank else { return .unknown }
            return phrases[set].matches(values[column]) ? .yes : .no
        case .missing(let column):
            return column >= values.count || values[column].isBlank ? .yes : .no
        case .not(let inner):
            return !evaluate(inner, values)
        case .and(let a, let b):
            let left = evaluate(a, values)
            if left == .no { return .no }
            let right = evaluate(b, values)
            if right == .no { return .no }
            return left == .yes && right == .yes ? .yes : .unknown
        case .or(let a, let b):
            let left = evaluate(a, values)
            if left == .yes { return .yes }
            let right = evaluate(b, values)
            if right == .yes { return .yes }
            return left == .no && right == .no ? .no : .unknown
        }
    }

    /// Equal as numbers when both state one ("1,200" == 1200), else as folded text.
    private static func equal(_ cell: String, _ literal: FoldedLiteral) -> Bool {
        if let number = literal.number, let value = NumberText.value(cell) { return value == number }
        return FoldedText.equal(cell, folded: literal.folded)
    }
}

extension String {
    /// Empty or only spaces and tabs: what a condition reads as a missing value.
    @inlinable var isBlank: Bool { utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }

    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" { view.removeLast() }
        return String(view)
    }
}

/// Comparing a cell with an already folded value without building a folded copy of an ASCII cell.
enum FoldedText {
    static func equal(_ cell: String, folded: String) -> Bool {
        var cell = cell
        var folded = folded
        let asciiMatch: Bool? = cell.withUTF8 { bytes in
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
            for i in start..<end where bytes[i] >= 0x80 { return nil }
            return folded.withUTF8 { target in
                guard target.count == end - start else { return false }
                for i in 0..<target.count {
                    let b = bytes[start + i]
                    if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != target[i] { return false }
                }
                return true
            }
        }
        if let asciiMatch { return asciiMatch }
        return TextFolding.fold(cell.trimmingSpaces) == folded
    }
}
