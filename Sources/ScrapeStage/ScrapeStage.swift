import DomainNames
import Foundation
import LeadRecords
import PipelineSpec
import Web

/// Visits each lead's company website and fills `web_` columns: company facts, contacts, social
/// profiles and technologies, with a per-row fetch status.
///
/// Runs as a whole-list stage: it first collects the distinct sites of the whole list,
/// so each registrable domain is fetched once per run however many leads share it, and so one
/// libcurl multi handle can schedule every site at once across hosts (a per-record stage would see
/// the list in chunks on several threads, each needing its own fetcher and a shared, locked cache).
public struct ScrapeStage: Stage {
    public static let descriptor = StageDescriptor(
        name: "scrape",
        summary: "Visits each lead's company website (once per domain) and adds firmographic, contact, social and technology columns.",
        options: OptionSchema([
            OptionSpec("concurrency", .integer, default: .integer(32), range: 1...1024, "Transfers in flight at once across all sites."),
            OptionSpec("per_host", .integer, default: .integer(1), range: 1...16, "Transfers in flight at once to one host."),
            OptionSpec("delay_ms", .integer, default: .integer(250), range: 0...600_000, "Pause between two requests to the same host, in milliseconds."),
            OptionSpec("connect_timeout_ms", .integer, default: .integer(5_000), range: 100...600_000, "Time allowed to connect, in milliseconds."),
            OptionSpec("timeout_ms", .integer, default: .integer(15_000), range: 100...3_600_000, "Time allowed for one whole request, in milliseconds."),
            OptionSpec("max_redirects", .integer, default: .integer(5), range: 0...20, "Redirects followed per page."),
            OptionSpec("max_body_bytes", .integer, default: .integer(2_097_152), range: 1024...268_435_456, "Largest decoded page kept; a larger home page gives too_large."),
            OptionSpec("retries", .integer, default: .integer(2), range: 0...10, "Extra attempts after a 429 or 5xx answer, with exponential back-off."),
            OptionSpec("max_retry_after_s", .integer, default: .integer(30), range: 0...3600, "A Retry-After longer than this many seconds is not waited for."),
            OptionSpec("user_agent", .string, default: .string(FetchConfiguration().userAgent),
                       "The User-Agent sent; its product token is the robots.txt group we obey."),
            OptionSpec("respect_robots", .bool, default: .bool(true), "Obey robots.txt (RFC 9309)."),
            OptionSpec("allow_private", .bool, default: .bool(false),
                       "Allow sites on loopback, private, link-local and metadata addresses (tests, intranets)."),
            OptionSpec("allow_addresses", .list(.string), default: .list([]),
                       "IP addresses connected to even when allow_private is off (one intranet host); all other private addresses stay refused."),
            OptionSpec("default_scheme", .choice(["https", "http"]), default: .string("https"),
                       "Scheme used for website values written without one."),
            OptionSpec("http_fallback", .bool, default: .bool(true),
                       "When a website written without a scheme fails to connect over https, try http once."),
            OptionSpec("paths", .list(.string), default: .list(["/about", "/contact", "/company"].map { .string($0) }),
                       "Paths visited after the home page, besides matching links."),
            OptionSpec("link_words", .list(.string), default: .list(["about", "contact", "company"].map { .string($0) }),
                       "Home-page links whose path or text contains one of these words are visited first."),
            OptionSpec("max_pages", .integer, default: .integer(4), range: 1...100, "Pages visited per site, home page included."),
            OptionSpec("fingerprints", .path,
                       "A Wappalyzer/webappanalyzer technologies file or folder used instead of the bundled fingerprints."),
            OptionSpec("min_tech_confidence", .integer, default: .integer(50), range: 0...100, "Technologies below this confidence (0-100) are left out."),
            OptionSpec("max_age", .string, default: .string("7d"),
                       "Cached pages younger than this (30m, 12h, 7d, 2w) are reused; robots.txt at most 24h."),
            OptionSpec("resolve", .list(.string), default: .list([]),
                       "HOST:PORT:ADDRESS entries pinning names to addresses, as curl --resolve."),
            OptionSpec("connect_to", .list(.string), default: .list([]),
                       "HOST:PORT:CONNECT-HOST:CONNECT-PORT entries, as curl --connect-to (staging and tests)."),
            OptionSpec("reject_on", .list(.choice(WebStatus.allCases.filter { $0 != .ok }.map(\.rawValue))), default: .list([]),
                       "Statuses whose rows are rejected with reason web_<status>; by default rows are only flagged."),
        ]),
        optionalFields: [.website, .domain],
        addedColumns: ScrapeColumns.all,
        reasonCodes: ReasonCode.scrapeCodes,
        produces: [LeadColumns.webStatus.spec, LeadColumns.webRedirectDomain.spec])

