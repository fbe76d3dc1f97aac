import EmailCheckStage
import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct DomainVerdictLookupTests {
    static let cases: [(String, DomainVerdict)] = [
        ("mx.test", .mailExchangers(["mail.mx.test", "backup.mx.test"])),  // sorted by preference
        ("nullmx.test", .nullMX),                                           // RFC 7505
        ("aonly.test", .implicitMX),                                        // RFC 5321 §5.1 A fallback
        ("aaaaonly.test", .implicitMX),                                     // ... and AAAA
        ("private.test", .noMailHost),                                      // private addresses do not count
        ("loopback.test", .noMailHost),
        ("textonly.test", .noMailHost),                                     // exists, but no MX and no address
        ("missing.test", .nonexistent),                                     // NXDOMAIN
    ]

    @Test("gives each kind of domain its verdict from a real name server", arguments: cases)
    func verdictFromDnsmasq(_ domain: String, _ expected: DomainVerdict) throws {
        try withTestNameServer { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port), concurrency: 2)
            #expect(lookup.verdict(for: domain) == expected)
        }
    }

    @Test func answersTooBigForUDPAreFetchedOverTCP() throws {
        try withTestNameServer { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port), concurrency: 1)
            guard case .mailExchangers(let hosts) = lookup.verdict(for: "big.test") else {
                Issue.record("big.test has no mail exchangers")
                return
            }
            #expect(hosts.count == 30)
            #expect(hosts.first == "mx1.a-rather-long-mail-exchanger-name.big.test")
            #expect(hosts.last == "mx30.a-rather-long-mail-exchanger-name.big.test")
        }
    }

    @Test func internationalizedDomainsAreLookedUpByTheirALabels() throws {
        try withTestNameServer { port in
            let checker = EmailChecker.forTestZone
            var assessment = checker.assess("jöran@Bücher.test")
            #expect(assessment.domainToLookUp == "xn--bcher-kva.test")
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port), concurrency: 1)
            checker.complete(&assessment, with: lookup.verdict(for: try #require(assessment.domainToLookUp)))
            #expect(assessment.domainVerdict == .mailExchangers(["mx.xn--bcher-kva.test"]))
            #expect(assessment.status == .valid)
        }
    }

    @Test func serverFailureIsAFailedLookupNotANonexistentDomain() throws {
        try withTestNameServer { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port,
                                                                                 timeoutSeconds: 1, attempts: 1), concurrency: 1)
            let verdict = lookup.verdict(for: "x.fail.test")
            #expect(!verdict.isDefinitive)
        }
    }

    @Test func silentServerIsAFailedLookup() throws {
        // A UDP socket that is bound but never answers: res_nquery times out.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port,
                                                                             timeoutSeconds: 1, attempts: 1), concurrency: 1)
        #expect(lookup.verdict(for: "mx.test") == .lookupFailed("servfail_or_timeout"))
    }

    @Test func eachDomainIsLookedUpOnceHoweverManyThreadsAsk() throws {
        try withTestNameServer { port in
            let lookup = DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port), concurrency: 4)
            let domains = ["mx.test", "aonly.test", "missing.test", "nullmx.test"]
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                for _ in 0..<50 { _ = lookup.verdicts(for: domains) }
            }
            let stats = lookup.statistics
            #expect(stats.resolved == 4)
            #expect(stats.runHits + stats.coalesced + stats.resolved == 8 * 50 * 4)
        }
    }

    @Test func definitiveVerdictsArePersistedWithExpiryAndFailuresAreNot() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let config = ResolverConfiguration(server: "127.0.0.1", port: port, timeoutSeconds: 1, attempts: 1)
            let first = DomainVerdictLookup(configuration: config, concurrency: 2, persistentCache: cache,
                                            cacheLifetime: 3600, now: now)
            _ = first.verdicts(for: ["mx.test", "missing.test", "x.fail.test"])
            #expect(first.statistics.resolved == 3)
            #expect(cache.verdict(for: "mx.test", now: now) == .mailExchangers(["mail.mx.test", "backup.mx.test"]))
            #expect(cache.verdict(for: "missing.test", now: now) == .nonexistent)
            #expect(cache.verdict(for: "x.fail.test", now: now) == nil)
            #expect(cache.verdict(for: "mx.test", now: now.addingTimeInterval(3601)) == nil)

            // The next run (a new lookup, same cache) asks the name server only for what is not cached.
            let second = DomainVerdictLookup(configuration: config, concurrency: 2, persistentCache: cache,
                                             cacheLifetime: 3600, now: now.addingTimeInterval(60))
            _ = second.verdicts(for: ["mx.test", "missing.test", "x.fail.test"])
            #expect(second.statistics.persistentHits == 2)
            #expect(second.statistics.resolved == 1)
        }
    }

    @Test("verdicts survive the storage form", arguments: [
        DomainVerdict.mailExchangers(["a.example", "b.example"]), .mxUnresolvable(["a.example", "b.example"]),
        .mxUnresolvable(["mx.example"]), .implicitMX, .nullMX, .noMailHost, .nonexistent, .lookupFailed("servfail_or_timeout"),
    ])
    func storageFormRoundTrips(_ verdict: DomainVerdict) {
        #expect(DomainVerdict(storageForm: verdict.storageForm) == verdict)
    }

    @Test func aResolverThatDeniesTheCanaryHasItsNegativeAnswersTurnedIntoFailures() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            let config = ResolverConfiguration(server: "127.0.0.1", port: port)
            // dnsmasq says missing.test does not exist: as a canary, that makes the resolver untrusted.
            let lying = DomainVerdictLookup(configuration: config, concurrency: 2, persistentCache: cache, canary: "missing.test")
            let verdicts = lying.verdicts(for: ["mx.test", "nullmx.test", "other-missing.test"])
            #expect(lying.resolverTrusted == false)
            // Nothing is asked of a resolver that lied about the canary, not even names it would answer.
            #expect(verdicts["mx.test"] == .lookupFailed("resolver_untrusted"))
            #expect(lying.statistics.resolved == 0)
            #expect(verdicts["nullmx.test"] == .lookupFailed("resolver_untrusted"))
            #expect(verdicts["other-missing.test"] == .lookupFailed("resolver_untrusted"))
            #expect(cache.verdict(for: "other-missing.test", now: Date()) == nil)

            let honest = DomainVerdictLookup(configuration: config, concurrency: 2, canary: "mx.test")
            #expect(honest.verdict(for: "other-missing.test") == .nonexistent)
            #expect(honest.resolverTrusted == true)

            // A canary the server cannot answer (REFUSED: no upstream) says nothing about honesty.
            let unreachable = DomainVerdictLookup(configuration: config, concurrency: 2, canary: "gmail.com")
            #expect(unreachable.verdict(for: "other-missing.test") == .nonexistent)
            #expect(unreachable.resolverTrusted == true)
        }
    }
}
