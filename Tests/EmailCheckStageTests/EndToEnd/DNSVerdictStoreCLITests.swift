import Foundation
import TestSupport
import Testing

/// email_check's DNS verdicts kept in the run store by the run that found them, and served to the next run,
/// through the built binary against dnsmasq on loopback.
@Suite(.serialized) struct DNSVerdictStoreCLITests {
    /// email_check alone, against the test name server, with a store.
    static func pipeline(port: Int) -> String {
        """
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: store/leads.sqlite
        columns: { email: Email }
        stages:
          - email_check:
              dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
              special_use_domains: { allow: [test] }
        """
    }

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
                try dir.write("p.yml", Self.pipeline(port: port))
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

    /// A Spark task reads a copy of the store and never writes it: the verdicts it finds go beside its staged file, and
    /// `store import` saves them, so next week's run finds them as it would after a one-machine run.
    @Test func aDistributedRunsTaskKeepsItsVerdictsForTheImportToSave() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("leads.csv", "Email\njane@mx.test\nann@aonly.test\ndan@missing.test\neve@nullmx.test\n")
                try dir.write("p.yml", Self.pipeline(port: port))
                let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
                #expect(encoded.status == 0, "\(encoded.stderr)")
                let task = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--store", "store/leads.sqlite",
                                                          "--staged", "part-0.staged"], stdin: encoded.stdout, in: dir.url)
                #expect(task.status == 0, "\(task.stderr)")
                #expect(!dir.exists("store"), "the task writes no store")
                let entries = try dir.read("part-0.staged.caches").split(separator: "\n")
                #expect(entries.count == 4)

                // The driver's part: the merged report, then the import.
                let summary = try #require(task.stdout.split(separator: "\n").last { $0.hasPrefix("{\"kind\":\"summary\"") })
                let object = try #require(JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
                let part = try JSONSerialization.data(withJSONObject: ["segment": 0, "report": try #require(object["report"])])
                try dir.write("parts.jsonl", String(decoding: part, as: UTF8.self) + "\n")
                let merged = try ProcessRunner.leadhygiene(["report", "merge", "p.yml", "--parts", "parts.jsonl", "--report", "spark.json",
                                                            "--quiet"], in: dir.url)
                #expect(merged.status == 0, "\(merged.stderr)")
                let imported = try ProcessRunner.leadhygiene(["store", "import", "p.yml", "--report", "spark.json",
                                                              "--staged", "part-0.staged"], in: dir.url)
                #expect(imported.status == 0, "\(imported.stderr)")
                #expect(imported.stderr.contains("store: 4 DNS and SMTP verdicts and pages the tasks found were kept"), "\(imported.stderr)")
                let stats = try ProcessRunner.leadhygiene(["store", "stats", "store/leads.sqlite"], in: dir.url)
                #expect(stats.stdout.contains("dns_verdict\t4 rows"), "\(stats.stdout)")

                let next = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
                #expect(next.status == 0, "\(next.stderr)")
                let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
                let stages = report?["stages"] as? [[String: Any]] ?? []
                let dns = (stages.first?["summary"] as? [String: Any])?["dns"] as? [String: Any]
                #expect(dns?["domains_resolved"] as? Int == 0)
                #expect(dns?["store_cache_hits"] as? Int == 4)
            }
        }
    }
}
