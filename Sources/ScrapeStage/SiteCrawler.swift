import LeadRecords
import DomainNames
import Foundation
import Synchronization
import Web

/// What the stage learned about one website.
package struct SiteReport: Sendable {
    public var status: WebStatus
    /// The final HTTP status of the home page (0 when there was no answer).
    package var httpStatus = 0
    /// The home page URL after redirects.
    public var finalURL = ""
    /// The registrable domain the home page redirected to, when it differs from the lead's.
    package var redirectDomain = ""
    /// When the home page was fetched.
    public var fetchedAt: Date?
    /// Pages fetched (or read from the cache) and parsed.
    public var pages = 0
    public var profile = SiteProfile()

    init(status: WebStatus) { self.status = status }
}

/// The site-level crawl settings.
struct CrawlSettings {
    var paths: [String]
    var linkWords: [String]
    var maxPages: Int
    var maxRedirects: Int
    var respectRobots: Bool
    var userAgent: String
    /// Cached answers younger than this are reused instead of fetched (seconds).
    var maxAge: Double
    var now: Date
}

/// Counts the crawl keeps for the run report.
///
/// Each answer fetched over the network is counted once, in one of three kinds: a page, a robots.txt,
/// or a redirect (a 3xx hop, the ones the fetcher follows for robots.txt included).
struct CrawlCounts {
    var pagesFetched = 0
    var robotsFetched = 0
    var redirectsFetched = 0
    var cacheHits = 0
    var robotsDisallowedPages = 0
}

/// Visits company websites: robots.txt first (once per origin), then the home page (redirects followed
/// and checked hop by hop), then the configured paths and the home-page links that match the link
/// words, all through one ``Fetcher`` so every site is crawled concurrently within the per-host limits.
final class SiteCrawler {
    private let fetcher: Fetcher
    private let settings: CrawlSettings
    private let cache: (any PageCache)?
    private let extractor: PageExtractor
    private var robots: [String: RobotsState] = [:]
    private var sites: [String: SiteVisit] = [:]
    /// Home page URLs asked for (start or redirect hop) → the site that asked first. A redirect to another
    /// lead's website joins that site's crawl instead of fetching the same pages and robots.txt again.
    private var homeOwners: [String: String] = [:]
    private(set) var counts = CrawlCounts()
    // Extraction (libxml2, XPath, fingerprint regexes) runs on worker threads so the thread driving
    // libcurl keeps servicing transfers; profiles are merged in page order once the crawl is done.
    private let extraction = ExtractionResults()
    private let extractionGroup = DispatchGroup()

    private enum RobotsState {
        case fetching([(RobotsPolicy, FetchFailure?) -> Void])
        case ready(RobotsPolicy, FetchFailure?)
    }

    private final class SiteVisit {
        let key: String
        let startDomain: String
        var report = SiteReport(status: .ok)
        var fallback: URL?
        var requested: Set<String> = []
        /// The site whose crawl answers for this one: its home page chain reached a URL that site asked for first.
        var follows: String?
        init(key: String, startDomain: String) {
            self.key = key
            self.startDomain = startDomain
        }
    }

    init(fetcher: Fetcher, settings: CrawlSettings, cache: (any PageCache)?, extractor: PageExtractor) {
        self.fetcher = fetcher
        self.settings = settings
        self.cache = cache
        self.extractor = extractor
    }

    /// Crawls every site (key → home page URL, with an `http://` fallback when the scheme was guessed).
    func crawl(_ starts: [(key: String, url: URL, fallback: URL?)]) -> [String: SiteReport] {
        // Sites are handed to the fetcher one at a time as transfer slots free up, not all at once: a site's
        // next page then follows its previous one while the connection is still open (keep-alive), and
        // only about `concurrency` sites are in progress at any time.
        var next = starts.makeIterator()
        fetcher.moreWork = { [unowned self] in
            guard let (key, url, fallback) = next.next() else { return false }
            let host = WebAddress.hostKey(url)
            let visit = SiteVisit(key: key, startDomain: PublicSuffixList.shared.registrableDomain(of: host) ?? host)
            visit.fallback = fallback
            sites[key] = visit
            visit.requested.insert(url.absoluteString)
            visitHome(visit, url: url, hops: 0)
            return true
        }
        fetcher.run()
        fetcher.moreWork = nil
        extractionGroup.wait()
        let profiles = extraction.take()
        for (key, visit) in sites {
            for (_, profile) in (profiles[key] ?? []).sorted(by: { $0.0 < $1.0 }) { visit.report.profile.merge(profile) }
            extractor.resolveTechnologies(&visit.report.profile)
        }
        for visit in sites.values where visit.follows != nil { visit.report = followedReport(visit) }
        return sites.mapValues(\.report)
    }

