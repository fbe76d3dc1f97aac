import EmailCheckStage
import Foundation
import TestSupport
import Testing

/// Mailbox probing against a real SMTP listener on 127.0.0.1; every MX host is mapped to it (or to a closed
/// loopback port) through `host_addresses`, so nothing outside the machine is ever contacted.
@Suite(.serialized) struct SMTPProberTests {
    static let domains: [String: LoopbackSMTPServer.Behaviour] = [
        "mailbox.test": .knows(["jane@mailbox.test"]),
        "catchall.test": .catchAll,
        "grey.test": .greylisting,
        "slow.test": .slow(seconds: 6),
    ]

    static func withServer<T>(_ body: (LoopbackSMTPServer, _ closedPort: Int) throws -> T) throws -> T {
        let server = try LoopbackSMTPServer(domains: domains)
        defer { server.stop() }
        return try body(server, LocalServer.freePort())
    }

    static func prober(_ server: LoopbackSMTPServer, closedPort: Int, concurrency: Int = 4) -> SMTPProber {
        var settings = SMTPProbeSettings()
        settings.enabled = true
        // Generous against a loaded test machine; the slow server answers well after it.
        settings.timeout = 3
        settings.concurrency = concurrency
        settings.helo = "probe.leadhygiene.test"
        settings.mailFrom = "verify@leadhygiene.test"
        settings.hostAddresses = ["mx.live.test": "127.0.0.1:\(server.port)", "mx.dead.test": "127.0.0.1:\(closedPort)"]
        return SMTPProber(settings: settings)
    }

    static func request(_ address: String, hosts: [String] = ["mx.live.test"]) -> SMTPProber.Request {
        SMTPProber.Request(address: address, domain: String(address.split(separator: "@")[1]), hosts: hosts)
    }

    @Test func eachServerBehaviourGivesItsVerdict() throws {
        try Self.withServer { server, closedPort in
            let prober = Self.prober(server, closedPort: closedPort)
            let verdicts = prober.verdicts(for: [
                Self.request("jane@mailbox.test"), Self.request("nobody@mailbox.test"), Self.request("anyone@catchall.test"),
                Self.request("jo@grey.test"), Self.request("jo@slow.test"), Self.request("jo@refused.test", hosts: ["mx.dead.test"]),
                Self.request("jo@unmapped.test", hosts: ["mx.elsewhere.test"]),
            ])
            #expect(verdicts["jane@mailbox.test"] == .accepted)
            #expect(verdicts["nobody@mailbox.test"] == .mailboxNotFound("550 5.1.1 <nobody@mailbox.test>: user unknown"))
            guard case .acceptAll(let reply)? = verdicts["anyone@catchall.test"] else { Issue.record("\(verdicts)"); return }
            #expect(reply.hasPrefix("random mailbox accepted: 250"))
            #expect(verdicts["jo@grey.test"] == .inconclusive("451 4.7.1 greylisted, try again later"))
            #expect(verdicts["jo@slow.test"] == .inconclusive("timeout after RCPT TO at mx.live.test"))
            #expect(verdicts["jo@refused.test"] == .inconclusive("connection_refused at mx.dead.test"))
            #expect(verdicts["jo@unmapped.test"] == .inconclusive("no_address_for mx.elsewhere.test")) // never looked up
        }
    }

    @Test func theConversationStopsBeforeDataAndEndsWithQuit() throws {
        try Self.withServer { server, closedPort in
            _ = Self.prober(server, closedPort: closedPort).verdicts(for: [Self.request("jane@mailbox.test")])
            let commands = server.commands
            #expect(commands.first == "EHLO probe.leadhygiene.test")
            #expect(commands.contains("MAIL FROM:<verify@leadhygiene.test>"))
            #expect(commands.contains("RCPT TO:<jane@mailbox.test>"))
            #expect(commands.contains { $0.hasPrefix("RCPT TO:<lh-probe-") && $0.hasSuffix("@mailbox.test>") }) // the random mailbox
            #expect(commands.last == "QUIT")
            #expect(!commands.contains { $0.uppercased().hasPrefix("DATA") })
        }
    }

    @Test func mxHostsAreTriedInPreferenceOrder() throws {
        try Self.withServer { server, closedPort in
            let prober = Self.prober(server, closedPort: closedPort)
            let verdicts = prober.verdicts(for: [Self.request("jane@mailbox.test", hosts: ["mx.dead.test", "mx.live.test"])])
            #expect(verdicts["jane@mailbox.test"] == .accepted)
            #expect(prober.statistics.connections == 2)
        }
    }

    @Test func acceptAllIsAskedOncePerDomainAndEachAddressOncePerRun() throws {
        try Self.withServer { server, closedPort in
            let prober = Self.prober(server, closedPort: closedPort)
            _ = prober.verdicts(for: [Self.request("a@catchall.test"), Self.request("b@catchall.test")])
            let again = prober.verdicts(for: [Self.request("a@catchall.test"), Self.request("c@catchall.test")])
            if case .acceptAll? = again["c@catchall.test"] {} else { Issue.record("\(again)") }
            #expect(server.commands.filter { $0.hasPrefix("RCPT TO:<lh-probe-") }.count == 1)
            #expect(server.commands.filter { $0 == "RCPT TO:<a@catchall.test>" }.count == 1)
        }
    }

    @Test func oneConnectionPerMailHostAtATime() throws {
        try Self.withServer { server, closedPort in
            // Eight domains whose MX host is the same server, probed by eight threads at once.
            var settings = Self.prober(server, closedPort: closedPort, concurrency: 8).settings
            settings.hostAddresses = Dictionary(uniqueKeysWithValues: (0..<8).map { ("mx\($0).shared.test", "127.0.0.1:\(server.port)") })
            let prober = SMTPProber(settings: settings)
            let requests = (0..<8).map { SMTPProber.Request(address: "jo@d\($0).test", domain: "d\($0).test", hosts: ["mx\($0).shared.test"]) }
            let verdicts = prober.verdicts(for: requests)
            #expect(verdicts.count == 8)
            #expect(server.connections == 8)
            #expect(server.mostConnectionsAtOnce == 1)
        }
    }
}
