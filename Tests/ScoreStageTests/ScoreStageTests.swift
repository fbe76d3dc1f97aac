import Foundation
import LeadRecords
import PipelineSpec
import ScoreStage
import Testing
import TestSupport

@Suite("score: points, groups, tiers and gates, explained on every row")
struct ScoreStageTests {
    static let options = """
    name: icp
    groups:
      - name: size
        cap: 30
        rules:
          - { when: "Employees between 200 and 2000", points: 30 }
          - { when: "Employees between 50 and 199", points: 15 }
          - { when: "Employees > 100", points: 10 }
      - name: persona
        cap: 40
        rules:
          - { when: "title matches_any [vp, head of, director, chief] and not title matches_any [assistant, intern]", points: 40 }
      - name: penalties
        rules:
          - { when: "email matches_any [gmail com, yahoo com]", points: -20, label: free mail }
          - { when: "country in [KP, IR, SY, CU]", exclude: sanctioned_country }
    tiers: { A: ">= 70", B: ">= 45", C: ">= 20", D: else }
    gates: { A: "Mailable == yes" }
    """

    static let table = """
    Email|Title|Employees|Country|Mailable
    ann@acme.com|VP Sales|640|DE|yes
    bob@globex.com|VP Sales|1,200|US|no
    cy@gmail.com|Head of Marketing|10k+|FR|yes
    dee@initech.com||200-500|GB|yes
    eve@umbrella.com|Executive Assistant|75||yes
    fay@kp.example|Director|640|KP|yes
    gus@hooli.com|Chief Revenue Officer|||yes
    """

    func run(_ options: String = Self.options, table: String = Self.table) throws -> (rows: [[String: String]], records: [Record], report: [(String, ReportValue)]) {
        var (stage, schema, records) = try StageFixture.stage(
            ScoreStage.self, options, context: StageContext(pipelineFile: "t.yml"), table: table,
            columns: [.email: "Email", .title: "Title", .country: "Country"])
        guard case .streaming(let scoring) = stage else { throw OptionProblem("score is a streaming stage") }
        let report = scoring.processReporting(&records)
        let rows = records.map { record in
            Dictionary(uniqueKeysWithValues: schema.columns.enumerated().map { ($1, record.values[$0]) })
        }
        return (rows, records, report)
    }

    @Test func eachRowGetsItsScoreTierReasonsAndMissingGroups() throws {
        let (rows, _, _) = try run()
        #expect(rows[0]["icp_score"] == "70")
        #expect(rows[0]["icp_tier"] == "A")
        #expect(rows[0]["icp_reasons"] == "+30 size: Employees 640, Employees 640; +40 persona: title \"VP Sales\"")
        #expect(rows[0]["icp_missing"] == "")
        // The size group is capped at 30 although two rules (30 and 10) matched.
        #expect(rows[1]["icp_score"] == "70")
        // The A gate needs Mailable == yes: the row drops to B.
        #expect(rows[1]["icp_tier"] == "B")
        #expect(rows[2]["icp_score"] == "30")
        #expect(rows[2]["icp_reasons"] == "+10 size: Employees \"10k+\"; +40 persona: title \"Head of Marketing\"; -20 penalties: free mail")
        // No title: persona could not be judged, and says so instead of scoring 0 silently.
        // "200-500" reads as 350: 30 + 10, capped at 30.
        #expect(rows[3]["icp_score"] == "30")
        #expect(rows[3]["icp_missing"] == "persona")
        #expect(rows[3]["icp_tier"] == "C")
        #expect(rows[4]["icp_score"] == "15")
        #expect(rows[4]["icp_tier"] == "D")
        // Neither employees nor country: size and (apart from the email rule) penalties are unjudged.
        #expect(rows[6]["icp_missing"] == "size")
        #expect(rows[6]["icp_tier"] == "C")
    }

    @Test func anExcludeRuleRejectsTheRowWithItsOwnReasonCode() throws {
        let (_, records, report) = try run()
        guard case .rejected(let rejection) = records[5].disposition else {
            Issue.record("row 6 was not rejected")
            return
        }
        #expect(rejection.reason.code == "sanctioned_country")
        #expect(rejection.stage == "score")
        #expect(rejection.detail == "penalties: country \"KP\"")
        #expect(report.first { $0.0 == "excluded" }?.1 == .object([("sanctioned_country", .integer(1))]))
        #expect(records.filter(\.isActive).count == 6)
    }

    @Test func theReportCountsTiersGateDropsAndGroupsJudgedAndMissing() throws {
        let (_, _, report) = try run()
        let figures = ReportValue.object(report)
        #expect(figures["rows_scored"] == .integer(6))
        #expect(figures["tiers"] == .object([("A", .integer(1)), ("B", .integer(1)), ("C", .integer(3)), ("D", .integer(1))]))
        #expect(figures["gate_drops"] == .object([("A", .integer(1))]))
        guard case .array(let groups)? = figures["groups"] else { Issue.record("no groups"); return }
        #expect(groups[1]["name"] == .string("persona"))
        #expect(groups[1]["missing"] == .integer(1))
        #expect(groups[1]["share_missing"] == .number(0.1667))
        #expect(groups[0]["missing"] == .integer(1))
    }

