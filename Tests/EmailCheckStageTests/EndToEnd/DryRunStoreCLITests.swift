import Foundation
import TestSupport
import Testing

/// A dry run and explain-match read the run store but leave it byte for byte as it was, even when their stages
/// would keep something there (DNS verdicts, entity ids, snapshots), and create none where none is.
/// The built binary against dnsmasq on loopback.
@Suite(.serialized) struct DryRunStoreCLITests {
    static let header = "Lead ID,Email,First Name,Company,Website"

    static func pipeline(port: Int, store: String) -> String {
        """
        name: dry-run-store
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: \(store)
        columns: { record_id: Lead ID, email: Email, first_name: First Name, company: Company, website: Website }
        stages:
          - normalize: {}
          - email_check:
              dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
              special_use_domains: { allow: [test] }
          - dedupe: { record_key: Lead ID }
          - decay: {}
        """
    }

    /// Every file under `folder` with its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test func aDryRunAndExplainMatchLeaveAnExistingStoreAsItWas() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("weekly.yml", Self.pipeline(port: port, store: "store/leads.sqlite"))
                try dir.write("leads.csv", [Self.header, "L1,jane@mx.test,Jane,Acme,mx.test", "L2,ann@aonly.test,Ann,Fallback,aonly.test"]
                    .joined(separator: "\n") + "\n")
                let recorded = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet"], in: dir.url)
                #expect(recorded.status == 0, "\(recorded.stderr)")
                let before = try Self.contents(of: dir.url.appendingPathComponent("store"))
                #expect(before.keys.sorted() == ["leads.sqlite"])

                // New leads, a new domain to look up, a duplicate for dedupe: all of it would be kept by a recorded run.
                try dir.write("leads.csv", [Self.header, "L1,jane@mx.test,Jane,Acme,mx.test", "L2,ann@aonly.test,Ann,Fallback,aonly.test",
                                            "L3,info@mx.test,Info,Acme,mx.test", "L4,jane@mx.test,Jane,Acme,mx.test",
                                            "L5,dan@missing.test,Dan,Gone,missing.test"]
                    .joined(separator: "\n") + "\n")
                try FileManager.default.removeItem(at: dir.url.appendingPathComponent("out"))
                let dry = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--dry-run"], in: dir.url)
                #expect(dry.status == 0, "\(dry.stderr)")
                #expect(dry.stderr.contains("rows_in 5 = "), "\(dry.stderr)")
                #expect(try Self.contents(of: dir.url.appendingPathComponent("store")) == before)
                #expect(!dir.exists("out"))

                let explained = try ProcessRunner.leadhygiene(["explain-match", "weekly.yml", "2", "5", "--json"], in: dir.url)
                #expect(explained.status == 0, "\(explained.stderr)")
                #expect(explained.stdout.contains("\"match_probability\""), "\(explained.stdout)")
                #expect(try Self.contents(of: dir.url.appendingPathComponent("store")) == before)

                // The same list recorded does change the store: the dry run had something to keep.
                let second = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--quiet"], in: dir.url)
                #expect(second.status == 0, "\(second.stderr)")
                #expect(try Self.contents(of: dir.url.appendingPathComponent("store")) != before)
            }
        }
    }

    @Test func aDryRunCreatesNoStoreWhereNoneIsAndRunsAsAFirstRunWould() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("weekly.yml", Self.pipeline(port: port, store: "store/leads.sqlite"))
                try dir.write("leads.csv", [Self.header, "L1,jane@mx.test,Jane,Acme,mx.test", "L2,jane@mx.test,Jane,Acme,mx.test",
                                            "L3,dan@missing.test,Dan,Gone,missing.test"]
                    .joined(separator: "\n") + "\n")
                let dry = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--dry-run", "--summary", "json"], in: dir.url)
                #expect(dry.status == 0, "\(dry.stderr)")
                #expect(!dir.exists("store"))
                #expect(!dir.exists("out"))

                let recorded = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--summary", "json"], in: dir.url)
                #expect(recorded.status == 0, "\(recorded.stderr)")
                #expect(dir.exists("store/leads.sqlite"))
                func accounting(_ summary: String) throws -> String? {
                    let object = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any]
                    return (object?["accounting"] as? [String: Any])?["identity"] as? String
                }
                #expect(try accounting(dry.stdout) == accounting(recorded.stdout))
                #expect(try accounting(dry.stdout) == "rows_in 3 = rows_out 2 + rows_rejected 1 + rows_merged 0")
            }
        }
    }
}
