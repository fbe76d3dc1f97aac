/// What a host's A and AAAA records say about delivering mail to it.
///
/// Used for a domain without MX records (RFC 5321 §5.1 implicit MX: the domain itself is the host)
/// and for each host its MX records name. Only a public address counts (``PublicAddress``): a host
/// that resolves to a private or loopback address cannot take mail from the internet.
enum HostReachability: Sendable, Equatable {
    /// At least one public A or AAAA address.
    case reachable
    /// The name exists, but has no address, or only private, loopback, link-local or reserved ones.
    case noPublicAddress
    /// NXDOMAIN: the name does not exist.
    case nonexistent
    /// A query failed (SERVFAIL, timeout, refused) and no other one found a public address.
    case failed(String)
}
