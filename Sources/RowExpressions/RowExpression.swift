/// A condition on one row, as written in a pipeline file's `when:` (score rules and gates, route rules).
///
/// ```
/// firmo_employee_count between 200 and 2000
/// title matches_any [vp, head of, director] and not title matches_any [assistant, intern]
/// country in [DE, AT, CH] or `Account Owner` is_missing
/// ```
///
/// A condition reads columns by name; a value that is empty (or, for a number comparison, not a number)
/// makes the comparison *unknown* rather than false, so a score can say which groups it could not judge
/// (``Truth``). The grammar, lowest precedence first:
///
/// ```
/// or        := and ("or" and)*
/// and       := unary ("and" unary)*
/// unary     := "not" unary | "(" or ")" | predicate
/// predicate := column ("==" | "!=" | "<" | "<=" | ">" | ">=") value
///            | column "in" list | column "matches_any" list
///            | column "between" value "and" value | column "is_missing"
/// list      := "[" item ("," item)* "]"      -- an item is a quoted string or words (`head of`)
/// column    := word | `back-quoted name`
/// ```
public indirect enum RowExpression: Sendable, Equatable {
    case compare(ColumnReference, ComparisonOperator, Literal)
    case isIn(ColumnReference, [Literal])
    case between(ColumnReference, Literal, Literal)
    case matchesAny(ColumnReference, [String])
    case isMissing(ColumnReference)
    case not(RowExpression)
    case and(RowExpression, RowExpression)
    case or(RowExpression, RowExpression)

    /// The columns the condition reads, in the order written, each once.
    public var columns: [ColumnReference] {
        var seen: [ColumnReference] = []
        func visit(_ expression: RowExpression) {
            switch expression {
            case .compare(let c, _, _), .isIn(let c, _), .between(let c, _, _), .matchesAny(let c, _), .isMissing(let c):
                if !seen.contains(where: { $0.name == c.name }) { seen.append(c) }
            case .not(let inner): visit(inner)
            case .and(let a, let b), .or(let a, let b):
                visit(a)
                visit(b)
            }
        }
        visit(self)
        return seen
    }
}

/// A column named in a condition, with where in the condition's text it is written (for diagnostics).
public struct ColumnReference: Sendable, Equatable {
    public var name: String
    /// Characters from the start of the condition's text.
    public var offset: Int

    public init(name: String, offset: Int) {
        self.name = name
        self.offset = offset
    }
}

public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// A value written in a condition: its text, and the number it states when it states one (``NumberText``).
public struct Literal: Sendable, Equatable {
    public var text: String
    public var number: Double?

    public init(_ text: String) {
        self.text = text
        self.number = NumberText.value(text)
    }
}

/// The truth of a condition on a row: ``unknown`` when a value it needed was missing (Kleene's logic:
/// `false and unknown` is false, `true or unknown` is true, `not unknown` is unknown).
public enum Truth: UInt8, Sendable {
    case no, yes, unknown

    @inline(__always) public static prefix func ! (value: Truth) -> Truth {
        switch value {
        case .no: .yes
        case .yes: .no
        case .unknown: .unknown
        }
    }
}
