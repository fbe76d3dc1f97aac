import LeadRecords
import RowExpressions
import Testing

@Suite("Conditions on a row")
struct RowExpressionTests {
    static let header = ["Title", "Employees", "Country", "Account Owner", "email_reason"]

    func truth(_ condition: String, _ row: [String]) throws -> Truth {
        let schema = Schema(inputColumns: Self.header)
        var columns = ColumnBindings()
        columns[.title] = schema.index(of: "Title")
        columns[.country] = schema.index(of: "Country")
        let bound = try BoundExpression(try ExpressionParser.parse(condition), resolver: ColumnResolver(schema: schema, columns: columns))
        return bound.evaluate(row)
    }

    @Test(arguments: [
        ("title matches_any [vp, head of, director]", ["Head of Sales", "", "", "", ""], Truth.yes),
        ("title matches_any [vp, head of, director]", ["HEAD-OF  sales", "", "", "", ""], .yes),
        ("title matches_any [vp]", ["MVP Program Lead", "", "", "", ""], .no),
        ("title matches_any [directrice generale]", ["Directrice Générale", "", "", "", ""], .yes),
        ("title matches_any [vp] and not title matches_any [assistant, intern]", ["Assistant to the VP", "", "", "", ""], .no),
        ("title matches_any [vp] and not title matches_any [assistant]", ["", "", "", "", ""], .unknown),
        ("Employees between 200 and 2000", ["", "1,200", "", "", ""], .yes),
        ("Employees between 200 and 2000", ["", "10k+", "", "", ""], .no),
        ("Employees between 200 and 2000", ["", "unknown", "", "", ""], .unknown),
        ("Employees >= 50", ["", "200-500", "", "", ""], .yes),
        ("Employees == 1200", ["", "1,200", "", "", ""], .yes),
        ("country in [KP, IR, SY, CU]", ["", "", " kp ", "", ""], .yes),
        ("country in [KP, IR]", ["", "", "DE", "", ""], .no),
        ("country in [KP, IR]", ["", "", "", "", ""], .unknown),
        ("not `Account Owner` is_missing", ["", "", "", "ann@example.com", ""], .yes),
        ("`Account Owner` is_missing", ["", "", "", "  ", ""], .yes),
        ("email_reason == email_free_mail or country == DE", ["", "", "DE", "", ""], .yes),
        ("email_reason == email_free_mail and country == DE", ["", "", "FR", "", ""], .no),
        ("email_reason != email_free_mail", ["", "", "", "", "EMAIL_FREE_MAIL"], .no),
        ("(country == DE or country == AT) and Employees > 10", ["", "11", "AT", "", ""], .yes),
    ])
    func aConditionIsTrueFalseOrUnknownWhenAValueIsMissing(condition: String, row: [String], expected: Truth) throws {
        #expect(try truth(condition, row) == expected)
    }

    @Test(arguments: [
        ("title matches_anny [vp]", 6, "did you mean 'matches_any'?"),
        ("title = VP", 6, "a comparison is written =="),
        ("country in [DE, AT", 18, "no closing ']'"),
        ("Employees between 10 and x", 10, "between takes two numbers"),
        ("(country == DE", 14, "expected ')'"),
        ("title matches_any [vp] andd country == DE", 23, "did you mean 'and'?"),
        ("", 0, "the condition is empty"),
        ("title < VP", 0, "compares numbers"),
    ])
    func aBadConditionSaysWhereAndWhat(condition: String, offset: Int, message: String) throws {
        do {
            _ = try truth(condition, ["", "", "", "", ""])
            Issue.record("\(condition) was accepted")
        } catch let error as ExpressionError {
            #expect(error.offset == offset, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func anUnknownColumnSuggestsTheNearestOne() throws {
        do {
            _ = try truth("Employes > 10", ["", "", "", "", ""])
            Issue.record("accepted")
        } catch let error as ExpressionError {
            #expect(error.offset == 0)
            #expect(error.message.contains("did you mean 'Employees'?"), "\(error)")
        }
    }

    /// `matches_any` as a plain search would do it: the cell's lower-cased words with a space around each,
    /// searched for each phrase's words written the same way.
    static func plainMatch(_ cell: String, _ phrases: [String]) -> Bool {
        var words = " "
        for character in cell.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { words.append(character) } else if words.last != " " { words.append(" ") }
        }
        if words.last != " " { words.append(" ") }
        return phrases.contains { words.contains(" " + $0.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: " ") + " ") }
    }

    @Test func matchesAnyFindsWholeWordsAsAPlainSearchWould() {
        let phrases = ["vp", "head of", "director", "chief", "ceo", "c", "of sales", "sales ops lead"]
        let matcher = MatchPhrases(phrases)
        let words = ["VP", "vp", "Head", "of", "Sales", "Ops", "lead", "chief", "CEO", "C", "MVP", "director,", "(co)", "-", "Director-of", "sales/ops"]
        let separators = ["", " ", "  ", "-", ", "]
        // Every mix of up to six words the same way each run: word k of cell i is a fixed scramble of i and k.
        for i in 0..<3000 {
            let cell = (0..<(1 + i % 6)).map { k in words[((i &* 2_654_435_761) >> (k * 4)) % words.count] }
                .joined(separator: separators[i / 6 % separators.count])
            #expect(matcher.matches(cell) == Self.plainMatch(cell, phrases), "\(cell)")
        }
    }
}