    /// The report of the site `visit` followed (through a chain of them), seen from `visit`'s own domain.
    private func followedReport(_ visit: SiteVisit) -> SiteReport {
        var seen: Set<String> = [visit.key]
        var owner = visit.follows
        while let key = owner, let next = sites[key] {
            guard seen.insert(key).inserted else { return SiteReport(status: .tooManyRedirects) }   // A → B → A
            guard next.follows == nil else {
                owner = next.follows
                continue
            }
            var report = next.report
            if [.ok, .redirected].contains(report.status), let host = URL(string: report.finalURL)?.host?.lowercased() {
                let domain = PublicSuffixList.shared.registrableDomain(of: host) ?? host
                report.status = domain == visit.startDomain ? .ok : .redirected
                report.redirectDomain = domain == visit.startDomain ? "" : domain
            }
            return report
        }
        return SiteReport(status: .connectFailed)
    }

    // MARK: Home page

    private func visitHome(_ visit: SiteVisit, url: URL, hops: Int) {
        if let owner = homeOwners[url.absoluteString], owner != visit.key {
            visit.follows = owner
            return
        }
        homeOwners[url.absoluteString] = visit.key
        withRobots(for: url) { [self] policy, failure in
            if let failure {
                // robots.txt could not be reached at all: the site cannot be reached either.
                fail(visit, failure, status: 0, hops: hops)
                return
            }
            guard policy.allows(url: url) else {
                counts.robotsDisallowedPages += 1
                conclude(visit, status: .robotsDisallowed, httpStatus: 0)
                return
            }
            obtain(url, maxRedirects: 0) { [self] result in
                handleHome(visit, url: url, result: result, hops: hops)
            }
        }
    }

    private func handleHome(_ visit: SiteVisit, url: URL, result: FetchResult, hops: Int) {
        if let failure = result.failure {
            fail(visit, failure, status: result.status, hops: hops)
            return
        }
        if (300...399).contains(result.status), let location = result.header("Location") {
            follow(visit, to: location, from: url, status: result.status, hops: hops)
            return
        }
        visit.report.httpStatus = result.status
        visit.report.finalURL = url.absoluteString
        visit.report.fetchedAt = result.fetchedAt
        guard (200...299).contains(result.status) else {
            let status: WebStatus = switch result.status {
            case 500...: .http5xx
            case 300...399: .http3xx   // no Location (or a 304): a redirect that cannot be followed, not a client error
            default: .http4xx
            }
            conclude(visit, status: status, httpStatus: result.status)
            return
        }
        let page = PageExtractor.Page(url: url.absoluteString, headers: result.headers, body: result.body,
                                      fetchedAt: result.fetchedAt)
        // A PDF or an image says nothing a careful reader would copy as the company's facts.
        guard page.isHTML else {
            conclude(visit, status: .notHTML, httpStatus: result.status)
            return
        }
        let navigation = PageNavigation(page)
        // A meta refresh to another URL is a redirect written in HTML ("…is now part of NewCo"): followed
        // the same way, counted against max_redirects and recorded, and this page is not read.
        if let target = navigation.refresh, target.absoluteString != url.absoluteString {
            follow(visit, to: target.absoluteString, from: url, status: result.status, hops: hops)
            return
        }
        let host = WebAddress.hostKey(url)
        let domain = PublicSuffixList.shared.registrableDomain(of: host) ?? host
        if domain != visit.startDomain {
            visit.report.status = .redirected
            visit.report.redirectDomain = domain
        }
        // A parking page's title is the domain and its contacts are the registrar's: read nothing from it.
        guard !navigation.isParked else {
            conclude(visit, status: .parked, httpStatus: result.status)
            return
        }
        extract(page, into: visit)
        for page in followUpPages(home: url, links: navigation.links, domain: domain, visit: visit) {
            visit.requested.insert(page.absoluteString)
            visitExtra(visit, url: page, domain: domain, hops: 0)
        }
    }

