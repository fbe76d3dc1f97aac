/// The outcome of visiting a lead's website, written to `web_status`.
public enum WebStatus: String, Sendable, CaseIterable {
    /// The home page answered 2xx on the lead's own registrable domain.
    case ok
    /// The home page answered 2xx after redirecting to another registrable domain (see `web_redirect_domain`).
    case redirected
    /// robots.txt forbids the home page, or answered 5xx (RFC 9309: disallow everything).
    case robotsDisallowed = "robots_disallowed"
    /// The home page answered 3xx with no Location header to follow (or 304, which was never asked for).
    case http3xx = "http_3xx"
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    case timeout
    case dnsFailure = "dns_failure"
    /// The host resolves to a loopback, private, link-local or metadata address.
    case blockedPrivate = "blocked_private"
    /// The home page answered with a parking or for-sale page (a registrar's or a domain marketplace's):
    /// the domain holds no company site, and nothing is extracted from it.
    case parked
    /// The home page is not an HTML page (a PDF, an image, an archive): nothing is extracted from it.
    case notHTML = "not_html"
    /// The home page is larger than `max_body_bytes`.
    case tooLarge = "too_large"
    /// The home page's response header is larger than the fetcher accepts (64 KiB).
    case headerTooLarge = "header_too_large"
    /// A redirect loop, or more redirects than `max_redirects`.
    case tooManyRedirects = "too_many_redirects"
    /// Connection refused or reset, TLS failure.
    case connectFailed = "connect_failed"
    /// The website value is not an http(s) URL or host, or carries credentials.
    case invalidURL = "invalid_url"
    /// The row has no website or domain.
    case noWebsite = "no_website"

    /// The reason code a row gets when `reject_on` lists this status.
    public var reasonCode: ReasonCode {
        ReasonCode("web_" + rawValue, Self.summaries[self] ?? "")
    }

    private static let summaries: [WebStatus: String] = [
        .ok: "The company website answered normally.",
        .redirected: "The company website redirects to another registrable domain (acquired or renamed company).",
        .robotsDisallowed: "The company website's robots.txt forbids fetching its home page.",
        .http3xx: "The company website's home page answered with a 3xx status but no Location to follow.",
        .http4xx: "The company website's home page answered with a 4xx status.",
        .http5xx: "The company website's home page answered with a 5xx status after retries.",
        .timeout: "The company website did not answer within the timeout.",
        .dnsFailure: "The company website's host name does not resolve.",
        .blockedPrivate: "The company website resolves to a loopback, private, link-local or metadata address.",
        .parked: "The company website's domain shows a parking or for-sale page, not a company site.",
        .notHTML: "The company website's home page is not an HTML page (a PDF, an image, an archive).",
        .tooLarge: "The company website's home page is larger than max_body_bytes.",
        .headerTooLarge: "The company website answered with a response header larger than 64 KiB.",
        .tooManyRedirects: "The company website redirects in a loop or more than max_redirects times.",
        .connectFailed: "The connection to the company website was refused, reset or failed TLS.",
        .invalidURL: "The website value is not an http or https URL, or it carries credentials.",
        .noWebsite: "The row has no website or domain to visit.",
    ]
}

extension ReasonCode {
    /// Every code the scrape stage can reject with (through `reject_on`).
    public static let scrapeCodes: [ReasonCode] = WebStatus.allCases.filter { $0 != .ok }.map(\.reasonCode)
}
