import Foundation
import Synchronization
import Web

/// One HTTP answer kept between runs so a weekly run re-fetches only what is stale.
public struct CachedPage: Sendable, Equatable {
    /// The URL asked for (the cache key).
    public var url: String
    /// The URL that answered (differs from ``url`` only for robots.txt, whose redirects the fetcher follows).
    public var finalURL: String
    public var status: Int
    public var headers: [HTTPHeader]
    /// SHA-256 of the body, hex, so a store can tell a changed page from an unchanged one cheaply.
    public var bodyHash: String
    public var body: [UInt8]
    public var fetchedAt: Date

    public init(url: String, finalURL: String, status: Int, headers: [HTTPHeader], body: [UInt8], fetchedAt: Date) {
        self.url = url
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyHash = SHA256.hex(body)
        self.fetchedAt = fetchedAt
    }
}

/// Where the scrape stage keeps fetched pages across runs (the run store provides the SQLite one).
///
/// Only HTTP answers are cached (any status, including 3xx with their Location header);
/// network failures are not, so they are retried on the next run. Implementations must be
/// safe to call from any thread.
public protocol PageCache: Sendable {
    /// The newest answer stored for `url`, whatever its age; the stage applies `max_age`.
    func page(for url: String) -> CachedPage?
    /// Stores (or replaces) the answer for `page.url`.
    func store(_ page: CachedPage)
}

/// A ``PageCache`` in memory: the default when the pipeline has no store, and what tests use.
package final class InMemoryPageCache: PageCache {
    private let pages = Mutex<[String: CachedPage]>([:])

    public init() {}

    public func page(for url: String) -> CachedPage? { pages.withLock { $0[url] } }
    public func store(_ page: CachedPage) { pages.withLock { $0[page.url] = page } }

    /// How many answers are stored.
    public var count: Int { pages.withLock { $0.count } }
}
