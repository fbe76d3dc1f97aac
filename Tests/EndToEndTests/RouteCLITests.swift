import Foundation
import RunStore
import Testing
import TestSupport

/// `route` through the built `leadhygiene`: account owners, territories, pools, caps, and two weekly
/// runs with a store.
@Suite("leadhygiene run: route")
struct RouteCLITests {
    static let accounts = """
        Account ID,Account Name,Website,Account Owner,Type
        001A,Acme Corporation,www.acme.com/,olga@example.com,Customer
        001B,Globex,https://globex.com:8443,,Prospect
        001B2,Globex,globex.com,,Prospect

        """

    func pipeline(members: String, extra: String = "") -> String {
        """
        input:  { path: leads.csv }
        output: { path: out/clean.jsonl, rejects: out/rejects.csv, report: out/report.json }
        store: store.sqlite
        columns: { record_id: "Lead ID", email: Email, company: Company, website: Website, country: Country }
        stages:
          - route:
              accounts: { path: accounts.csv }
              rules:
                - { when: "not account_owner is_missing", owner: account_owner }
                - { when: "country in [DE, AT, CH]", pool: dach }
                - { default: true, pool: smb }
              pools:
                dach: { members: [ { rep: anna@example.com, cap: 2 }, { rep: ben@example.com, cap: 1 } ] }
                smb: { members: [ \(members) ] }
        \(extra)
        """
    }

    func leads(_ count: Int) -> String {
        var text = "Lead ID,Email,Company,Website,Country\n"
        text += "L0,ann@acme.com,ACME Corp.,,US\n"
        text += "L1,bob@globex.com,Globex,,DE\n"
        for i in 2..<count { text += "L\(i),lead\(i)@company\(i).io,Company \(i),company\(i).io,\(i % 2 == 0 ? "FR" : "US")\n" }
        return text
    }

    func rows(_ dir: TemporaryDirectory) throws -> [[String: String]] {
        try dir.read("out/clean.jsonl").split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
    }

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        let report = try #require(JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
        let stages = try #require(report["stages"] as? [[String: Any]])
        return try #require(stages.first { $0["name"] as? String == "route" }?["summary"] as? [String: Any])
    }

    @Test func routesByAccountOwnerThenTerritoryThenPoolAndCapsSpillInInputOrder() throws {
        try withTemporaryDirectory { dir in
            try dir.write("accounts.csv", Self.accounts)
            var text = leads(2)
            for i in 0..<4 { text += "D\(i),d\(i)@firm\(i).de,Firm \(i),firm\(i).de,AT\n" }
            try dir.write("leads.csv", text)
            try dir.write("p.yml", pipeline(members: "{ rep: dan@example.com }"))
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try rows(dir)
            #expect(rows[0]["account_match"] == "domain")
            #expect(rows[0]["owner"] == "olga@example.com")
            #expect(rows[0]["route_rule"] == "9")
            // Globex is in twice, without an owner: the lead goes on to the territory rule.
            #expect(rows[1]["account_id"] == "001B")
            #expect(rows[1]["route_pool"] == "dach")
            let dach = rows.filter { $0["route_pool"] == "dach" }.map { $0["owner"] ?? "" }
            #expect(dach.filter { $0 == "anna@example.com" }.count == 2)
            #expect(dach.filter { $0 == "ben@example.com" }.count == 1)
            // Five DACH leads, three places: the last two, in input order, find the pool full.
            #expect(rows.suffix(2).map { $0["route_pool"] } == ["unrouted", "unrouted"])
            #expect(rows.suffix(2).map { $0["route_reason"] } == ["pool dach full: every member at its cap", "pool dach full: every member at its cap"])
            let summary = try report(dir)
            #expect((summary["unrouted"] as? [String: Int])?["pool_full"] == 2)
        }
    }

    @Test func aRepLeavingThePoolMovesOnlyThatRepsLeadsNextWeek() throws {
        try withTemporaryDirectory { dir in
            try dir.write("accounts.csv", Self.accounts)
            try dir.write("leads.csv", leads(202))
            try dir.write("p.yml", pipeline(members: "{ rep: dan@example.com }, { rep: eve@example.com }, { rep: fay@example.com, weight: 2 }"))
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let week1 = Dictionary(uniqueKeysWithValues: try rows(dir).map { ($0["Lead ID"] ?? "", $0["owner"] ?? "") })
            #expect(Set(week1.values).isSuperset(of: ["dan@example.com", "eve@example.com", "fay@example.com"]))

            // Next week eve has left and gus has joined.
            try dir.write("p.yml", pipeline(members: "{ rep: dan@example.com }, { rep: fay@example.com, weight: 2 }, { rep: gus@example.com }"))
            let second = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(second.status == 0, "\(second.stderr)")
            let week2Rows = try rows(dir)
            var moved = 0
            for row in week2Rows where row["route_pool"] == "smb" {
                let id = row["Lead ID"] ?? "", before = week1[id] ?? ""
                if before == "eve@example.com" {
                    moved += 1
                    #expect(row["owner"] != "eve@example.com")
                    #expect(row["route_reason"]?.contains("last run's owner eve@example.com is no longer in the pool") == true)
                } else {
                    // Kept by the store, although gus now ranks first for some of them.
                    #expect(row["owner"] == before, "\(id)")
                    #expect(row["route_reason"] == "pool smb: kept last run's owner")
                }
            }
            #expect(moved == week1.values.filter { $0 == "eve@example.com" }.count)
            let stability = try #require(try report(dir)["stability"] as? [String: Int])
            #expect(stability["moved"] == moved)
            #expect(stability["new"] == 0)
        }
    }

    @Test func aFailedRunDoesNotKeepItsAssignments() throws {
        try withTemporaryDirectory { dir in
            try dir.write("accounts.csv", Self.accounts)
            try dir.write("leads.csv", leads(60))
            try dir.write("p.yml", pipeline(members: "{ rep: dan@example.com }, { rep: eve@example.com }"))
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 0)
            let week1 = Dictionary(uniqueKeysWithValues: try rows(dir).map { ($0["Lead ID"] ?? "", $0["owner"] ?? "") })
            // Kept with the recorded run's id, in the transaction that recorded it.
            let store = try RunStore(path: dir.path("store.sqlite"))
            let firstRun = try #require(try store.runs().last?.id)
            #expect(try store.integers("SELECT DISTINCT run_id FROM route_assignment") == [Int(firstRun)])
            let stored = try store.routeAssignments()
            // A run that fails its fail_if is not recorded: its owners (all gus) must not stick.
            try dir.write("p.yml", pipeline(members: "{ rep: gus@example.com }", extra: "fail_if: { rows_in: \"> 0\" }"))
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 1)
            #expect(try store.routeAssignments() == stored)
            #expect(try store.runs().count == 1)
            try dir.write("p.yml", pipeline(members: "{ rep: dan@example.com }, { rep: eve@example.com }"))
            #expect(try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url).status == 0)
            let thirdRun = try #require(try store.runs().last?.id)
            #expect(try store.integers("SELECT DISTINCT run_id FROM route_assignment") == [Int(thirdRun)])
            let week3 = try rows(dir)
            for row in week3 where row["route_pool"] == "smb" {
                #expect(row["owner"] == week1[row["Lead ID"] ?? ""])
                #expect(row["route_reason"] == "pool smb: kept last run's owner")
            }
        }
    }
}