    /// Follows a home page's redirect (a 3xx Location or a meta refresh) as the next hop, within
    /// max_redirects and never back to a URL already asked for; the fetcher re-checks the new address.
    private func follow(_ visit: SiteVisit, to location: String, from url: URL, status: Int, hops: Int) {
        guard let next = WebAddress.resolve(location, against: url) else {
            conclude(visit, status: .invalidURL, httpStatus: status)
            return
        }
        guard hops < settings.maxRedirects, !visit.requested.contains(next.absoluteString) else {
            conclude(visit, status: .tooManyRedirects, httpStatus: status)
            return
        }
        if case .failure = WebAddress.validate(next.absoluteString) {
            conclude(visit, status: .invalidURL, httpStatus: status)
            return
        }
        visit.requested.insert(next.absoluteString)
        visitHome(visit, url: next, hops: hops + 1)
    }

    // MARK: Other pages

    private func followUpPages(home: URL, links: [(url: URL, text: String)], domain: String, visit: SiteVisit) -> [URL] {
        var pages: [URL] = []
        // One slot per page, however it is written: `/about.html` linked and `/about` from `paths` are one page.
        var identities: Set<String> = [Self.pageIdentity(home)]
        let budget = max(0, settings.maxPages - 1)
        func consider(_ url: URL) {
            guard pages.count < budget, url.scheme == "http" || url.scheme == "https" else { return }
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            components?.fragment = nil
            guard let clean = components?.url, !visit.requested.contains(clean.absoluteString) else { return }
            let host = WebAddress.hostKey(clean)
            guard (PublicSuffixList.shared.registrableDomain(of: host) ?? host) == domain,
                  identities.insert(Self.pageIdentity(clean)).inserted else { return }
            pages.append(clean)
        }
        // Links the site itself labels "about", "contact"… are the best guess at those pages.
        for word in settings.linkWords {
            for link in links where link.url.path.lowercased().contains(word) || link.text.lowercased().contains(word) {
                consider(link.url)
            }
        }
        for path in settings.paths {
            if let url = URL(string: path, relativeTo: home)?.absoluteURL { consider(url) }
        }
        return pages
    }

