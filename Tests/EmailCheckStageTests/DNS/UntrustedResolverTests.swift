import EmailCheckStage
import Foundation
import TestSupport
import Testing

/// dnsmasq that answers NXDOMAIN for every name (`--address=/#/`), as a sinkhole or an offline sandbox does;
/// `listen` is where it listens, so the same server can be asked over IPv4 and IPv6.
func withLyingNameServer<T>(listen: String = "127.0.0.1", _ body: (_ port: Int) throws -> T) throws -> T {
    let server = try SpawnedNameServer.start { port in
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=", "--port=\(port)", "--listen-address=\(listen)",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--log-facility=/dev/null", "--address=/#/",
        ]
    }
    defer { server.stop() }
    return try body(server.port)
}

/// A resolver that denies the canary is not asked again: every domain is `unknown`, the run says why and what to set.
@Suite(.serialized) struct UntrustedResolverTests {
    static let sampleLeads = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../SampleData/leads.csv").standardized.path

    @Test func anUntrustedResolverIsNotAskedAboutAnyDomain() throws {
        try withLyingNameServer { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port, timeoutSeconds: 1, attempts: 1),
                                             concurrency: 2, canary: "gmail.com")
            let verdicts = lookup.verdicts(for: ["acme.com", "globex.com", "acme.com"])
            #expect(lookup.resolverTrusted == false)
            #expect(verdicts == ["acme.com": .lookupFailed("resolver_untrusted"), "globex.com": .lookupFailed("resolver_untrusted")])
            _ = lookup.verdicts(for: ["acme.com", "initech.com"])
            #expect(lookup.statistics.resolved == 0)
            #expect(lookup.statistics.skippedUntrusted == 3) // each domain once per run
        }
    }

    @Test func verdictsFromTheStoreAreStillUsed() throws {
        try withLyingNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            cache.put(.nullMX, for: "nullmx.com", expiresAt: Date().addingTimeInterval(3600))
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port),
                                             concurrency: 1, persistentCache: cache, canary: "gmail.com")
            #expect(lookup.verdicts(for: ["nullmx.com", "acme.com"]) == ["nullmx.com": .nullMX, "acme.com": .lookupFailed("resolver_untrusted")])
            #expect(lookup.statistics.persistentHits == 1)
        }
    }

    @Test func anIPv6NameServerIsAsked() throws {
        try withTestNameServerOnBothFamilies { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "::1", port: port, timeoutSeconds: 1, attempts: 1),
                                             concurrency: 1, canary: "mx.test")
            #expect(lookup.verdict(for: "nullmx.test") == .nullMX)
            #expect(lookup.verdict(for: "missing.test") == .nonexistent)
            #expect(lookup.resolverTrusted == true)
            let bracketed = DomainVerdictLookup(configuration: ResolverConfiguration(server: "[::1]", port: port), concurrency: 1)
            #expect(bracketed.verdict(for: "mx.test") == .mailExchangers(["mail.mx.test", "backup.mx.test"]))
        }
    }

    @Test func theSampleListRunsToTheEndWithANoteAndUnknownCounts() throws {
        try withLyingNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("pipeline.yml", """
                    name: untrusted
                    input: { path: \(Self.sampleLeads) }
                    output: { path: out.csv, rejects: rejects.csv, report: report.json }
                    columns: { email: Email }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port) }
                    """)
                let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderr.contains("note: email_check: the name server 127.0.0.1 port \(port) says the canary gmail.com takes no mail"),
                        "\(result.stderr)")
                #expect(result.stderr.contains("Set dns.server to a resolver that answers for the internet"))
                let report = try #require(try JSONSerialization.jsonObject(with: Data(try dir.read("report.json").utf8)) as? [String: Any])
                let notes = try #require(report["notes"] as? [String])
                #expect(notes.contains { $0.hasPrefix("email_check: the name server") })
                let stages = try #require(report["stages"] as? [[String: Any]])
                let summary = try #require(stages.first?["summary"] as? [String: Any])
                let statuses = try #require(summary["email_status"] as? [String: Int])
                #expect((statuses["unknown"] ?? 0) > 1000)
                let dns = try #require(summary["dns"] as? [String: Any])
                #expect(dns["domains_resolved"] as? Int == 0)
                #expect(dns["resolver_trusted"] as? Bool == false)
                #expect((dns["skipped_untrusted"] as? Int ?? 0) > 100)
            }
        }
    }

    @Test func failIfCanGateOnTheShareOfUnknownAddresses() throws {
        try withLyingNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("pipeline.yml", """
                    input: { path: \(Self.sampleLeads) }
                    output: { path: out.csv, report: report.json }
                    columns: { email: Email }
                    fail_if: { email_unknown_ratio: "> 50%" }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port) }
                    """)
                let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
                #expect(result.status == 1)
                #expect(result.stderr.contains("fail_if crossed: email_unknown_ratio"), "\(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir.path("out.csv")))
            }
        }
    }

    @Test func onUntrustedFailStopsTheRunBeforeAnyRow() throws {
        try withLyingNameServer { port in
            try withTemporaryDirectory { dir in
                try dir.write("pipeline.yml", """
                    input: { path: \(Self.sampleLeads) }
                    output: { path: out.csv }
                    columns: { email: Email }
                    stages:
                      - email_check:
                          dns: { server: 127.0.0.1, port: \(port), on_untrusted: fail }
                    """)
                let result = try ProcessRunner.leadhygiene(["run", "pipeline.yml"], in: dir.url)
                #expect(result.status != 0)
                #expect(result.stderr.contains("pipeline.yml:6:7: error: stage 'email_check': the name server 127.0.0.1 port \(port) says the canary gmail.com takes no mail"),
                        "\(result.stderr)")
                #expect(result.stderr.contains("dns.on_untrusted: fail"))
                #expect(!FileManager.default.fileExists(atPath: dir.path("out.csv")))
            }
        }
    }

    @Test func checkEmailSaysTheResolverIsUntrustedAndLeavesAddressesUnknown() throws {
        try withLyingNameServer { port in
            let result = try ProcessRunner.leadhygiene(["check-email", "--dns-server", "127.0.0.1", "--dns-port", "\(port)", "jane@acme.com"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("note: the name server 127.0.0.1 port \(port) says the canary gmail.com takes no mail"))
            #expect(result.stdout.contains("\"status\":\"unknown\""))
            #expect(result.stdout.contains("\"detail\":\"resolver_untrusted\""))
        }
    }
}

/// ``withTestNameServer(_:)`` listening on 127.0.0.1 and ::1 both.
func withTestNameServerOnBothFamilies<T>(_ body: (_ port: Int) throws -> T) throws -> T {
    let server = try SpawnedNameServer.start { port in
        TestZone.arguments(port: port, deadPort: LocalServer.freePort())
            .map { $0 == "--listen-address=127.0.0.1" ? "--listen-address=127.0.0.1,::1" : $0 }
    }
    defer { server.stop() }
    return try body(server.port)
}