    /// The fetcher settings derived from the options.
    package let fetchConfiguration: FetchConfiguration
    let settings: CrawlSettings
    let fingerprints: TechnologyFingerprints?
    let minimumConfidence: Int
    let defaultScheme: String
    let httpFallback: Bool
    let rejectOn: Set<WebStatus>
    let cache: any PageCache

    public init(options: OptionValues, context: StageContext) throws {
        let persistent = context.isLintOnly ? nil : try context.services.open((any PageCache).self)
        try self.init(options: options, context: context, cache: persistent ?? InMemoryPageCache())
    }

    /// Builds the stage with the page cache to use across runs (the run store's, or an in-memory one).
    public init(options: OptionValues, context: StageContext, cache: any PageCache) throws {
        var fetch = FetchConfiguration()
        func positive(_ name: String) throws -> Int {
            let value = options.integer(name) ?? 0
            guard value > 0 else { throw OptionProblem(option: name, "\(name) must be at least 1") }
            return value
        }
        func nonNegative(_ name: String) throws -> Int {
            let value = options.integer(name) ?? 0
            guard value >= 0 else { throw OptionProblem(option: name, "\(name) must not be negative") }
            return value
        }
        fetch.concurrency = try positive("concurrency")
        fetch.perHost = try positive("per_host")
        fetch.perHostDelay = Double(try nonNegative("delay_ms")) / 1000
        fetch.connectTimeout = Double(try positive("connect_timeout_ms")) / 1000
        fetch.totalTimeout = Double(try positive("timeout_ms")) / 1000
        fetch.maxRedirects = try nonNegative("max_redirects")
        fetch.maxBodyBytes = try positive("max_body_bytes")
        fetch.retries = try nonNegative("retries")
        fetch.maxRetryAfter = Double(try nonNegative("max_retry_after_s"))
        fetch.allowPrivateAddresses = options.bool("allow_private")
        fetch.resolve = options.strings("resolve")
        for text in options.strings("allow_addresses") {
            guard let address = IPAddress(text) else {
                throw OptionProblem(option: "allow_addresses", "'\(text)' is not an IPv4 or IPv6 address")
            }
            fetch.allowedAddresses.insert(address)
        }
        fetch.connectTo = options.strings("connect_to")
        let userAgent = options.defaultedString("user_agent")
        guard !RobotsPolicy.productToken(userAgent).isEmpty else {
            throw OptionProblem(option: "user_agent", "user_agent must start with a product name such as LeadHygiene/1.0")
        }
        fetch.userAgent = userAgent
        for entry in fetch.resolve where entry.split(separator: ":", omittingEmptySubsequences: false).count < 3 {
            throw OptionProblem(option: "resolve", "'\(entry)' is not HOST:PORT:ADDRESS")
        }
        for entry in fetch.connectTo where entry.split(separator: ":", omittingEmptySubsequences: false).count < 4 {
            throw OptionProblem(option: "connect_to", "'\(entry)' is not HOST:PORT:CONNECT-HOST:CONNECT-PORT")
        }
        guard let maxAge = DurationOption.seconds(options.defaultedString("max_age")) else {
            throw OptionProblem(option: "max_age", "max_age must be a duration such as 30m, 12h, 7d or 2w")
        }
        let minimum = options.defaultedInteger("min_tech_confidence")
        guard (0...100).contains(minimum) else {
            throw OptionProblem(option: "min_tech_confidence", "min_tech_confidence must be between 0 and 100")
        }
        if let path = options.string("fingerprints") {
            do {
                let loaded = try TechnologyFingerprints(contentsOf: path)
                fingerprints = context.isLintOnly ? nil : loaded
            } catch let error as FingerprintError {
                throw OptionProblem(option: "fingerprints", error.description)
            }
        } else {
            fingerprints = context.isLintOnly ? nil : try TechnologyFingerprints.bundled()
        }
        fetchConfiguration = fetch
        settings = CrawlSettings(paths: options.strings("paths"), linkWords: options.strings("link_words").map { $0.lowercased() },
                                 maxPages: try positive("max_pages"), maxRedirects: fetch.maxRedirects,
                                 respectRobots: options.bool("respect_robots"), userAgent: userAgent, maxAge: maxAge,
                                 now: context.now)
        minimumConfidence = minimum
        defaultScheme = options.defaultedString("default_scheme")
        httpFallback = options.bool("http_fallback")
        rejectOn = Set(options.strings("reject_on").compactMap(WebStatus.init(rawValue:)))
        self.cache = cache
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .wholeList(bind(schema: &schema, columns: columns))
    }

