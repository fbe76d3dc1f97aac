import LeadFacts

/// Reads a condition's text into a ``RowExpression`` (the grammar is on ``RowExpression``).
public struct ExpressionParser {
    /// The words that follow a column name.
    static let predicateWords = ["==", "!=", "<", "<=", ">", ">=", "in", "between", "matches_any", "is_missing"]
    static let keywords: Set<String> = ["and", "or", "not", "in", "between", "matches_any", "is_missing"]

    private let tokens: [ExpressionLexer.Token]
    private var position = 0

    /// Parses `text`.
    /// - Throws: ``ExpressionError`` at the offending word, with the nearest keyword when one was misspelt.
    public static func parse(_ text: String) throws(ExpressionError) -> RowExpression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(text))
        guard parser.current.kind != .end else { throw ExpressionError(offset: 0, "the condition is empty") }
        let expression = try parser.parseOr()
        guard parser.current.kind == .end else {
            let token = parser.current
            throw ExpressionError(offset: token.offset, "expected 'and', 'or' or the end of the condition, found '\(token.text)'"
                                  + Self.keywordHint(token, among: ["and", "or"]))
        }
        return expression
    }

    private init(tokens: [ExpressionLexer.Token]) { self.tokens = tokens }

    private var current: ExpressionLexer.Token { tokens[position] }

    private mutating func advance() -> ExpressionLexer.Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func parseOr() throws(ExpressionError) -> RowExpression {
        var left = try parseAnd()
        while current.isKeyword("or") {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> RowExpression {
        var left = try parseUnary()
        while current.isKeyword("and") {
            _ = advance()
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> RowExpression {
        if current.isKeyword("not") {
            _ = advance()
            return .not(try parseUnary())
        }
        if current.isSymbol("(") {
            let open = advance()
            let inner = try parseOr()
            guard current.isSymbol(")") else {
                throw ExpressionError(offset: current.offset, "expected ')' to close the '(' at character \(open.offset + 1)"
                                      + (current.kind == .end ? "" : ", found '\(current.text)'"))
            }
            _ = advance()
            return inner
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws(ExpressionError) -> RowExpression {
        let token = current
        guard token.kind == .word || token.kind == .quotedName,
              token.kind == .quotedName || !Self.keywords.contains(token.text.lowercased()) else {
            throw ExpressionError(offset: token.offset, token.kind == .end
                                  ? "the condition ends where a column name is expected"
                                  : "expected a column name, found '\(token.text)'"
                                    + (token.kind == .string ? " (a column name is bare or `back-quoted`)" : ""))
        }
        _ = advance()
        let column = ColumnReference(name: token.text, offset: token.offset)
        let verb = current
        if verb.kind == .symbol, let op = ComparisonOperator(rawValue: verb.text) {
            _ = advance()
            return .compare(column, op, try parseValue(after: verb.text))
        }
        guard verb.kind == .word else {
            throw ExpressionError(offset: verb.offset, "expected a comparison after '\(column.name)' ("
                                  + Self.predicateWords.joined(separator: ", ") + ")"
                                  + (verb.kind == .end ? "" : ", found '\(verb.text)'"))
        }
        switch verb.text.lowercased() {
        case "in":
            _ = advance()
            return .isIn(column, try parseList(after: "in").map { Literal($0.text) })
        case "matches_any":
            _ = advance()
            let phrases = try parseList(after: "matches_any")
            for phrase in phrases where TextFolding.words(phrase.text).isEmpty {
                throw ExpressionError(offset: phrase.offset, "'\(phrase.text)' has no letters or digits to match")
            }
            return .matchesAny(column, phrases.map(\.text))
        case "between":
            _ = advance()
            let low = try parseValue(after: "between")
            guard current.isKeyword("and") else {
                throw ExpressionError(offset: current.offset, "expected 'and' in 'between \(low.text) and …'")
            }
            _ = advance()
            let high = try parseValue(after: "and")
            guard let lowNumber = low.number, let highNumber = high.number else {
                throw ExpressionError(offset: verb.offset, "between takes two numbers, found '\(low.text)' and '\(high.text)'")
            }
            guard lowNumber <= highNumber else {
                throw ExpressionError(offset: verb.offset, "between \(low.text) and \(high.text): the first number must not be the larger")
            }
            return .between(column, low, high)
        case "is_missing":
            _ = advance()
            return .isMissing(column)
        default:
            throw ExpressionError(offset: verb.offset, "expected a comparison after '\(column.name)' ("
                                  + Self.predicateWords.joined(separator: ", ") + "), found '\(verb.text)'"
                                  + (verb.text.lowercased() == "is" ? "; write 'is_missing' (or 'not … is_missing')"
                                     : Self.keywordHint(verb, among: Self.predicateWords)))
        }
    }

    private mutating func parseValue(after what: String) throws(ExpressionError) -> Literal {
        let token = current
        guard token.kind == .word || token.kind == .string else {
            throw ExpressionError(offset: token.offset, "expected a value after '\(what)'"
                                  + (token.kind == .end ? "" : ", found '\(token.text)'"))
        }
        _ = advance()
        return Literal(token.text)
    }

    /// `[a, head of, "x, y"]`: items are quoted strings or runs of words joined by one space.
    private mutating func parseList(after what: String) throws(ExpressionError) -> [(text: String, offset: Int)] {
        guard current.isSymbol("[") else {
            throw ExpressionError(offset: current.offset, "expected a list after '\(what)': [a, b, c]"
                                  + (current.kind == .end ? "" : ", found '\(current.text)'"))
        }
        _ = advance()
        var items: [(text: String, offset: Int)] = []
        while true {
            let start = current
            var words: [String] = []
            if start.kind == .string {
                words.append(advance().text)
            } else {
                while current.kind == .word || (current.kind == .symbol && ComparisonOperator(rawValue: current.text) != nil) {
                    words.append(advance().text)
                }
            }
            guard !words.isEmpty else {
                throw ExpressionError(offset: start.offset, start.kind == .end
                                      ? "the list after '\(what)' has no closing ']'"
                                      : "expected a list item, found '\(start.text)'")
            }
            items.append((words.joined(separator: " "), start.offset))
            if current.isSymbol(",") {
                _ = advance()
                continue
            }
            guard current.isSymbol("]") else {
                throw ExpressionError(offset: current.offset, current.kind == .end
                                      ? "the list after '\(what)' has no closing ']'"
                                      : "expected ',' or ']' in the list, found '\(current.text)'")
            }
            _ = advance()
            return items
        }
    }

    private static func keywordHint(_ token: ExpressionLexer.Token, among words: [String]) -> String {
        guard token.kind == .word, let nearest = nearestWord(token.text.lowercased(), among: words) else { return "" }
        return "; did you mean '\(nearest)'?"
    }

    /// A close keyword (at most two edits, or a third of the word): the same allowance as option names.
    static func nearestWord(_ word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates where candidate.first?.isLetter == true {
            let distance = EditDistance.distance(Array(word.utf8), Array(candidate.utf8))
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let best, best.1 > 0, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }
}
