import Foundation
import PipelineFileLoading
import TestSupport
import Testing

/// Runs the built `leadhygiene` binary (`swift build` first) against dnsmasq on loopback.
@Suite(.serialized) struct EmailCheckCLITests {
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func pipelineRunRejectsFlagsAndKeepsRowsByStatusAgainstARealNameServer() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("leads.csv", """
                    Lead ID,Email,Company
                    1,jane@mx.test,Acme
                    2,bob@nullmx.test,Null
                    3,dan@missing.test,Gone
                    4,info@mx.test,Acme
                    5,eve@x.fail.test,Flaky
                    6,ann@aonly.test,Fallback
                    7,carl@private.test,Private
                    8,not an address,Broken

                    """)
                try dir.write("pipeline.yml", """
                    name: email-e2e
                    input: { path: leads.csv }
                    output: { path: out.jsonl, rejects: rejects.jsonl, report: report.json }
                    columns: { email: Email }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1, concurrency: 4 }
                          special_use_domains: { allow: [test] }
                          actions: { invalid: reject, risky: flag, unknown: keep }
                    """)
                let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--jobs", "2"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")

                let kept = try Self.jsonLines(try dir.read("out.jsonl"))
                #expect(kept.map { $0["Lead ID"] as? String } == ["1", "4", "5", "6"])
                #expect(kept.map { $0["email_status"] as? String } == ["valid", "risky", "unknown", "valid"])
                #expect(kept.map { $0["email_action"] as? String } == ["keep", "flag", "keep", "keep"])

                let rejects = try dir.read("rejects.jsonl")
                for code in ["email_null_mx", "email_nxdomain", "email_no_mail_host", "email_invalid_syntax"] {
                    #expect(rejects.contains(code), "\(code) missing from rejects: \(rejects)")
                }
                let report = try dir.read("report.json")
                #expect(report.contains("\"email_status\""))
                #expect(report.contains("\"domains_resolved\": 6")) // jane@ and info@mx.test share one lookup
            }
        }
    }

    @Test func checkEmailPrintsOneJSONObjectPerAddressFromStandardInput() throws {
        try withTestNameServer { port in
            let result = try ProcessRunner.leadhygiene(
                ["check-email", "--allow-special-use", "test", "--dns-server", "127.0.0.1", "--dns-port", "\(port)", "--timeout", "1", "--attempts", "1", "-"],
                stdin: "Jane@MX.test\nbob@nullmx.test\njo@gmial.con\n\"no@pe\n")
            #expect(result.status == 0, "\(result.stderr)")
            let lines = try Self.jsonLines(result.stdout)
            #expect(lines.count == 4)
            #expect(lines[0]["status"] as? String == "valid")
            #expect(lines[0]["normalized"] as? String == "Jane@mx.test")
            #expect(lines[1]["status"] as? String == "invalid")
            #expect(lines[1]["reason"] as? String == "email_null_mx")
            #expect(lines[1]["valid"] as? Bool == true)
            #expect(lines[2]["suggestion"] as? String == "jo@gmail.com")
            #expect(lines[3]["valid"] as? Bool == false)
            #expect(lines[3]["reason"] as? String == "email_invalid_syntax")
        }
    }

    @Test func checkEmailNamesTheMXHostsOfADomainWhoseExchangersHaveNoAddress() throws {
        try withTestNameServer { port in
            let result = try ProcessRunner.leadhygiene(
                ["check-email", "--allow-special-use", "test", "--dns-server", "127.0.0.1", "--dns-port", "\(port)", "--timeout", "1", "--attempts", "1",
                 "jo@deadmx.test", "jo@backupmx.test", "jo@flakymx.test"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = try Self.jsonLines(result.stdout)
            #expect(lines.count == 3)
            #expect(lines[0]["status"] as? String == "invalid")
            #expect(lines[0]["reason"] as? String == "email_mx_unresolvable")
            #expect(lines[0]["detail"] as? String == "parked.deadmx.test,gone.deadmx.test")
            #expect(lines[1]["status"] as? String == "valid")
            #expect(lines[2]["status"] as? String == "unknown")
            #expect(lines[2]["reason"] as? String == "email_dns_failure")
            #expect(lines[2]["detail"] as? String == "mx_host_servfail_or_timeout")
        }
    }

    @Test func checkEmailTakesListsStatusesAndNameServerFromAPipelineFile() throws {
        try withTestNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("pipeline.yml", """
                    input: { path: leads.csv }
                    stages:
                      - normalize: {}
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), timeout: 1, attempts: 1 }
                          special_use_domains: { allow: [test] }
                          disposable: { add: [aonly.test] }
                          role_accounts: { status: invalid }
                    """)
                let addresses = ["jane@mx.test", "ann@aonly.test", "info@mx.test"]
                let withPipeline = try ProcessRunner.leadhygiene(["check-email", "--pipeline", "pipeline.yml"] + addresses, in: dir.url)
                #expect(withPipeline.status == 0, "\(withPipeline.stderr)")
                let checked = try Self.jsonLines(withPipeline.stdout)
                #expect(checked.map { $0["status"] as? String } == ["valid", "risky", "invalid"])
                #expect(checked.map { $0["reason"] as? String } == [nil, "email_disposable", "email_role_account"])

                // The same addresses with the stage's defaults and the same name server given as flags.
                let withDefaults = try ProcessRunner.leadhygiene(
                    ["check-email", "--allow-special-use", "test", "--dns-server", "127.0.0.1", "--dns-port", "\(port)", "--timeout", "1", "--attempts", "1"] + addresses,
                    in: dir.url)
                #expect(try Self.jsonLines(withDefaults.stdout).map { $0["status"] as? String } == ["valid", "valid", "risky"])

                // A flag still overrides the file: no DNS, so the domain's verdict is not asked for.
                let noDNS = try ProcessRunner.leadhygiene(["check-email", "--pipeline", "pipeline.yml", "--no-dns", "bob@nullmx.test"], in: dir.url)
                #expect(try Self.jsonLines(noDNS.stdout).first?["status"] as? String == "valid")
            }
        }
    }

    @Test func aDNSSettingIsJudgedByOneRuleWhetherAFlagOrThePipelineGivesIt() throws {
        try withTemporaryDirectory { dir in
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                stages:
                  - email_check:
                      dns: { server: "10.0.0.256", port: 53 }
                """)
            let fromFile = try ProcessRunner.leadhygiene(["check-email", "--pipeline", "pipeline.yml", "jo@acme.com"], in: dir.url)
            #expect(fromFile.status == 2)
            #expect(fromFile.stderr.contains("pipeline.yml:4:7: error: stage 'email_check': dns.server"), "\(fromFile.stderr)")
            #expect(fromFile.stderr.contains("dns.server must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1, found '10.0.0.256'"))

            let fromFlag = try ProcessRunner.leadhygiene(["check-email", "--dns-server", "10.0.0.256", "jo@acme.com"], in: dir.url)
            #expect(fromFlag.status == 2)
            #expect(fromFlag.stderr.contains("--dns-server must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1, found '10.0.0.256'"),
                    "\(fromFlag.stderr)")
            let port = try ProcessRunner.leadhygiene(["check-email", "--dns-port", "70000", "--no-dns", "jo@acme.com"], in: dir.url)
            #expect(port.status == 2)
            #expect(port.stderr.contains("--dns-port must be 1–65535, found 70000"), "\(port.stderr)")
        }
    }

    @Test func checkEmailNamesThePipelineLineOfAnUnreadableListFile() throws {
        try withTemporaryDirectory { dir in
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                stages:
                  - email_check:
                      disposable: { file: missing-list.txt }
                """)
            let result = try ProcessRunner.leadhygiene(["check-email", "--pipeline", "pipeline.yml", "a@b.com"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("pipeline.yml:4:7: error: stage 'email_check': cannot read list file 'missing-list.txt'"),
                    "\(result.stderr)")
            #expect(result.stdout.isEmpty)

            try dir.write("no-email-stage.yml", """
                input: { path: leads.csv }
                stages:
                  - normalize: {}
                """)
            let without = try ProcessRunner.leadhygiene(["check-email", "--pipeline", "no-email-stage.yml", "a@b.com"], in: dir.url)
            #expect(without.status == 2)
            #expect(without.stderr.contains("no-email-stage.yml:2:1: error: the pipeline has no email_check stage"), "\(without.stderr)")
        }
    }

    @Test func lintPointsAtAnUnusableDNSOption() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.com\n")
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                stages:
                  - email_check:
                      dns: { server: dns.example.com }
                """)
            let result = try ProcessRunner.leadhygiene(["lint", "pipeline.yml"], in: dir.url)
            let diagnostics = result.stdout + result.stderr
            #expect(result.status == 2)
            #expect(diagnostics.contains("pipeline.yml:4:7: error: stage 'email_check': dns.server must be an IPv4 or IPv6 address"),
                    "\(diagnostics)")
        }
    }

    @Test func checkEmailAndNormalizeTakeTheSameAddressOutOfADisplayNameForm() throws {
        let checked = try ProcessRunner.leadhygiene(["check-email", "--no-dns", "Jane Doe <jane.doe@Acme.COM>", "Jane Doe <jane.doe@Example.COM>"])
        #expect(checked.status == 0, "\(checked.stderr)")
        let lines = try Self.jsonLines(checked.stdout)
        #expect(lines.map { $0["status"] as? String } == ["valid", "invalid"])
        #expect(lines.map { $0["normalized"] as? String } == ["jane.doe@acme.com", "jane.doe@example.com"])
        #expect(lines[0]["detail"] as? String == "address taken out of the display-name form (display name: Jane Doe)")
        // example.com is reserved for documentation (RFC 2606): invalid, and the detail says both things.
        #expect(lines[1]["reason"] as? String == "email_special_use_domain")
        #expect((lines[1]["detail"] as? String ?? "").hasSuffix("; address taken out of the display-name form (display name: Jane Doe)"))

        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\n\"Jane Doe <jane.doe@Acme.COM>\"\n")
            try dir.write("pipeline.yml", """
                input: { path: leads.csv }
                output: { path: out.jsonl }
                columns: { email: Email }
                stages:
                  - normalize: {}
                  - email_check: { dns: { enabled: false } }
                """)
            let run = try ProcessRunner.leadhygiene(["run", "pipeline.yml", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")
            let row = try #require(try Self.jsonLines(try dir.read("out.jsonl")).first)
            #expect(row["norm_email"] as? String == "jane.doe@acme.com")
            #expect(row["email_normalized"] as? String == "jane.doe@acme.com")
            #expect(row["email_status"] as? String == "valid")
        }
    }
}
