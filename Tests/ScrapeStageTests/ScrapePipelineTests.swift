import Foundation
import TestSupport
import Testing

@Suite("scrape in a pipeline file, through the built CLI")
struct ScrapePipelineTests {
    @Test func runsFromAPipelineFileAndReportsItsCounts() throws {
        let server = try FixtureSiteServer()
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email,Company,Website\na@acme.test,Acme,acme.test\nb@acme.test,Acme,www.acme.test\nc@gone.test,Gone,gone.test\n")
            try dir.write("pipeline.yml", """
                name: scrape-e2e
                input: { path: leads.csv }
                output: { path: out.csv, rejects: rejects.csv, report: report.json }
                columns: { email: Email, company: Company, website: Website }
                stages:
                  - scrape:
                      allow_private: true
                      default_scheme: http
                      delay_ms: 0
                      max_pages: 1
                      connect_to: ["::127.0.0.1:\(server.port)"]
                      reject_on: [http_4xx]
                """)
            let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let output = try dir.read("out.csv")
            let lines = output.split(separator: "\n")
            #expect(lines.count == 3)   // header + the two acme rows; gone.test was rejected
            #expect(lines[0].contains("web_status"))
            #expect(lines[1].contains("Acme Anvils"))
            #expect(try dir.read("rejects.csv").contains("web_http_4xx"))
            let report = try dir.read("report.json")
            #expect(report.contains("\"sites\": 2"))
            #expect(report.contains("\"robots_fetched\": 2"))
        }
    }

    @Test func keepsAWebsitesPortThroughNormalizeAndScrape() throws {
        let server = try FixtureSiteServer()
        try withTemporaryDirectory { dir in
            // Only portco.test on the server's port is pinned to 127.0.0.1: had normalize dropped the port,
            // scrape would look for the site on port 80 and find nothing.
            try dir.write("leads.csv", "Company,Website\nPortco,HTTP://Portco.test:\(server.port)/?utm_source=x\n")
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                output: { path: out.csv, report: report.json }
                columns: { company: Company, website: Website }
                stages:
                  - normalize: {}
                  - scrape:
                      allow_private: true
                      delay_ms: 0
                      resolve: ["portco.test:\(server.port):127.0.0.1"]
                """)
            let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let output = try dir.read("out.csv")
            #expect(output.contains("http://portco.test:\(server.port),"))   // norm_website
            #expect(output.contains(",ok,"))
            #expect(output.contains("Portco Systems"))
        }
    }

    @Test func lintPointsAtAnUnusableOption() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Website\nacme.test\n")
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                output: { path: out.csv }
                stages:
                  - scrape:
                      max_age: fortnight
                """)
            let result = try ProcessRunner.leadhygiene(["lint", "pipeline.yml"], in: dir.url)
            #expect(result.status != 0)
            #expect((result.stdout + result.stderr).contains("pipeline.yml:5:"))
            #expect((result.stdout + result.stderr).contains("max_age"))
        }
    }
}
