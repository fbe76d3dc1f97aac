import Foundation
import TestSupport
import Testing

/// email_check's DNS verdicts kept in the run store by the run that found them, and served to the next run,
/// through the built binary against dnsmasq on loopback.
@Suite(.serialized) struct DNSVerdictStoreCLITests {
    @Test func aRunKeepsEveryVerdictItFoundAndLeavesTheStoreInOneFile() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                // Fewer domains than one batch of saved verdicts: the last batch is saved when the stage lets go of
                // its cache, which a lookup thread's finished job once kept alive until the process exited.
                try dir.write("leads.csv", """
                    Email
                    jane@mx.test
                    ann@aonly.test
                    dan@missing.test
                    eve@nullmx.test

                    """)
                try dir.write("p.yml", """
                    input: { path: leads.csv }
                    output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
                    store: store/leads.sqlite
                    columns: { email: Email }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
                          special_use_domains: { allow: [test] }
                    """)
                // email_check's DNS figures in the report.
                func emailFindings() throws -> [String: [String: Int]] {
                    let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
                    let stages = report?["stages"] as? [[String: Any]] ?? []
                    let summary = stages.first { $0["name"] as? String == "email_check" }?["summary"] as? [String: Any] ?? [:]
                    return ["dns": (summary["dns"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }]
                }
                let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
                #expect(first.status == 0, "\(first.stderr)")
                #expect(try emailFindings()["dns"]?["domains_resolved"] == 4)
                // Every connection closed: the last run is in the store file itself, not only in a write-ahead log
                // beside it, so copying the file copies the run.
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("store")) == ["leads.sqlite"])
                let stats = try ProcessRunner.leadhygiene(["store", "stats", "store/leads.sqlite"], in: dir.url)
                #expect(stats.stdout.contains("dns_verdict\t4 rows"), "\(stats.stdout)")

                let second = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
                #expect(second.status == 0, "\(second.stderr)")
                let findings = try emailFindings()
                #expect(findings["dns"]?["domains_resolved"] == 0)
                #expect(findings["dns"]?["store_cache_hits"] == 4)
            }
        }
    }
}
