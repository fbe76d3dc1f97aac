import Synchronization

/// The stage's counts for the run report.
///
/// A reference shared by every copy of the stage: the executor runs `processAll` on a copy of the
/// stage value and asks the original for `summary()`, so counts kept in the struct itself would be lost.
final class ScrapeTally: Sendable {
    struct Counts {
        var sites = 0
        var requests = 0
        var retries = 0
        var crawl = CrawlCounts()
        var rowsByStatus: [String: Int] = [:]
        /// Per column scrape fills with what it found: rows that held a value before it wrote, and after.
        var filledBefore: [String: Int] = [:]
        var filledAfter: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())

    func update(_ body: (inout Counts) -> Void) { counts.withLock { body(&$0) } }
    var snapshot: Counts { counts.withLock { $0 } }
}
