import Foundation
import TestSupport
import Testing

/// `smtp:` with a `store:` through the built CLI: what a mail server said is kept in the run store, so the next
/// run gives the same verdicts without asking it again, until `smtp.cache_days` have passed on the run's clock.
@Suite(.serialized) struct SMTPVerdictCacheCLITests {
    static let leads = """
        Lead ID,Email
        1,jane@mailbox.test
        2,nobody@mailbox.test
        3,anyone@catchall.test
        4,jo@grey.test

        """

    static func pipeline(dnsPort: Int, smtpPort: Int) -> String {
        """
        input: { path: leads.csv }
        output: { path: out.jsonl, rejects: rejects.jsonl, report: report.json }
        store: store.sqlite
        columns: { email: Email }
        stages:
          - email_check:
              dns: { server: 127.0.0.1, port: \(dnsPort), timeout: 1, attempts: 1 }
              special_use_domains: { allow: [test] }
              actions: { invalid: reject, risky: flag, unknown: keep }
              smtp:
                enabled: true
                timeout: 1
                cache_days: 30
                host_addresses:
                  mx.mailbox.test: "127.0.0.1:\(smtpPort)"
                  mx.catchall.test: "127.0.0.1:\(smtpPort)"
                  mx.grey.test: "127.0.0.1:\(smtpPort)"
        """
    }

    /// Every row's Lead ID → email_status and email_reason, kept and rejected alike.
    static func verdicts(in dir: TemporaryDirectory) throws -> [String: String] {
        var verdicts: [String: String] = [:]
        for row in try EmailCheckCLITests.jsonLines(try dir.read("out.jsonl")) {
            verdicts[row["Lead ID"] as? String ?? "?"] = "\(row["email_status"] ?? "") \(row["email_reason"] ?? "")"
        }
        for row in try EmailCheckCLITests.jsonLines(try dir.read("rejects.jsonl")) {
            verdicts[row["Lead ID"] as? String ?? "?"] = "rejected \(row["reject_reason"] ?? "")"
        }
        return verdicts
    }

    /// The `smtp` object of the report's email_check summary.
    static func smtpSummary(in dir: TemporaryDirectory) throws -> [String: Any] {
        func find(_ value: Any) -> [String: Any]? {
            if let object = value as? [String: Any] {
                if let smtp = object["smtp"] as? [String: Any] { return smtp }
                return object.values.lazy.compactMap(find).first
            }
            if let array = value as? [Any] { return array.lazy.compactMap(find).first }
            return nil
        }
        let report = try JSONSerialization.jsonObject(with: Data(try dir.read("report.json").utf8))
        return try #require(find(report))
    }

    static func recipients(_ commands: ArraySlice<String>) -> [String] {
        commands.filter { $0.uppercased().hasPrefix("RCPT TO:") }.map { String($0.dropFirst(8)) }
    }

    @Test func aSecondRunWithTheSameStoreGivesTheSameVerdictsWithoutAskingTheServerAgain() throws {
        let server = try LoopbackSMTPServer(domains: [
            "mailbox.test": .knows(["jane@mailbox.test"]), "catchall.test": .catchAll, "grey.test": .greylisting,
        ])
        defer { server.stop() }
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("leads.csv", Self.leads)
                try dir.write("pipeline.yml", Self.pipeline(dnsPort: port, smtpPort: server.port))
                let now = "2026-11-02T09:00:00Z"
                let first = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--now", now], in: dir.url)
                #expect(first.status == 0, "\(first.stderr)")
                let firstVerdicts = try Self.verdicts(in: dir)
                #expect(firstVerdicts == ["1": "valid ", "2": "rejected email_mailbox_not_found", "3": "risky email_accept_all",
                                          "4": "unknown email_smtp_inconclusive"])
                let firstRecipients = Self.recipients(server.commands[...])
                #expect(firstRecipients.contains("<jane@mailbox.test>"))
                #expect(firstRecipients.contains { $0.hasPrefix("<lh-probe-") && $0.hasSuffix("@catchall.test>") })

                // Next run: one more address on the catch-all domain, which is known to accept anything.
                try dir.write("leads.csv", Self.leads + "5,someone.new@catchall.test\n")
                let seen = server.commands.count
                let second = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--now", now], in: dir.url)
                #expect(second.status == 0, "\(second.stderr)")
                var secondVerdicts = try Self.verdicts(in: dir)
                #expect(secondVerdicts.removeValue(forKey: "5") == "risky email_accept_all")
                #expect(secondVerdicts == firstVerdicts)
                // Only the greylisted address is asked again: a 451 says nothing about the mailbox.
                #expect(Self.recipients(server.commands[seen...]) == ["<jo@grey.test>"])
                let smtp = try Self.smtpSummary(in: dir)
                #expect(smtp["store_cache_hits"] as? Int == 4, "\(smtp)")
                #expect(smtp["addresses_probed"] as? Int == 1, "\(smtp)")
            }
        }
    }

    @Test func anAnswerOlderThanCacheDaysIsAskedAgain() throws {
        let server = try LoopbackSMTPServer(domains: ["mailbox.test": .knows(["jane@mailbox.test"]), "catchall.test": .catchAll])
        defer { server.stop() }
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("leads.csv", "Lead ID,Email\n1,jane@mailbox.test\n3,anyone@catchall.test\n")
                try dir.write("pipeline.yml", Self.pipeline(dnsPort: port, smtpPort: server.port))
                let first = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--now", "2026-11-02T09:00:00Z"], in: dir.url)
                #expect(first.status == 0, "\(first.stderr)")

                let withinDays = server.commands.count
                let second = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--now", "2026-11-30T09:00:00Z"], in: dir.url)
                #expect(second.status == 0, "\(second.stderr)")
                #expect(Self.recipients(server.commands[withinDays...]).isEmpty)

                let afterDays = server.commands.count
                let third = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--now", "2026-12-03T09:00:00Z"], in: dir.url)
                #expect(third.status == 0, "\(third.stderr)")
                let asked = Self.recipients(server.commands[afterDays...])
                #expect(asked.contains("<jane@mailbox.test>"))
                #expect(asked.contains("<anyone@catchall.test>"))
                #expect(try Self.verdicts(in: dir) == ["1": "valid ", "3": "risky email_accept_all"])
                #expect(try Self.smtpSummary(in: dir)["store_cache_hits"] as? Int == 0)
            }
        }
    }
}
