import Foundation
import LeadRecords
import PipelineSpec
import RouteStage
import Testing
import TestSupport

@Suite("route: accounts, first-match rules, pools with caps")
struct RouteStageTests {
    /// A Salesforce accounts export as it comes: websites with a trailing slash, a port, a scheme; a
    /// blank owner; one company entered twice with the same owner, and one with two owners.
    static let accounts = """
        Account ID,Account Name,Website,Account Owner,Billing Country
        001A,Acme Corporation,www.acme.com/,Olga Owner,DE
        001B,Globex,https://globex.com:8443,,US
        001C,Initech GmbH,http://initech.de,Ivan Owner,DE
        001D,Initech,initech.de,Ivan Owner,DE
        001E,Umbrella Ltd,umbrella.co.uk,Uma Owner,GB
        001F,Umbrella PLC,https://www.umbrella.co.uk,Ulf Owner,GB
        001G,Hooli,,Hana Owner,US

        """

    static let options = """
        accounts: { path: ACCOUNTS }
        rules:
          - { when: "not account_owner is_missing", owner: account_owner }
          - { when: "country in [DE, AT, CH]", pool: dach }
          - { when: "Tier == A", pool: enterprise }
          - { default: true, pool: smb }
        pools:
          dach: { members: [ { rep: anna@example.com, weight: 2, cap: 2 }, { rep: ben@example.com, cap: 1 } ] }
          enterprise: { members: [ { rep: cara@example.com } ] }
          smb: { members: [ { rep: dan@example.com }, { rep: eve@example.com } ] }
        """

    func run(_ table: String, options: String = Self.options) throws -> (rows: [[String: String]], report: ReportValue) {
        try withTemporaryDirectory { dir in
            try dir.write("accounts.csv", Self.accounts)
            let (stage, schema, records0) = try StageFixture.stage(
                RouteStage.self, options.replacingOccurrences(of: "ACCOUNTS", with: dir.path("accounts.csv")),
                context: StageContext(pipelineFile: "t.yml"), table: table,
                columns: [.recordID: "Id", .email: "Email", .company: "Company", .website: "Website", .country: "Country"])
            guard case .wholeList(let routing) = stage else { throw OptionProblem("route is a whole-list stage") }
            var records = records0
            let report = try routing.processReporting(&records)
            let rows = records.map { record in Dictionary(uniqueKeysWithValues: schema.columns.enumerated().map { ($1, record.values[$0]) }) }
            return (rows, .object(report))
        }
    }

    @Test func leadsMeetTheirAccountByDomainThenByCompanyKeyWithTieBreakers() throws {
        let (rows, report) = try run("""
            Id|Email|Company|Website|Country|Tier
            1|ann@acme.com|Acme|https://acme.com:8443/about||
            2|bob@gmail.com|Globex Corp|globex.com||
            3|cy@initech.de|Initech|||
            4|dee@umbrella.co.uk|Umbrella|||
            5|eve@gmail.com|Hooli Inc.|||
            6|fay@gmail.com|Nobody Ltd|||
            """)
        #expect(rows.map { $0["account_match"] } == ["domain", "domain", "domain", "ambiguous", "name", "none"])
        // Initech is in twice with one owner: the smaller id; Umbrella has two owners: nobody is guessed.
        #expect(rows.map { $0["account_id"] } == ["001A", "001B", "001C", "", "001G", ""])
        #expect(rows.map { $0["account_owner"] } == ["Olga Owner", "", "Ivan Owner", "", "Hana Owner", ""])
        #expect(report["account_match"]?["ambiguous"]?["rows"] == .integer(1))
    }

    @Test func theFirstMatchingRuleRoutesByAccountOwnerTerritoryOrPool() throws {
        let (rows, report) = try run("""
            Id|Email|Company|Website|Country|Tier
            1|ann@acme.com|Acme|||
            2|bob@globex.com|Globex||DE|
            3|cy@nowhere.io|Nowhere||US|A
            4|dee@elsewhere.io|Elsewhere||FR|
            """)
        #expect(rows.map { $0["owner"] } == ["Olga Owner", rows[1]["owner"], "cara@example.com", rows[3]["owner"]])
        #expect(["anna@example.com", "ben@example.com"].contains(rows[1]["owner"] ?? ""))
        #expect(["dan@example.com", "eve@example.com"].contains(rows[3]["owner"] ?? ""))
        #expect(rows.map { $0["route_pool"] } == ["", "dach", "enterprise", "smb"])
        // The rule's line in the pipeline file (the stage's options start on line 5 of the fixture's file).
        #expect(rows.map { $0["route_rule"] } == ["7", "8", "9", "10"])
        #expect(rows[0]["route_reason"] == "owner from account_owner")
        #expect(rows[2]["route_reason"] == "pool enterprise: rendezvous hash")
        #expect(report["unrouted"] == .object([("no_rule", .integer(0)), ("pool_full", .integer(0))]))
    }

    @Test func capsSpillToTheNextMemberInInputOrderAndAFullPoolIsUnrouted() throws {
        let leads = (1...5).map { "\($0)|lead\($0)@example-\($0).io|Company \($0)||AT|" }.joined(separator: "\n")
        let (rows, report) = try run("Id|Email|Company|Website|Country|Tier\n" + leads)
        let owners = rows.map { $0["owner"] ?? "" }
        // anna takes 2, ben 1, in input order; the fourth and fifth find everyone at cap.
        #expect(owners.prefix(3).filter { $0 == "anna@example.com" }.count == 2)
        #expect(owners.prefix(3).filter { $0 == "ben@example.com" }.count == 1)
        #expect(owners.suffix(2) == ["", ""])
        #expect(rows.suffix(2).map { $0["route_pool"] } == ["unrouted", "unrouted"])
        #expect(rows[4]["route_reason"] == "pool dach full: every member at its cap")
        // A lead whose first choice was full says so.
        let spilled = rows.prefix(3).filter { $0["route_reason"]?.contains("at cap") == true }
        for row in spilled { #expect(row["route_reason"]?.hasPrefix("pool dach: rendezvous hash; ") == true) }
        #expect(report["unrouted"]?["pool_full"] == .integer(2))
        guard case .array(let members)? = report["pools"]?["dach"]?["members"] else { Issue.record("no members"); return }
        #expect(members.map { $0["rows"] } == [.integer(2), .integer(1)])
        #expect(members.map { $0["at_cap"] } == [.bool(true), .bool(true)])
    }

    @Test(arguments: [
        ("- { when: \"country in [DE]\", pool: dack }", "did you mean 'dach'?"),
        ("- { when: \"country in [DE]\", owner: account_owner, pool: dach }", "not both"),
        ("- { pool: dach }", "needs when: CONDITION"),
        ("- { when: \"contry in [DE]\", pool: dach }", "did you mean 'country'?"),
        ("- { when: \"country in [DE]\", owner: acount_owner }", "did you mean 'account_owner'?"),
    ])
    func badRulesAreRefused(rule: String, message: String) throws {
        let options = Self.options.replacingOccurrences(of: "- { default: true, pool: smb }", with: rule)
        #expect { try run("Id|Email|Company|Website|Country|Tier\n1|a@b.io|B|||", options: options) } throws: {
            ($0 as? OptionProblem)?.message.contains(message) == true
        }
    }
}
