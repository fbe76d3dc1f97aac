import EmailCheckStage
import Foundation
import TestSupport
import Testing

/// MX hosts are followed to their addresses (RFC 5321 §5.1), against dnsmasq serving ``TestZone``.
@Suite(.serialized) struct MailExchangerReachabilityTests {
    static func lookup(port: Int, cache: InMemoryDomainVerdictCache? = nil, canary: String? = nil) -> DomainVerdictLookup {
        DomainVerdictLookup(configuration: ResolverConfiguration(server: "127.0.0.1", port: port, timeoutSeconds: 1, attempts: 1),
                            concurrency: 2, persistentCache: cache, canary: canary)
    }

    static let cases: [(String, DomainVerdict)] = [
        ("mx.test", .mailExchangers(["mail.mx.test", "backup.mx.test"])),           // first host has an address
        ("deadmx.test", .mxUnresolvable(["parked.deadmx.test", "gone.deadmx.test"])), // no address, then NXDOMAIN
        ("backupmx.test", .mailExchangers(["gone.backupmx.test", "alive.backupmx.test"])), // first dead, second alive (AAAA)
        ("privatemx.test", .mxUnresolvable(["mail.privatemx.test"])),               // 10.0.0.25 and fd00::25 do not count
        ("aliasmx.test", .mailExchangers(["alias.aliasmx.test"])),                  // the host's address through a CNAME
        ("flakybackupmx.test", .mailExchangers(["mx.fail.test", "alias.aliasmx.test"])), // first host fails, second alive
    ]

    @Test("a domain with MX records receives mail only if one of its MX hosts has a public address", arguments: cases)
    func mxHostsAreFollowedToTheirAddresses(_ domain: String, _ expected: DomainVerdict) throws {
        try withTestNameServer { port in
            #expect(Self.lookup(port: port).verdict(for: domain) == expected)
        }
    }

    @Test func anMXHostWhoseLookupFailsMakesTheDomainUnknownNotUnresolvableAndIsNotCached() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            let lookup = Self.lookup(port: port, cache: cache)
            let verdict = lookup.verdict(for: "flakymx.test")
            guard case .lookupFailed(let why) = verdict else {
                Issue.record("flakymx.test: \(verdict)")
                return
            }
            #expect(why.hasPrefix("mx_host_"))
            #expect(lookup.statistics.failures == 1)
            #expect(cache.verdict(for: "flakymx.test", now: Date()) == nil)

            var assessment = EmailChecker.forTestZone.assess("jo@flakymx.test")
            EmailChecker.forTestZone.complete(&assessment, with: verdict)
            #expect(assessment.status == .unknown)
            #expect(assessment.reason?.code == "email_dns_failure")
        }
    }

    @Test func anUnresolvableDomainIsInvalidWithItsOwnReasonAndIsCached() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            let verdict = Self.lookup(port: port, cache: cache).verdict(for: "deadmx.test")
            #expect(cache.verdict(for: "deadmx.test", now: Date()) == verdict)

            let checker = EmailChecker.forTestZone
            var assessment = checker.assess("jo@deadmx.test")
            checker.complete(&assessment, with: verdict)
            #expect(assessment.status == .invalid)
            #expect(assessment.reason?.code == "email_mx_unresolvable")
            #expect(assessment.detail == "parked.deadmx.test,gone.deadmx.test")
        }
    }

    @Test func addressesInTheAdditionalSectionSpareTheHostLookup() throws {
        try withTestNameServer { port in
            let lookup = Self.lookup(port: port)
            _ = lookup.verdicts(for: ["mx.test", "xn--bcher-kva.test"])
            #expect(lookup.statistics.mxHostsFromAdditionalSection == 2)
            #expect(lookup.statistics.mxHostsResolved == 0)
            #expect(lookup.statistics.resolved == 2)
        }
    }

    @Test func anMXHostSharedByManyDomainsIsLookedUpOncePerRun() throws {
        try withTestNameServer { port in
            let lookup = Self.lookup(port: port)
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                _ = lookup.verdicts(for: ["parked-a.test", "parked-b.test"])
            }
            let verdicts = lookup.verdicts(for: ["parked-a.test", "parked-b.test"])
            #expect(verdicts["parked-a.test"] == .mxUnresolvable(["ns.parking.test"]))
            #expect(verdicts["parked-b.test"] == .mxUnresolvable(["ns.parking.test"]))
            #expect(lookup.statistics.resolved == 2)
            #expect(lookup.statistics.mxHostsResolved == 1)
        }
    }

    @Test func aResolverWhoseCanaryHasNoReachableMXHostIsNotAskedAboutOtherDomains() throws {
        try withTestNameServer { port in
            let cache = InMemoryDomainVerdictCache()
            // As a sinkhole answering 0.0.0.0 for gmail.com's MX hosts would look.
            let lying = Self.lookup(port: port, cache: cache, canary: "privatemx.test")
            let verdicts = lying.verdicts(for: ["deadmx.test", "backupmx.test"])
            #expect(lying.resolverTrusted == false)
            #expect(verdicts["deadmx.test"] == .lookupFailed("resolver_untrusted"))
            #expect(verdicts["backupmx.test"] == .lookupFailed("resolver_untrusted")) // not asked at all
            #expect(cache.verdict(for: "deadmx.test", now: Date()) == nil)

            let honest = Self.lookup(port: port, canary: "backupmx.test")
            #expect(honest.verdict(for: "deadmx.test") == .mxUnresolvable(["parked.deadmx.test", "gone.deadmx.test"]))
            #expect(honest.resolverTrusted == true)
        }
    }

    @Test func aVerdictStoredBeforeMXHostsWereFollowedStillReads() {
        #expect(DomainVerdict(storageForm: "mx:mail.acme.com,backup.acme.com") == .mailExchangers(["mail.acme.com", "backup.acme.com"]))
        #expect(DomainVerdict(storageForm: "mx_unresolvable:parked.acme.com") == .mxUnresolvable(["parked.acme.com"]))
        #expect(DomainVerdict.mxUnresolvable(["a.example", "b.example"]).storageForm == "mx_unresolvable:a.example,b.example")
    }
}