    /// The stage bound to the schema, as its own type (`explain-match` adds the columns and scrapes nothing).
    public func bind(schema: inout Schema, columns: ColumnBindings) -> Bound {
        // The normalize stage's columns are cleaner when it ran before us.
        let websiteColumns = [schema.index(of: "norm_website"), columns[.website], schema.index(of: "norm_domain"), columns[.domain]]
            .compactMap { $0 }
        var output: [String: ColumnIndex] = [:]
        for name in ScrapeColumns.all { output[name] = schema.addColumn(name) }
        return Bound(stage: self, websiteColumns: websiteColumns, output: output)
    }

    /// scrape bound to the run's schema: where each row's website is read and where the findings go.
    public struct Bound: WholeListStage {
        let stage: ScrapeStage
        /// The columns tried in turn for a row's website.
        let websiteColumns: [ColumnIndex]
        let output: [String: ColumnIndex]

        var settings: CrawlSettings { stage.settings }
        var fetchConfiguration: FetchConfiguration { stage.fetchConfiguration }
        var fingerprints: TechnologyFingerprints? { stage.fingerprints }
        var minimumConfidence: Int { stage.minimumConfidence }
        var defaultScheme: String { stage.defaultScheme }
        var httpFallback: Bool { stage.httpFallback }
        var rejectOn: Set<WebStatus> { stage.rejectOn }
        var cache: any PageCache { stage.cache }
    }
}

extension ScrapeStage.Bound {
    public func processAll(_ records: inout [Record]) throws -> ScrapeCounts {
        var tally = ScrapeCounts()
        // One site per registrable domain; remember which site each row belongs to.
        var starts: [(key: String, url: URL, fallback: URL?)] = []
        var known: Set<String> = []
        var rowSite: [Int: Result<String, WebStatusBox>] = [:]
        for (i, record) in records.enumerated() where record.isActive {
            switch siteStart(for: record) {
            case .failure(let status):
                rowSite[i] = .failure(status)
            case .success(let start):
                rowSite[i] = .success(start.key)
                if known.insert(start.key).inserted { starts.append(start) }
            }
        }
        tally.sites += starts.count
        var reports: [String: SiteReport] = [:]
        if !starts.isEmpty {
            let fetcher = Fetcher(configuration: fetchConfiguration)
            let prints = try fingerprints ?? TechnologyFingerprints.bundled()
            let extractor = PageExtractor(fingerprints: prints, minimumConfidence: minimumConfidence)
            let crawler = SiteCrawler(fetcher: fetcher, settings: settings, cache: cache, extractor: extractor)
            reports = crawler.crawl(starts)
            tally.crawl = crawler.counts
            tally.requests += fetcher.statistics.started
            tally.retries += fetcher.statistics.retries
        }
        let formatter = ISO8601DateFormatter()
        let rendered = reports.mapValues { ScrapeRow(report: $0, formatter: formatter) }
        for (i, site) in rowSite {
            let row: ScrapeRow
            switch site {
            case .success(let key): row = rendered[key] ?? ScrapeRow(report: SiteReport(status: .connectFailed), formatter: formatter)
            case .failure(let box): row = ScrapeRow(report: SiteReport(status: box.status), formatter: formatter)
            }
            for (name, value) in row.values {
                if ScrapeColumns.found.contains(name) {
                    if !records[i][output[name]].isEmpty { tally.filledBefore[name, default: 0] += 1 }
                    if !value.isEmpty { tally.filledAfter[name, default: 0] += 1 }
                }
                records[i][output[name]] = value
            }
            tally.rowsByStatus[row.status.rawValue, default: 0] += 1
            if rejectOn.contains(row.status) {
                records[i].reject(row.status.reasonCode, stage: ScrapeStage.descriptor.name, detail: row.detail)
            }
        }
        return tally
    }

