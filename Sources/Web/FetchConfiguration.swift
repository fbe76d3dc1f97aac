/// How a ``Fetcher`` behaves: limits, politeness and safety. Every field has a conservative default.
public struct FetchConfiguration: Sendable {
    /// Transfers in flight at once across all hosts.
    public var concurrency: Int = 32
    /// Transfers in flight at once to one host.
    public var perHost: Int = 1
    /// Pause after a transfer to a host ends before the next one to that host starts, in seconds.
    public var perHostDelay: Double = 0
    /// Time allowed to establish a connection, in seconds.
    public var connectTimeout: Double = 10
    /// Time allowed for one whole transfer, in seconds.
    public var totalTimeout: Double = 30
    /// Redirects a request follows by default (a request may ask for fewer or more).
    public var maxRedirects: Int = 5
    /// Largest decoded body kept; a larger one fails with ``FetchFailure/tooLarge``.
    public var maxBodyBytes: Int = 2 * 1024 * 1024
    /// Extra attempts after a 429 or 5xx answer.
    public var retries: Int = 2
    /// First back-off delay in seconds; doubled on each further attempt, unless Retry-After asks for longer.
    package var retryBaseDelay: Double = 1
    /// A Retry-After longer than this (seconds) is not waited for: the answer is returned as is.
    public var maxRetryAfter: Double = 30
    /// The User-Agent sent with every request; it should name the crawler and a contact URL.
    public var userAgent: String = "LeadHygiene/1.0 (+https://github.com/leadhygiene/leadhygiene)"
    /// Connect to loopback, private, link-local and metadata addresses (tests and internal sites only).
    public var allowPrivateAddresses: Bool = false
    /// Addresses that may be connected to even when private addresses are not allowed (one intranet
    /// host, a test server on loopback); every other loopback, private, link-local or metadata address is still refused.
    public var allowedAddresses: Set<IPAddress> = []
    /// `HOST:PORT:ADDRESS` entries pinning names to addresses, as `curl --resolve`.
    public var resolve: [String] = []
    /// `HOST:PORT:CONNECT-HOST:CONNECT-PORT` entries, as `curl --connect-to`.
    public var connectTo: [String] = []

    public init() {}
}
