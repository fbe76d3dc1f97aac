import PipelineSpec

extension ExpressionError {
    /// The problem as an ``OptionProblem`` pointing at its character in the pipeline file, given where
    /// the condition's text starts (``OptionValues/valueLocation(of:)``; a condition is one line).
    public func problem(option: String, textStart: SourceLocation?, what: String) -> OptionProblem {
        let location = textStart.map { SourceLocation(line: $0.line, column: $0.column + offset) }
        return OptionProblem(option: option, "\(what): \(message)", at: location)
    }
}

extension RowExpression {
    /// Parses and binds a condition option, turning its errors into located ``OptionProblem``s.
    public static func parse(_ text: String, option: String, textStart: SourceLocation?, what: String) throws(OptionProblem) -> RowExpression {
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw error.problem(option: option, textStart: textStart, what: what)
        }
    }
}

extension BoundExpression {
    /// Binds a parsed condition, turning an unknown column into a located ``OptionProblem``.
    public static func bind(_ expression: RowExpression, resolver: ColumnResolver, option: String,
                            textStart: SourceLocation?, what: String) throws(OptionProblem) -> BoundExpression {
        do {
            return try BoundExpression(expression, resolver: resolver)
        } catch {
            throw error.problem(option: option, textStart: textStart, what: what)
        }
    }
}
