/// Splits a condition's text into words, quoted strings and operators, each with its offset.
struct ExpressionLexer {
    enum Kind: Equatable {
        /// A bare word: a column name, a keyword or a value (`title`, `and`, `KP`, `10k+`, `co-founder`).
        case word
        /// A back-quoted column name (`` `Account Owner` ``).
        case quotedName
        /// A quoted value (`"head of"`, `'VP'`).
        case string
        case symbol
        case end
    }

    struct Token: Equatable {
        var kind: Kind
        var text: String
        var offset: Int

        func isKeyword(_ keyword: String) -> Bool { kind == .word && text.lowercased() == keyword }
        func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
    }

    static let symbols: Set<Character> = ["(", ")", "[", "]", ","]
    static let operatorCharacters: Set<Character> = ["=", "!", "<", ">"]

    static func tokens(_ text: String) throws(ExpressionError) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
            } else if symbols.contains(c) {
                tokens.append(Token(kind: .symbol, text: String(c), offset: i))
                i += 1
            } else if operatorCharacters.contains(c) {
                let start = i
                while i < characters.count, operatorCharacters.contains(characters[i]) { i += 1 }
                let op = String(characters[start..<i])
                guard ComparisonOperator(rawValue: op) != nil else {
                    throw ExpressionError(offset: start, "'\(op)' is not an operator; use ==, !=, <, <=, > or >="
                                          + (op == "=" ? " (a comparison is written ==)" : ""))
                }
                tokens.append(Token(kind: .symbol, text: op, offset: start))
            } else if c == "\"" || c == "'" || c == "`" {
                let start = i
                i += 1
                var value = ""
                while i < characters.count, characters[i] != c {
                    value.append(characters[i])
                    i += 1
                }
                guard i < characters.count else {
                    throw ExpressionError(offset: start, "\(c) without a closing \(c)")
                }
                i += 1
                tokens.append(Token(kind: c == "`" ? .quotedName : .string, text: value, offset: start))
            } else {
                let start = i
                while i < characters.count, !characters[i].isWhitespace, !symbols.contains(characters[i]),
                      !operatorCharacters.contains(characters[i]), characters[i] != "\"", characters[i] != "`" {
                    i += 1
                }
                tokens.append(Token(kind: .word, text: String(characters[start..<i]), offset: start))
            }
        }
        tokens.append(Token(kind: .end, text: "", offset: characters.count))
        return tokens
    }
}