    public func report(_ counts: ScrapeCounts) -> [(String, ReportValue)] {
        return [
            ("sites", .integer(counts.sites)),
            ("requests", .integer(counts.requests)),
            ("pages_fetched", .integer(counts.crawl.pagesFetched)),
            ("robots_fetched", .integer(counts.crawl.robotsFetched)),
            ("redirects_fetched", .integer(counts.crawl.redirectsFetched)),
            ("cache_hits", .integer(counts.crawl.cacheHits)),
            ("robots_disallowed_pages", .integer(counts.crawl.robotsDisallowedPages)),
            ("retries", .integer(counts.retries)),
            ("fingerprints", .object([
                ("technologies", .integer(fingerprints?.counts.technologies ?? 0)),
                ("skipped_js_dom_xhr_patterns", .integer(fingerprints?.counts.skippedJavaScript ?? 0)),
                ("skipped_other_patterns", .integer(fingerprints?.counts.skippedOther ?? 0)),
                ("invalid_patterns", .integer(fingerprints?.counts.invalidPatterns ?? 0)),
            ])),
            ("rows_by_status", .counts(counts.rowsByStatus)),
            ("fields", .object(ScrapeColumns.found.map { name in
                (name, .object([("filled_before", .integer(counts.filledBefore[name] ?? 0)),
                                ("filled_after", .integer(counts.filledAfter[name] ?? 0))]))
            })),
        ]
    }

    /// The site a row belongs to: its key (registrable domain) and home page URL.
    private func siteStart(for record: Record) -> Result<(key: String, url: URL, fallback: URL?), WebStatusBox> {
        guard let value = websiteColumns.lazy.map({ record[$0].trimmingCharacters(in: .whitespacesAndNewlines) })
            .first(where: { !$0.isEmpty }) else { return .failure(WebStatusBox(.noWebsite)) }
        var scheme = defaultScheme
        var guessed = true
        if let range = value.range(of: "://") {
            guessed = false
            scheme = value[..<range.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return .failure(WebStatusBox(.invalidURL)) }
            let authority = value[range.upperBound...].prefix { !"/?#".contains($0) }
            if authority.contains("@") { return .failure(WebStatusBox(.invalidURL)) }   // never send credentials
        } else if value.prefix(while: { !"/?#".contains($0) }).contains("@") {
            return .failure(WebStatusBox(.invalidURL))
        }
        guard let host = HostName.fromWebsite(value) else { return .failure(WebStatusBox(.invalidURL)) }
        let port = WebsitePort(website: value)
        if port == .invalid { return .failure(WebStatusBox(.invalidURL)) }
        if guessed, let implied = port.impliedScheme { scheme = implied }   // `acme.com:80` is an http site
        // The port stays with the site: `http://acme.com:8080/` is fetched on 8080, and its redirects,
        // robots.txt and pages resolve against that origin.
        func home(_ scheme: String) -> URL? {
            URL(string: "\(scheme)://\(host)" + (port.explicit(for: scheme).map { ":\($0)" } ?? "") + "/")
        }
        guard let url = home(scheme) else { return .failure(WebStatusBox(.invalidURL)) }
        // One site per registrable domain and port: two ports of one host may be two different servers.
        let domain = PublicSuffixList.shared.registrableDomain(of: host) ?? host
        let key = port.explicit(for: scheme).map { "\(domain):\($0)" } ?? domain
        let fallback = guessed && httpFallback && scheme == "https" ? home("http") : nil
        return .success((key, url, fallback))
    }
}

/// A status carried as an error, so a row's site can be a `Result`.
struct WebStatusBox: Error {
    let status: WebStatus
    init(_ status: WebStatus) { self.status = status }
}
