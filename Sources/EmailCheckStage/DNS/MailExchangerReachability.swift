import Synchronization

/// Whether a domain's MX hosts can be reached, each host's A/AAAA looked up at most once per run.
///
/// RFC 5321 §5.1: a sender resolves the MX hosts to addresses in preference order and delivers to
/// the first it can. A domain whose MX hosts have no address (NXDOMAIN, no A/AAAA) or only private
/// ones cannot receive mail however many MX records it publishes; dead company domains and parked
/// typo domains often look like that. Hosts are followed in preference order and the first reachable
/// one settles it, so a healthy domain costs one host lookup, or none when the name server puts
/// a host's address in the additional section of the MX answer.
///
/// Many domains share their hosts (`aspmx.l.google.com`), so the answer for a host is kept in a
/// run-long table, and a host another thread is looking up is waited for rather than asked again.
/// Lookups run on the calling resolver thread: the bound on lookups in flight stays the pool's.
final class MailExchangerReachability: Sendable {
    /// Hosts whose lookup failed before the domain is given up as unknown: each failed host can cost
    /// the full timeout twice (A and AAAA), and more waiting would not make the domain invalid anyway.
    static let failedHostLimit = 2

    /// Figures for the run report.
    struct Counts: Sendable, Equatable {
        /// Hosts whose A/AAAA the name server was asked for.
        var resolved = 0
        /// Domains whose MX answer proved a host reachable in its additional section, without a query.
        var fromAdditionalSection = 0
    }

    private let table = CoalescingTable<String, HostReachability>()
    private let counters = Mutex(Counts())

    /// Figures so far.
    var counts: Counts { counters.withLock { $0 } }

    /// The verdict for a domain whose MX records name `hosts`, most preferred first.
    ///
    /// - Parameters:
    ///   - hosts: the MX hosts, most preferred first, without the root of a null MX.
    ///   - hostsWithPublicAddress: hosts the MX answer's additional section gave a public address.
    ///   - session: the calling thread's resolver, for the hosts still to look up.
    /// - Returns: ``DomainVerdict/mailExchangers(_:)`` once a host is reachable;
    ///   ``DomainVerdict/mxUnresolvable(_:)`` when every host is definitely not;
    ///   ``DomainVerdict/lookupFailed(_:)`` (`mx_host_…`) when no host is reachable and a lookup failed.
    func verdict(forExchangers hosts: [String], hostsWithPublicAddress: Set<String>,
                 session: ResolverSession) -> DomainVerdict {
        // One host with an address is enough, whatever its preference: no query for the others.
        if let proved = hosts.first(where: hostsWithPublicAddress.contains) {
            // Kept for the domains whose MX answers come without the address.
            table.recordIfAbsent(proved, .reachable)
            counters.withLock { $0.fromAdditionalSection += 1 }
            return .mailExchangers(hosts)
        }
        var failure: String?
        var failures = 0
        for host in hosts {
            switch reachability(of: host, session: session) {
            case .reachable:
                return .mailExchangers(hosts)
            case .noPublicAddress, .nonexistent:
                continue
            case .failed(let why):
                // A host that could not be looked up may be fine: the domain is unknown, never invalid.
                failure = failure ?? "mx_host_" + why
                failures += 1
                if failures == Self.failedHostLimit { return .lookupFailed(failure!) }
            }
        }
        if let failure { return .lookupFailed(failure) }
        return .mxUnresolvable(hosts)
    }

    private func reachability(of host: String, session: ResolverSession) -> HostReachability {
        switch table.claim(host) {
        case .known(let reachability):
            return reachability
        case .wait(let pending):
            // The host is being looked up on another resolver thread, which never waits for this one.
            return pending.wait()
        case .workOut(let pending):
            let reachability = session.reachability(of: host)
            counters.withLock { $0.resolved += 1 }
            table.finish(host, with: reachability, pending)
            return reachability
        }
    }
}
