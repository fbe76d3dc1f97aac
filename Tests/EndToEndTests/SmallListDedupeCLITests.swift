import Foundation
import Testing
import TestSupport

/// Dedupe on lists of a handful of rows, through the built `leadhygiene`: the same person written twice (the same
/// mailbox and name) is one entity however short the list, while a shared role address or a shared name with
/// nothing else in common links no one.
@Suite("leadhygiene run: dedupe on small lists")
struct SmallListDedupeCLITests {
    static let pipeline = """
        input: { path: leads.csv }
        output: { path: out/clean.csv, report: out/report.json }
        columns: { record_id: Lead ID, email: Email, first_name: First Name, last_name: Last Name, company: Company, website: Website }
        stages:
          - normalize: {}
          - dedupe: { record_key: Lead ID }
        """

    /// Entity id per `Lead ID`, from the clean file.
    func entities(in dir: TemporaryDirectory) throws -> [String: String] {
        let lines = try dir.read("out/clean.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(lines.first)
        let id = try #require(header.firstIndex(of: "Lead ID")), entity = try #require(header.firstIndex(of: "entity_id"))
        return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { (String($0[id]), String($0[entity])) })
    }

    /// Entity id per `Lead ID` and the dedupe summary of the report.
    func run(_ csv: String) throws -> (ids: [String: String], summary: [String: Any]) {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", csv)
            try dir.write("p.yml", Self.pipeline)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            let stages = report?["stages"] as? [[String: Any]]
            let summary = try #require(stages?.first { $0["name"] as? String == "dedupe" }?["summary"] as? [String: Any])
            return (try entities(in: dir), summary)
        }
    }

    @Test func theSamePersonTwiceInAFourRowListIsOneEntity() throws {
        let (ids, summary) = try run("""
            Lead ID,Email,First Name,Last Name,Company,Website
            L1,jane.doe@acme.com,Jane,Doe,Acme,acme.com
            L2,jane.doe@acme.com,Jane,Doe,Acme,acme.com
            L3,bob@globex.com,Bob,Smith,Globex,globex.com
            L4,ann@initech.com,Ann,Lee,Initech,initech.com

            """)
        #expect(ids.count == 4)
        #expect(ids["L1"] == ids["L2"])
        #expect(Set(ids.values).count == 3)
        // Six pairs measure next to nothing: u rests on the comparators' prior, and the report says so.
        let share = try #require(summary["u_prior_share"] as? Double)
        #expect(share > 0.99 && share <= 1)
    }

    @Test func theSamePersonTwiceInATwoRowListIsOneEntity() throws {
        let (ids, summary) = try run("""
            Lead ID,Email,First Name,Last Name,Company,Website
            L1,jane.doe@acme.com,Jane,Doe,Acme,acme.com
            L2,Jane.Doe@Acme.com,jane,doe,ACME,www.acme.com

            """)
        #expect(ids.count == 2)
        #expect(ids["L1"] == ids["L2"])
        #expect(summary["rows_compared"] as? Int == 2)
    }

    @Test func aTenRowListLinksItsTwoPairsAndNeitherRoleAddressesNorANameAlone() throws {
        let (ids, summary) = try run("""
            Lead ID,Email,First Name,Last Name,Company,Website
            L1,jane.doe@acme.com,Jane,Doe,Acme,acme.com
            L2,jane.doe@acme.com,Jane,Doe,Acme Inc,acme.com
            L3,m.rossi@globex.io,Marco,Rossi,Globex,globex.io
            L4,m.rossi@globex.io,Marco,Rossi,Globex,globex.io
            L5,info@initech.com,Ann,Lee,Initech,initech.com
            L6,info@initech.com,Peter,Gibbons,Initech,initech.com
            L7,sales@umbrella.co,Kim,Ito,Umbrella,umbrella.co
            L8,sales@umbrella.co,Lee,Park,Umbrella,umbrella.co
            L9,,John,Smith,Hooli,hooli.com
            L10,,John,Smith,Vandelay Industries,vandelay.com

            """)
        #expect(ids.count == 10)
        #expect(ids["L1"] == ids["L2"])
        #expect(ids["L3"] == ids["L4"])
        #expect(ids["L5"] != ids["L6"])
        #expect(ids["L7"] != ids["L8"])
        #expect(ids["L9"] != ids["L10"])
        #expect(Set(ids.values).count == 8)
        #expect(summary["links"] as? Int == 2)
    }
}
