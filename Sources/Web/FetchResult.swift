import Foundation

/// Why a fetch produced no usable HTTP answer.
public enum FetchFailure: Sendable, Equatable {
    /// The connect or total timeout expired.
    case timeout
    /// The host name did not resolve.
    case dnsFailure
    /// Every address of the host is loopback, private, link-local or metadata, and private addresses are not allowed.
    case blockedAddress(IPAddress, BlockedAddressKind)
    /// The decoded body exceeded the size cap.
    case tooLarge
    /// The response's header block exceeded ``CurlTransfer/maxHeaderBytes`` (or one header line libcurl's own limit).
    case headerTooLarge
    /// More redirects than allowed, or a redirect back to a URL already visited.
    case tooManyRedirects
    /// The URL (or a redirect target) is not http/https, has credentials or cannot be parsed.
    case refused(URLRefusal)
    /// The connection was refused or reset, or TLS failed.
    case connectionFailed(String)
}

/// One redirect hop of a fetch.
public struct Redirect: Sendable, Equatable {
    public var from: String
    public var to: String
    public var status: Int

    public init(from: String, to: String, status: Int) {
        self.from = from
        self.to = to
        self.status = status
    }
}

/// An HTTP header as received.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a fetch produced: the final answer (or failure), and how it got there.
public struct FetchResult: Sendable {
    /// The URL asked for.
    public var requestedURL: String
    /// The URL of the final answer, after redirects.
    public var url: String
    /// The final HTTP status, or 0 when there was no answer.
    public var status: Int
    /// The final answer's headers, in order.
    public var headers: [HTTPHeader]
    /// The decoded body (gzip, br and deflate are undone by libcurl).
    public var body: [UInt8]
    /// Set when there is no usable answer.
    public var failure: FetchFailure?
    /// The redirects followed, in order.
    public var redirects: [Redirect]
    /// How many attempts the final URL took (retries on 429/5xx).
    public var attempts: Int
    /// The delays waited before each retry, in seconds (Retry-After or back-off).
    package var retryDelays: [Double]
    /// The address actually connected to.
    package var remoteAddress: String?
    /// When the answer arrived.
    public var fetchedAt: Date

    public init(requestedURL: String, url: String, status: Int = 0, headers: [HTTPHeader] = [], body: [UInt8] = [],
                failure: FetchFailure? = nil, redirects: [Redirect] = [], attempts: Int = 1,
                retryDelays: [Double] = [], remoteAddress: String? = nil, fetchedAt: Date = Date()) {
        self.requestedURL = requestedURL
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.failure = failure
        self.redirects = redirects
        self.attempts = attempts
        self.retryDelays = retryDelays
        self.remoteAddress = remoteAddress
        self.fetchedAt = fetchedAt
    }

    /// The first header with this name, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every header with this name (Set-Cookie may repeat).
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}