    /// What makes two URLs of a site the same page for the crawl budget: host, path without a trailing
    /// slash, `index.*` or a `.html`/`.htm`/`.php`/`.asp(x)` extension, case-folded, and the query.
    static func pageIdentity(_ url: URL) -> String {
        var path = url.path.lowercased()
        for suffix in ["/index.html", "/index.htm", "/index.php", "/default.aspx", "/default.asp"] where path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
        }
        for suffix in [".html", ".htm", ".php", ".aspx", ".asp"] where path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
            break
        }
        while path.hasSuffix("/") { path.removeLast() }
        return WebAddress.hostKey(url) + path + (url.query.map { "?" + $0 } ?? "")
    }

    private func visitExtra(_ visit: SiteVisit, url: URL, domain: String, hops: Int) {
        withRobots(for: url) { [self] policy, failure in
            guard failure == nil, policy.allows(url: url) else {
                if failure == nil { counts.robotsDisallowedPages += 1 }
                return
            }
            obtain(url, maxRedirects: 0) { [self] result in
                guard result.failure == nil else { return }
                if (300...399).contains(result.status), let location = result.header("Location"),
                   let next = WebAddress.resolve(location, against: url), hops < settings.maxRedirects,
                   !visit.requested.contains(next.absoluteString) {
                    let host = WebAddress.hostKey(next)
                    // Follow only within the site: another domain's about page says nothing about this company.
                    guard (PublicSuffixList.shared.registrableDomain(of: host) ?? host) == domain else { return }
                    visit.requested.insert(next.absoluteString)
                    visitExtra(visit, url: next, domain: domain, hops: hops + 1)
                    return
                }
                guard (200...299).contains(result.status) else { return }
                extract(PageExtractor.Page(url: url.absoluteString, headers: result.headers, body: result.body,
                                           fetchedAt: result.fetchedAt), into: visit)
            }
        }
    }

    // MARK: Shared steps

    /// Extracts the page's facts on a worker thread; the profiles are merged in page order at the end.
    private func extract(_ page: PageExtractor.Page, into visit: SiteVisit) {
        visit.report.pages += 1
        let order = visit.report.pages
        let key = visit.key
        let extractor = self.extractor
        let results = extraction
        let work: @Sendable () -> Void = {
            var profile = SiteProfile()
            extractor.extract(page, into: &profile)
            results.add(key: key, order: order, profile: profile)
        }
        // Back-pressure: past a backlog of pages waiting for a worker, extract here instead of queueing bodies.
        if results.backlog() < 256 {
            results.queued()
            DispatchQueue.global().async(group: extractionGroup) {
                work()
                results.dequeued()
            }
        } else {
            work()
        }
    }

    /// Records a failed home page, unless a guessed https:// could not connect (no TLS, nothing on 443):
    /// then the site is tried once over plain http.
    private func fail(_ visit: SiteVisit, _ failure: FetchFailure, status: Int, hops: Int) {
        if case .connectionFailed = failure, hops == 0, let fallback = visit.fallback {
            visit.fallback = nil
            visit.requested.insert(fallback.absoluteString)
            visitHome(visit, url: fallback, hops: 0)
            return
        }
        conclude(visit, status: WebStatus(failure: failure), httpStatus: status)
    }

    private func conclude(_ visit: SiteVisit, status: WebStatus, httpStatus: Int) {
        visit.report.status = status
        visit.report.httpStatus = httpStatus
    }

    /// Calls `body` with the robots policy of `url`'s origin, fetching robots.txt once per origin.
    private func withRobots(for url: URL, _ body: @escaping (RobotsPolicy, FetchFailure?) -> Void) {
        guard settings.respectRobots else { return body(.allowAll, nil) }
        let origin = WebAddress.origin(url)
        switch robots[origin] {
        case .ready(let policy, let failure)?:
            body(policy, failure)
        case .fetching(var waiters)?:
            waiters.append(body)
            robots[origin] = .fetching(waiters)
        case nil:
            guard let robotsURL = URL(string: "/robots.txt", relativeTo: url)?.absoluteURL else {
                return body(.disallowEverything, .refused(.invalidURL))
            }
            robots[origin] = .fetching([body])
            // RFC 9309 §2.3.1.2: follow at least five redirects; §2.4: cache for at most 24 hours.
            obtain(robotsURL, maxRedirects: 5, maxAge: min(settings.maxAge, 86_400), isRobots: true) { [self] result in
                let policy = RobotsPolicy(fetch: result, userAgent: settings.userAgent)
                // Only network failures of the site itself are reported as such; 5xx means "disallow all".
                var failure = result.failure
                if case .tooManyRedirects? = failure { failure = nil }
                if case .tooLarge? = failure { failure = nil }
                guard case .fetching(let waiters)? = robots[origin] else { return }
                robots[origin] = .ready(policy, failure)
                for waiter in waiters { waiter(policy, failure) }
            }
        }
    }

    /// Answers from the cache when fresh enough, else fetches (and stores HTTP answers in the cache).
    private func obtain(_ url: URL, maxRedirects: Int, maxAge: Double? = nil, isRobots: Bool = false,
                        _ completion: @escaping (FetchResult) -> Void) {
        let key = url.absoluteString
        if let cache, let cached = cache.page(for: key),
           settings.now.timeIntervalSince(cached.fetchedAt) <= (maxAge ?? settings.maxAge) {
            counts.cacheHits += 1
            completion(FetchResult(requestedURL: key, url: cached.finalURL, status: cached.status, headers: cached.headers,
                                   body: cached.body, fetchedAt: cached.fetchedAt))
            return
        }
        fetcher.enqueue(FetchRequest(url: key, maxRedirects: maxRedirects)) { [self] result in
            counts.redirectsFetched += result.redirects.count
            if result.failure == nil || result.status > 0 {
                if isRobots {
                    counts.robotsFetched += 1
                } else if (300...399).contains(result.status) && result.header("Location") != nil {
                    counts.redirectsFetched += 1
                } else {
                    counts.pagesFetched += 1
                }
            }
            if let cache, result.failure == nil, result.status > 0 {
                cache.store(CachedPage(url: key, finalURL: result.url, status: result.status, headers: result.headers,
                                       body: result.body, fetchedAt: result.fetchedAt))
            }
            completion(result)
        }
    }
}

/// Profiles extracted on worker threads, per site key with their page order.
private final class ExtractionResults: Sendable {
    private struct State {
        var profiles: [String: [(Int, SiteProfile)]] = [:]
        var backlog = 0
    }
    private let state = Mutex(State())

    func add(key: String, order: Int, profile: SiteProfile) {
        state.withLock {
            $0.profiles[key, default: []].append((order, profile))
        }
    }
    func queued() { state.withLock { $0.backlog += 1 } }
    func dequeued() { state.withLock { $0.backlog -= 1 } }
    func backlog() -> Int { state.withLock { $0.backlog } }
    func take() -> [String: [(Int, SiteProfile)]] { state.withLock { $0.profiles } }
}
