/// What one scrape run counted, for the report.
public struct ScrapeCounts: Sendable {
    var sites = 0
    var requests = 0
    var retries = 0
    var crawl = CrawlCounts()
    var rowsByStatus: [String: Int] = [:]
}
