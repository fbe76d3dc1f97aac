import EmailCheckStage
import Foundation
import TestSupport
import Testing

/// What the prober keeps in a persistent ``SMTPVerdictCache`` and what it then no longer asks, against a real
/// SMTP listener on 127.0.0.1.
@Suite(.serialized) struct SMTPVerdictCachingTests {
    static func prober(_ server: LoopbackSMTPServer, closedPort: Int, cache: any SMTPVerdictCache, now: Date,
                       cacheDays: Int = 30) -> SMTPProber {
        var settings = SMTPProbeSettings()
        settings.enabled = true
        settings.timeout = 3
        settings.cacheDays = cacheDays
        settings.hostAddresses = ["mx.live.test": "127.0.0.1:\(server.port)", "mx.dead.test": "127.0.0.1:\(closedPort)"]
        return SMTPProber(settings: settings, persistentCache: cache, now: now)
    }

    static func request(_ address: String, hosts: [String] = ["mx.live.test"]) -> SMTPProber.Request {
        SMTPProber.Request(address: address, domain: String(address.split(separator: "@")[1]), hosts: hosts)
    }

    static let firstRequests = [request("jane@mailbox.test"), request("nobody@mailbox.test"), request("anyone@catchall.test"),
                                request("jo@grey.test"), request("jo@refused.test", hosts: ["mx.dead.test"])]

    static func recipients(_ server: LoopbackSMTPServer, from start: Int) -> [String] {
        server.commands[start...].filter { $0.hasPrefix("RCPT TO:") }.map { String($0.dropFirst(8)) }
    }

    @Test func onlyDefinitiveAnswersAreKeptAndTheyAreNotAskedAgain() throws {
        let server = try LoopbackSMTPServer(domains: ["mailbox.test": .knows(["jane@mailbox.test", "new@mailbox.test"]),
                                                      "catchall.test": .catchAll, "grey.test": .greylisting])
        defer { server.stop() }
        let closedPort = LocalServer.freePort()
        let cache = InMemorySMTPVerdictCache()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let first = Self.prober(server, closedPort: closedPort, cache: cache, now: now).verdicts(for: Self.firstRequests)
        #expect(cache.count.addresses == 3, "accepted, not found and accept-all; not the greylisted or refused ones")
        #expect(cache.count.domains == 2, "mailbox.test refuses unknown mailboxes, catchall.test accepts any")
        #expect(cache.verdict(forDomain: "mailbox.test", now: now) == .refusesUnknownMailboxes)

        let start = server.commands.count
        let second = Self.prober(server, closedPort: closedPort, cache: cache, now: now)
        let verdicts = second.verdicts(for: Self.firstRequests + [Self.request("new@mailbox.test"), Self.request("new@catchall.test")])
        for request in Self.firstRequests where first[request.address]!.isDefinitive {
            #expect(verdicts[request.address] == first[request.address], "\(request.address)")
        }
        #expect(verdicts["new@mailbox.test"] == .accepted)
        if case .acceptAll = verdicts["new@catchall.test"] {} else { Issue.record("new@catchall.test: \(String(describing: verdicts["new@catchall.test"]))") }
        // The greylisted address and the one new mailbox at a domain known to check its mailboxes, without the random one.
        #expect(Self.recipients(server, from: start).sorted() == ["<jo@grey.test>", "<new@mailbox.test>"])
        #expect(second.statistics.storeCacheHits == 4)
    }

    @Test func answersPastCacheDaysAreAskedAgainAndZeroDaysKeepsNothing() throws {
        let server = try LoopbackSMTPServer(domains: ["mailbox.test": .knows(["jane@mailbox.test"]), "catchall.test": .catchAll])
        defer { server.stop() }
        let closedPort = LocalServer.freePort()
        let cache = InMemorySMTPVerdictCache()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let requests = [Self.request("jane@mailbox.test"), Self.request("anyone@catchall.test")]
        _ = Self.prober(server, closedPort: closedPort, cache: cache, now: now).verdicts(for: requests)

        let start = server.commands.count
        let later = Self.prober(server, closedPort: closedPort, cache: cache, now: now.addingTimeInterval(31 * 86_400))
        _ = later.verdicts(for: requests)
        #expect(Self.recipients(server, from: start).contains("<jane@mailbox.test>"))
        #expect(Self.recipients(server, from: start).contains("<anyone@catchall.test>"))
        #expect(later.statistics.storeCacheHits == 0)

        let nothingKept = InMemorySMTPVerdictCache()
        _ = Self.prober(server, closedPort: closedPort, cache: nothingKept, now: now, cacheDays: 0).verdicts(for: requests)
        #expect(nothingKept.count == (0, 0))
    }
}
