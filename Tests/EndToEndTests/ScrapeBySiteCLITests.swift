import Foundation
import Testing
import TestSupport

/// What a distributed run needs to spread `scrape` over tasks that each own whole sites: the key every row of a
/// site shares (`leadhygiene envelope sites`), and a report merged from those tasks that counts the fingerprint
/// file once, as one machine does.
@Suite("scrape over partitions")
struct ScrapeBySiteCLITests {
    static let now = "2026-12-01T00:00:00Z"

    @Test func everyRowOfOneRegistrableDomainGetsTheSameSiteKeyFromTheBinary() throws {
        try withTemporaryDirectory { dir in
            _ = try dir.write("leads.csv", """
                Lead ID,Email,Website
                1,ann@acme.com,https://www.acme.com/about
                2,bob@acme.com,acme.com
                3,cy@acme.com,HTTP://Shop.ACME.com:8080/cart
                4,di@example.co.uk,www.example.co.uk
                5,ed@example.co.uk,https://example.co.uk
                6,fay@blog.github.io,fay.github.io
                7,gus@nowhere.org,
                8,hal@nowhere.org,not a website
                9,ivy@bücher.de,https://www.bücher.de/

                """)
            _ = try dir.write("p.yml", """
                name: sites
                input: { path: leads.csv }
                output: { path: out/clean.csv }
                columns: { record_id: "Lead ID", email: Email, website: Website }
                stages:
                  - scrape: {}
                """)
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let sites = try ProcessRunner.leadhygiene(["envelope", "sites"], stdin: encoded.stdout, in: dir.url)
            #expect(sites.status == 0, "\(sites.stderr)")
            let keys = try sites.stdout.split(separator: "\n").map { line in
                let object = try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return (try require(object["seq"] as? Int), object["site"] as? String)
            }
            #expect(keys.map(\.0) == Array(2...10))
            #expect(keys.map(\.1) == ["acme.com", "acme.com", "acme.com", "example.co.uk", "example.co.uk", "fay.github.io",
                                      nil, nil, "xn--bcher-kva.de"])
        }
    }

    @Test func aLineThatIsNoEnvelopeIsRefusedWithItsNumber() throws {
        try withTemporaryDirectory { dir in
            let result = try ProcessRunner.leadhygiene(["envelope", "sites"], stdin: "{\"kind\":\"input\",\"columns\":[]}\nnot json\n",
                                                       in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("line 2"), "\(result.stderr)")
        }
    }

    /// Three partitions of a scrape segment (rows whose websites need no network: none, or not a URL one may
    /// fetch) merge into the one-machine summary: the counts add up, the fingerprint file's facts are counted once.
    @Test func scrapePartitionsMergeIntoTheOneMachineSummaryWithTheFingerprintsOnce() throws {
        try withTemporaryDirectory { dir in
            var rows = ["Lead ID,Email,Website"]
            for i in 1...30 {
                let website = ["", "ftp://files.acme\(i).com", "https://user:secret@acme\(i).com/", "not a website"][i % 4]
                rows.append("\(i),lead\(i)@acme\(i).com,\(website)")
            }
            _ = try dir.write("leads.csv", rows.joined(separator: "\n") + "\n")
            _ = try dir.write("p.yml", """
                name: merged
                input: { path: leads.csv }
                output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
                columns: { record_id: "Lead ID", email: Email, website: Website }
                stages:
                  - scrape: { reject_on: [invalid_url] }
                """)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", Self.now, "--quiet"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            let parts = try ReportMergeCLITests.partitionReports(in: dir, segments: [("1-1", 3)])
            #expect(parts.count == 3)
            let merged = try ReportMergeCLITests.merge(parts, in: dir)
            #expect(merged.status == 0, "\(merged.stderr)")
            func summary(_ path: String) throws -> NSDictionary {
                let report = try require(JSONSerialization.jsonObject(with: Data(dir.read(path).utf8)) as? [String: Any])
                let stages = try require(report["stages"] as? [[String: Any]])
                return try require(stages.first { $0["name"] as? String == "scrape" }?["summary"] as? NSDictionary)
            }
            let oneMachine = try summary("out/report.json"), distributed = try summary("spark/report.json")
            #expect(oneMachine == distributed)
            let fingerprints = try require(distributed["fingerprints"] as? [String: Int])
            #expect((fingerprints["technologies"] ?? 0) > 0)
            #expect(try require(distributed["rows_by_status"] as? [String: Int]) == ["invalid_url": 23, "no_website": 7])
        }
    }
}
