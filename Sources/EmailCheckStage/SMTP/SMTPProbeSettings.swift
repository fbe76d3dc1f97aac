/// How `email_check` talks to mail servers (`smtp:`); probing is off unless `enabled`.
public struct SMTPProbeSettings: Sendable, Equatable {
    /// `smtp.enabled`: off by default, because many networks block outgoing port 25.
    public var enabled = false
    /// The name given in `EHLO`; a real, resolvable host name of yours avoids being refused as a spammer.
    package var helo = "localhost"
    /// The reverse path given in `MAIL FROM`; empty sends the null path `<>` (RFC 5321 §4.5.5).
    package var mailFrom = ""
    /// Seconds to wait for the connection and for each reply.
    public var timeout = 10.0
    /// Most connections open to one MX host at once.
    public var perHost = 1
    /// Most domains probed at once.
    public var concurrency = 8
    /// The SMTP port of MX hosts.
    public var port = 25
    /// MX host → `address` or `address:port` (`[::1]:2525` for IPv6) to connect to instead of looking the
    /// host up: for a relay, or a test server. When given, hosts not listed are never connected to.
    package var hostAddresses: [String: String]?
    /// Days a definitive answer is reused from the run store (`smtp.cache_days`); 0 keeps nothing.
    package var cacheDays = 30

    public init() {}
}
