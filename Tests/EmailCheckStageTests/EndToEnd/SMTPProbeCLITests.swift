import Foundation
import TestSupport
import Testing

/// `smtp: { enabled: true }` through the built CLI: dnsmasq on loopback gives the MX hosts, `host_addresses`
/// sends every one of them to the loopback SMTP server (or a closed loopback port).
@Suite(.serialized) struct SMTPProbeCLITests {
    @Test func everySMTPOutcomeReachesTheOutputTheRejectsAndTheReport() throws {
        let server = try LoopbackSMTPServer(domains: [
            "mailbox.test": .knows(["jane@mailbox.test"]), "catchall.test": .catchAll, "grey.test": .greylisting,
            "slow.test": .slow(seconds: 2.5),
        ])
        defer { server.stop() }
        let closedPort = LocalServer.freePort()
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("leads.csv", """
                    Lead ID,Email
                    1,jane@mailbox.test
                    2,nobody@mailbox.test
                    3,anyone@catchall.test
                    4,jo@grey.test
                    5,jo@slow.test
                    6,jo@refused.test
                    7,bob@nullmx.test

                    """)
                let live = "127.0.0.1:\(server.port)"
                try dir.write("pipeline.yml", """
                    input: { path: leads.csv }
                    output: { path: out.jsonl, rejects: rejects.jsonl, report: report.json }
                    columns: { email: Email }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
                          special_use_domains: { allow: [test] }
                          actions: { invalid: reject, risky: flag, unknown: keep }
                          smtp:
                            enabled: true
                            timeout: 1
                            helo: probe.leadhygiene.test
                            host_addresses:
                              mx.mailbox.test: "\(live)"
                              mx.catchall.test: "\(live)"
                              mx.grey.test: "\(live)"
                              mx.slow.test: "\(live)"
                              mx.refused.test: "127.0.0.1:\(closedPort)"
                    """)
                let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                let kept = try EmailCheckCLITests.jsonLines(try dir.read("out.jsonl"))
                #expect(kept.map { $0["Lead ID"] as? String } == ["1", "3", "4", "5", "6"])
                #expect(kept.map { $0["email_status"] as? String } == ["valid", "risky", "unknown", "unknown", "unknown"])
                #expect(kept.map { $0["email_reason"] as? String }
                        == ["", "email_accept_all", "email_smtp_inconclusive", "email_smtp_inconclusive", "email_smtp_inconclusive"])

                let rejects = try dir.read("rejects.jsonl")
                #expect(rejects.contains("email_mailbox_not_found"), "\(rejects)")
                #expect(rejects.contains("550 5.1.1 <nobody@mailbox.test>: user unknown"), "\(rejects)")
                #expect(rejects.contains("email_null_mx")) // DNS said no: never probed
                #expect(!server.commands.contains("RCPT TO:<bob@nullmx.test>"))
                #expect(!server.commands.contains { $0.uppercased().hasPrefix("DATA") })

                let report = try dir.read("report.json")
                #expect(report.contains("\"smtp\""), "\(report)")
                #expect(report.contains("\"accept_all_domains\": 1"), "\(report)")
            }
        }
    }

    @Test func checkEmailProbesWhenThePipelineFileEnablesIt() throws {
        let server = try LoopbackSMTPServer(domains: ["mailbox.test": .knows(["jane@mailbox.test"]), "grey.test": .greylisting])
        defer { server.stop() }
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("pipeline.yml", """
                    input: { path: leads.csv }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
                          special_use_domains: { allow: [test] }
                          smtp: { enabled: true, timeout: 1, host_addresses: { mx.mailbox.test: "127.0.0.1:\(server.port)", mx.grey.test: "127.0.0.1:\(server.port)" } }
                    """)
                let result = try ProcessRunner.leadhygiene(
                    ["check-email", "--pipeline", "pipeline.yml", "jane@mailbox.test", "nobody@mailbox.test", "jo@grey.test"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                let lines = try EmailCheckCLITests.jsonLines(result.stdout)
                #expect(lines.map { $0["status"] as? String } == ["valid", "invalid", "unknown"])
                #expect(lines.map { $0["reason"] as? String } == [nil, "email_mailbox_not_found", "email_smtp_inconclusive"])
                #expect(lines[2]["detail"] as? String == "451 4.7.1 greylisted, try again later")
            }
        }
    }
}
