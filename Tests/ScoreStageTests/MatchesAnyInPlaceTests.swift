import LeadRecords
import RowExpressions
import Testing

/// `matches_any` searches an ASCII cell's bytes in place and other text in its folded words, and a scratch kept
/// across rows remembers what it found in cells rows repeat (titles, as CRM exports repeat them). Checked
/// against a fresh evaluation of each row and against plain searches.
@Suite("matches_any searched in the cell's bytes")
struct MatchesAnyInPlaceTests {
    static let header = ["Title", "Email", "Note", "Country"]

    static let titles = [
        "VP Sales", "Head of Growth", "HEAD-OF sales", "Executive Assistant to the CEO", "MVP Engineer", "Directrice Générale",
        "Sales Intern", "  Chief\tRevenue Officer ", "Marketing Manager", "Team Lead, Data", "", "   ",
        "Senior Vice President of Global Strategic Partnerships and Alliances, EMEA and APAC (interim)",
        "vp", "Vp", "ceo", "CEO / Founder", "Ingeniero Jefe", "Head of", "Head", "intern",
    ]

    func bound(_ condition: String) throws -> BoundExpression {
        let schema = Schema(inputColumns: Self.header)
        return try BoundExpression(try ExpressionParser.parse(condition), resolver: ColumnResolver(schema: schema, columns: ColumnBindings()))
    }

    /// Rows whose titles repeat (and whose notes sometimes hold a title's text), with a new email on each row.
    func rows(_ count: Int) -> [[String]] {
        (0..<count).map { i in
            let title = Self.titles[(i * 7 + i / 5) % Self.titles.count]
            let note = i % 3 == 0 ? title : "note \(i % 4)"
            return [title, "lead\(i).\(i % 2 == 0 ? "gmail" : "acme").com@example\(i).com", note, i % 4 == 0 ? "DE" : "US"]
        }
    }

    @Test func aScratchKeptAcrossRowsAnswersAsAFreshEvaluationOfEachRow() throws {
        let conditions = try [
            "Title matches_any [vp, head of, director, chief, ceo] and not Title matches_any [assistant, intern]",
            "Title matches_any [manager, lead]",
            "Note matches_any [vp, head of]",
            "Email matches_any [gmail com, yahoo com]",
            "Title matches_any [generale, jefe] or Country in [DE]",
        ].map(bound)
        var scratch = RowScratch(width: Self.header.count)
        for row in rows(1_500) {
            scratch.nextRow()
            let packed = PackedFields(row)
            for condition in conditions {
                #expect(condition.evaluate(row: packed, scratch: &scratch) == condition.evaluate(row), "\(row)")
            }
        }
    }

    @Test func anASCIICellSearchedInPlaceMatchesAsAPlainSearchOfItsWords() {
        let phrases = ["gmail com", "head of", "vp", "of", "sales ops lead", "c", "2nd", "r2 d2"]
        let matcher = MatchPhrases(phrases)
        let cells = [
            "r1.jane.doe@gmail.com", "jane@GMAIL.COM.", "gmail.company@x.com", "x@gmail.co", "--head--OF--", "Head of", "headof",
            "vp", "VP,", ",vp", "mvp", "v p", "of", " of", "of ", "Sales/Ops\tLead", "sales ops", "sales ops leader", "c", "c.",
            "abc", "2nd", "2 nd", "R2-D2!!", "r2d2", "", "   ", "\t\r", "@@@", "gmail", "com gmail", "a gmail  com b",
        ]
        for cell in cells {
            #expect(matcher.matches(cell) == RowExpressionTests.plainMatch(cell, phrases), "\(cell)")
        }
    }

    @Test func moreThanSixtyFourPhraseSetsOnOneColumnEachGetTheirOwnAnswer() throws {
        let words = ["vp", "head of", "sales", "growth", "assistant", "ceo", "engineer", "manager", "data", "lead", "founder"]
        // 80 sets, so some are past the 64 a scratch remembers answers for.
        let conditions = try (0..<80).map { k in
            try bound("Title matches_any [\(words[k % words.count]), \(words[(k / words.count + k) % words.count])]")
        }
        var scratch = RowScratch(width: Self.header.count)
        for row in rows(400) {
            scratch.nextRow()
            let packed = PackedFields(row)
            for condition in conditions {
                #expect(condition.evaluate(row: packed, scratch: &scratch) == condition.evaluate(row), "\(row)")
            }
        }
    }
}
