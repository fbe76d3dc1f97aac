import Foundation
import LeadRecords
import PipelineSpec
import RouteStage
import Testing
import TestSupport

@Suite("route: account columns written with the routing columns, or apart when the schema places them apart")
struct AccountColumnsWrittenWithRoutingTests {
    static let accounts = """
        Account ID,Account Name,Website,Account Owner
        001A,Acme Corporation,www.acme.com/,  Olga Owner
        001B,Globex,https://globex.com:8443,
        001C,Initech,initech.de,Ivan Owner

        """

    static let options = """
        accounts: { path: ACCOUNTS }
        rules:
          - { when: "account_match == name", owner: account_owner }
          - { when: "not account_owner is_missing and account_id != 001C", owner: account_owner }
          - { when: "account_match in [domain]", pool: known }
          - { default: true, pool: other }
        pools:
          known: { members: [ { rep: kim@example.com } ] }
          other: { members: [ { rep: oz@example.com } ] }
        """

    static let leads = """
        1|ann@acme.com|Acme|acme.com
        2|bob@globex.com|Globex|
        3|cy@initech.de|Initech|
        4|dee@gmail.com|Initech|
        5|eve@nowhere.io|Nowhere|
        """

    /// Every column of every routed row, by name, for leads in a file with `header` (the leads' four columns
    /// then `extra`, empty on every row).
    func routed(extra: [String]) throws -> [[String: String]] {
        try withTemporaryDirectory { dir in
            try dir.write("accounts.csv", Self.accounts)
            let header = (["Id", "Email", "Company", "Website"] + extra).joined(separator: "|")
            let table = header + "\n" + Self.leads.split(separator: "\n").map { $0 + String(repeating: "|", count: extra.count) }
                .joined(separator: "\n")
            let (stage, schema, records0) = try StageFixture.stage(
                RouteStage.self, Self.options.replacingOccurrences(of: "ACCOUNTS", with: dir.path("accounts.csv")),
                context: StageContext(pipelineFile: "t.yml"), table: table,
                columns: [.recordID: "Id", .email: "Email", .company: "Company", .website: "Website"])
            guard case .wholeList(let routing) = stage else { throw OptionProblem("route is a whole-list stage") }
            var records = records0
            _ = try routing.processReporting(&records)
            return records.map { record in Dictionary(uniqueKeysWithValues: schema.columns.enumerated().map { ($1, record.values[$0]) }) }
        }
    }

    @Test func rulesReadTheAccountColumnsOfTheLeadBeforeTheRowIsWritten() throws {
        let rows = try routed(extra: [])
        #expect(rows.map { $0["account_id"] } == ["001A", "001B", "001C", "001C", ""])
        #expect(rows.map { $0["account_match"] } == ["domain", "domain", "domain", "name", "none"])
        // An owner taken from `account_owner` is the account's, as the row holds it once written.
        #expect(rows.map { $0["owner"] } == ["Olga Owner", "kim@example.com", "kim@example.com", "Ivan Owner", "oz@example.com"])
        #expect(rows.map { $0["route_rule"] } == ["8", "9", "9", "7", "10"])
    }

    @Test func anInputThatAlreadyHasAnAccountColumnIsRoutedTheSame() throws {
        // The input's own `account_owner` column is route's: the account columns are then not next to the
        // routing columns, and are written apart from them.
        let together = try routed(extra: [])
        let apart = try routed(extra: ["account_owner", "Note"])
        for column in ["account_id", "account_match", "account_owner", "owner", "route_pool", "route_rule", "route_reason"] {
            #expect(apart.map { $0[column] } == together.map { $0[column] }, "\(column)")
        }
    }
}
