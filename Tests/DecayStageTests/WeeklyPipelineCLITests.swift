import Foundation
import RunStore
import Testing
import TestSupport

/// The built `leadhygiene` CLI running a weekly pipeline with `store:`, firmographic_merge and decay, twice.
@Suite("weekly pipeline through the CLI")
struct WeeklyPipelineCLITests {
    static let header = "Lead ID,First Name,Last Name,Email,Title,Company,Website,Phone,Country,City,Source,Last Verified At,Last Activity At,web_status,web_redirect_domain"
    static let week1 = [
        "1,Ada,Lovelace,ada@acme.co.uk,CTO,Acme,https://acme.co.uk,,GB,London,webinar,2026-10-01,,ok,",
        "2,Bob,Smith,bob@globex.com,VP Sales,Globex,globex.com,,US,Springfield,list,2026-10-01,,ok,",
        "3,Cy,Young,cy@initech.io,Engineer,Initech,initech.io,,US,Austin,list,2026-10-01,,ok,",
        "4,Dee,Dee,dee@umbrella.com,CFO,Umbrella,umbrella.com,,US,Raccoon City,list,2026-10-01,,ok,",
    ]
    static let week2 = [
        "1,Ada,Lovelace,ada@acme.co.uk,CTO,Acme,https://acme.co.uk,,GB,London,webinar,2026-10-01,,ok,",
        "2,Bob,Smith,bob@globex.com,Chief Revenue Officer,Globex,globex.com,,US,Springfield,list,2026-10-01,,ok,",
        "3,Cy,Young,cy@initech.io,Engineer,Initech,initech.io,,US,Austin,list,2026-10-01,,ok,initrode.com",
        "4,Dee,Dee,dee@umbrella.com,CFO,Umbrella,umbrella.com,,US,Raccoon City,list,2026-10-01,,ok,",
    ]
    static let pipeline = """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: out/leadhygiene.sqlite
        stages:
          - firmographic_merge:
              sources:
                - { name: crunchbase, path: firmographics.csv, as_of: 2026-10-01 }
              fields:
                industry: { policy: fill }
                employee_count: { policy: overwrite }
          - decay:
              suppression: { path: bounces.csv, action: reject }
        """

    func report(_ dir: TemporaryDirectory) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("out/report.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func decaySummary(_ report: [String: Any]) throws -> [String: Any] {
        let stages = try #require(report["stages"] as? [[String: Any]])
        return try #require(stages.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any])
    }

    @Test func theSecondWeekSeesTheTitleChangeTheAcquisitionAndTheNewBounce() throws {
        let binary = ProcessRunner.product("leadhygiene")
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build --build-tests")
        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", Self.pipeline)
            try dir.write("firmographics.csv", "company_name,domain,industry,employee_count\nAcme Corporation,acme.co.uk,Manufacturing,1200\nGlobex Inc,globex.com,Software,85\n")
            try dir.write("leads.csv", ([Self.header] + Self.week1).joined(separator: "\n") + "\n")
            try dir.write("bounces.csv", "email,type\n")
            let first = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", "2026-11-19T00:00:00Z", "--quiet"], in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try report(dir)["rows_out"] as? Int == 4)

            try dir.write("leads.csv", ([Self.header] + Self.week2).joined(separator: "\n") + "\n")
            try dir.write("bounces.csv", "email,type\ndee@umbrella.com,Hard Bounce\n")
            let second = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", "2026-11-26T00:00:00Z", "--quiet"], in: dir.url)
            #expect(second.status == 0, "\(second.stderr)")
            let summary = try decaySummary(try report(dir))
            #expect(summary["reasons"] as? [String: Int] == ["decay_title_changed": 1, "decay_company_redirect": 1,
                                                            "suppressed_hard_bounce": 1])
            let history = try #require(summary["run_over_run"] as? [String: Any])
            #expect(history["previous_run"] as? Int == 1)
            #expect(history["vanished"] as? Int == 0)
            #expect(history["leads_compared"] as? Int == 4)

            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("suppressed_hard_bounce"))
            #expect(rejects.contains("dee@umbrella.com"))
            let clean = try dir.read("out/clean.csv")
            #expect(!clean.contains("dee@umbrella.com"))
            #expect(clean.contains("crunchbase@2026-10-01"))

            let store = try RunStore(path: dir.path("out/leadhygiene.sqlite"))
            #expect(try store.integrityCheck() == ["ok"])
            let runs = try store.runs(pipeline: "weekly")
            #expect(runs.count == 2)
            let values = try store.enrichmentValues(runID: runs[1].id!, entityID: "email:bob@globex.com")
            #expect(values.map { "\($0.field)=\($0.value) from \($0.source)@\($0.asOf)" }
                    == ["firmo_employee_count=85 from crunchbase@2026-10-01", "firmo_industry=Software from crunchbase@2026-10-01"])
        }
    }
}