    @Test func conversionPerTierComesFromALabelsFileKeyedByEmail() throws {
        try withTemporaryDirectory { dir in
            try dir.write("outcomes.csv", "Email,Stage\nANN@acme.com,Closed Won\nbob@globex.com,Closed Lost\ndee@initech.com,won\neve@umbrella.com,open\n")
            let options = Self.options + "\nlabels: { path: \(dir.path("outcomes.csv")), column: Stage, email_column: Email }"
            let (_, _, report) = try run(options)
            let conversion = ReportValue.object(report)["conversion"]
            #expect(conversion?["labelled_contacts"] == .integer(3))
            #expect(conversion?["tiers"]?["A"] == .object([("labelled", .integer(1)), ("won", .integer(1)), ("rate", .number(1))]))
            #expect(conversion?["tiers"]?["B"] == .object([("labelled", .integer(1)), ("won", .integer(0)), ("rate", .number(0))]))
            #expect(conversion?["tiers"]?["C"]?["won"] == .integer(1))
            #expect(conversion?["tiers"]?["D"]?["labelled"] == .integer(0))
        }
    }

    @Test(arguments: [
        ("tiers: { A: else, B: \">= 10\" }", "else must be the last tier"),
        ("gates: { AA: \"Mailable == yes\" }", "did you mean 'A'?"),
        ("tiers: { A: \"about 70\" }", "write a score condition"),
    ])
    func badTiersAndGatesAreRefused(extra: String, message: String) throws {
        var options = Self.options.split(separator: "\n").filter { !$0.hasPrefix("tiers") && !$0.hasPrefix("gates") }.joined(separator: "\n")
        options += "\n" + extra + (extra.hasPrefix("gates") ? "\ntiers: { A: \">= 70\", B: else }" : "")
        #expect { try run(options) } throws: { ($0 as? OptionProblem)?.message.contains(message) == true }
    }

    @Test func aRuleNeedsPointsOrExcludeButNotBoth() throws {
        let both = "groups: [ { name: g, rules: [ { when: \"Employees > 1\", points: 1, exclude: too_big } ] } ]"
        #expect { try run(both) } throws: { ($0 as? OptionProblem)?.message.contains("not both") == true }
        let neither = "groups: [ { name: g, rules: [ { when: \"Employees > 1\" } ] } ]"
        #expect { try run(neither) } throws: { ($0 as? OptionProblem)?.message.contains("needs points") == true }
        let badCode = "groups: [ { name: g, rules: [ { when: \"Employees > 1\", exclude: Too Big } ] } ]"
        #expect { try run(badCode) } throws: { ($0 as? OptionProblem)?.message.contains("snake_case") == true }
    }

    @Test func hostileTextIsQuotedCutAndKeptOnOneLine() throws {
        let options = "groups: [ { name: persona, rules: [ { when: \"title matches_any [vp]\", points: 5 } ] } ]"
        let title = "VP \"; =HYPERLINK(\"x\")\tand a very very long injected title that goes on"
        let (rows, _, _) = try run(options, table: "Email|Title|Employees|Country|Mailable\na@b.com|\(title)|||")
        let reasons = try #require(rows[0]["icp_reasons"])
        #expect(!reasons.contains("\t"))
        #expect(reasons.hasSuffix("…\""))
        #expect(reasons.hasPrefix("+5 persona: title \"VP  ; =HYPERLINK"))
    }

    @Test(arguments: [
        ("200-500", "200-500"), ("-3.5", "-3.5"), ("VP Ops", "\"VP Ops\""), ("Directrice Générale", "\"Directrice Générale\""),
        ("VP\u{1}Ops", "\"VP Ops\""), ("Say \"hi\"", "\"Say  hi \""),
        (String(repeating: "a", count: 41), "\"" + String(repeating: "a", count: 40) + "…\""),
    ])
    func reasonsShowANumberBareAndOtherTextQuotedAndCleaned(cell: String, shown: String) throws {
        let options = "groups: [ { name: g, rules: [ { when: \"not title is_missing\", points: 5 } ] } ]"
        let (rows, _, _) = try run(options, table: "Email|Title|Employees|Country|Mailable\na@b.com|\(cell)|||")
        #expect(rows[0]["icp_reasons"] == "+5 g: title " + shown)
    }

    @Test func manyGroupsAreAllNamedWhenTheirValuesAreMissing() throws {
        // More groups than have their missing texts made in advance, and scores of every sign.
        let groups = (1...10).map { "{ name: g\($0), rules: [ { when: \"Employees > \($0)\", points: \($0 % 2 == 0 ? $0 : -$0) } ] }" }
        let (rows, _, _) = try run("groups: [ \(groups.joined(separator: ", ")) ]", table: "Email|Title|Employees|Country|Mailable\na@b.com||||\nb@c.com||7|||")
        #expect(rows[0]["icp_missing"] == (1...10).map { "g\($0)" }.joined(separator: ";"))
        #expect(rows[0]["icp_score"] == "0")
        #expect(rows[1]["icp_missing"] == "")
        // Rules g1…g6 hold for 7 employees: +2 +4 +6 for the even ones, -1 -3 -5 for the odd ones.
        #expect(rows[1]["icp_score"] == "3")
        #expect(rows[1]["icp_reasons"] == "-1 g1: Employees 7; +2 g2: Employees 7; -3 g3: Employees 7; +4 g4: Employees 7; -5 g5: Employees 7; +6 g6: Employees 7")
    }
}
