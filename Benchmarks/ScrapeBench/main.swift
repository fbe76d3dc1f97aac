// ScrapeBench: pages per second against a local server that adds 50 ms to every response,
// across 1,000 sites, at concurrency 32 (bound: 32 / 0.05 s = 640 pages/s).
// Prints one line per figure: what, pages, seconds, pages/s, peak RSS, and the most concurrent
// requests one host saw (measured by the server), which must not exceed per_host (1).
import Foundation
import LeadFacts
import LeadRecords
import LocalServers
import PipelineSpec
import ScrapeStage
import Web

let sites = Int(ProcessInfo.processInfo.environment["SCRAPEBENCH_SITES"] ?? "") ?? 1_000
let latencyMs = Int(ProcessInfo.processInfo.environment["SCRAPEBENCH_LATENCY_MS"] ?? "") ?? 50
let concurrency = Int(ProcessInfo.processInfo.environment["SCRAPEBENCH_CONCURRENCY"] ?? "") ?? 32

/// The fixture server in generic mode: every unknown host is a small company site.
final class BenchServer {
    let server: LocalServer?
    let port: Int

    init() throws {
        // SCRAPEBENCH_SERVER_PORT=N uses a `site_server.py --generic` already listening on N (under valgrind,
        // which cannot spawn the server itself); its counters then start where the previous run left them.
        if let given = ProcessInfo.processInfo.environment["SCRAPEBENCH_SERVER_PORT"].flatMap({ Int($0) }) {
            server = nil
            port = given
            return
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/ScrapeStageTests/Fixtures/site_server.py").path
        let port = LocalServer.freePort()
        server = try LocalServer(executable: "/usr/bin/env",
                                 arguments: ["python3", script, "--port", "\(port)", "--latency-ms", "\(latencyMs)", "--generic"],
                                 port: port)
        self.port = port
    }

    func stop() { server?.stop() }

    /// The server's view so far (GET /__stats).
    func stats() -> ServerStats {
        var configuration = FetchConfiguration()
        configuration.allowPrivateAddresses = true
        let fetcher = Fetcher(configuration: configuration)
        var body: [UInt8] = []
        fetcher.enqueue(FetchRequest(url: "http://127.0.0.1:\(port)/__stats")) { body = $0.body }
        fetcher.run()
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        return ServerStats(peakPerHost: json["peak_per_host"] as? Int ?? -1, total: json["total"] as? Int ?? -1,
                           connections: json["connections"] as? Int ?? -1, cpuSeconds: json["cpu_s"] as? Double ?? -1,
                           meanMs: json["mean_ms"] as? [Double] ?? [])
    }
}

/// What the bench server measured, from its start.
struct ServerStats {
    /// The most concurrent requests any one host saw.
    var peakPerHost: Int
    /// Requests answered and connections accepted.
    var total: Int
    var connections: Int
    /// The server's CPU seconds (user + system).
    var cpuSeconds: Double
    /// Mean ms: accept → first request read (per connection), answer sent beyond the latency, request read → answer sent.
    var meanMs: [Double]

    var meanText: String { meanMs.map { String(format: "%.2f", $0) }.joined(separator: ", ") }
}

/// User plus system CPU seconds this process used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Where a transfer's time went, and what a page cost each side in CPU: robust on a shared machine.
func reportCost(_ what: String, stats: FetchStatistics, pages: Int, seconds: Double, clientCPU: Double,
                server before: ServerStats, _ after: ServerStats) {
    let n = Double(max(1, stats.started))
    print(String(format: "%@: mean in flight %.1f; mean transfer %.2f ms (libcurl %.2f: connect %.2f, first byte %.2f), %d of %d on a reused connection",
                 what, stats.transferSeconds / seconds, 1000 * stats.transferSeconds / n, 1000 * stats.curlTotalSeconds / n,
                 1000 * stats.connectSeconds / n, 1000 * stats.firstByteSeconds / n, stats.reusedConnections, stats.started))
    print(String(format: "%@: server per request %@ ms (accept → first request read, answer sent beyond %d ms, read → sent); CPU per 1,000 pages: client %.3f s, server %.3f s",
                 what, after.meanText, latencyMs, 1000 * clientCPU / Double(pages),
                 1000 * (after.cpuSeconds - before.cpuSeconds) / Double(after.total - before.total)))
}

/// The 1-minute load average (/proc/loadavg): other processes on this machine delay both the server's and the
/// client's wake-ups, and each delay is added to a request's 50 ms, so a figure is read beside the load it met.
func loadAverage() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return -1 }
    return Double(text.prefix { $0 != " " }) ?? -1
}

/// One figure line; `share` is the fraction of the responses that are `unit` (3 of 4 are pages when robots.txt is fetched too).
/// `load` is the 1-minute load average before and after the measured run.
func report(_ what: String, count: Int, unit: String = "pages", share: Double = 1, seconds: Double, peakPerHost: Int,
            load: (Double, Double)) {
    let rate = Double(count) / seconds
    let bound = share * Double(concurrency) / (Double(latencyMs) / 1000)
    print(String(format: "%@, %d %@, %.2f s, %.0f %@/s (%.0f%% of %.0f), peak RSS %.0f MiB, max concurrent per host %d, load average %.2f → %.2f on %d cores",
                 what, count, unit, seconds, rate, unit, 100 * rate / bound, bound, ResidentMemory.peakMiB, peakPerHost,
                 load.0, load.1, ProcessInfo.processInfo.activeProcessorCount))
}

/// Raw fetcher: one home page per site, 1,000 names pinned to 127.0.0.1 with CURLOPT_RESOLVE.
func benchFetcher() throws {
    let server = try BenchServer()
    defer { server.stop() }
    var configuration = FetchConfiguration()
    configuration.concurrency = concurrency
    configuration.perHost = 1
    configuration.allowPrivateAddresses = true
    configuration.resolve = (0..<sites).map { "site\($0).bench.test:\(server.port):127.0.0.1" }
    let fetcher = Fetcher(configuration: configuration)
    var ok = 0
    for i in 0..<sites {
        fetcher.enqueue(FetchRequest(url: "http://site\(i).bench.test:\(server.port)/")) { if $0.status == 200 { ok += 1 } }
    }
    let before = server.stats()
    let loadBefore = loadAverage()
    let cpu = cpuSeconds()
    let start = Date()
    fetcher.run()
    let seconds = Date().timeIntervalSince(start)
    let clientCPU = cpuSeconds() - cpu
    let load = (loadBefore, loadAverage())
    precondition(ok == sites, "only \(ok) of \(sites) pages answered 200")
    let after = server.stats()
    reportCost("fetcher", stats: fetcher.statistics, pages: sites, seconds: seconds, clientCPU: clientCPU,
               server: before, after)
    report("fetcher home pages", count: sites, seconds: seconds, peakPerHost: after.peakPerHost, load: load)
}

/// The whole stage: robots.txt, home page and two more pages per site, extraction included.
func benchStage() throws {
    let server = try BenchServer()
    defer { server.stop() }
    let options = OptionValues(schema: ScrapeStage.descriptor.options, given: [
        "concurrency": .integer(concurrency), "per_host": .integer(1), "delay_ms": .integer(0),
        "allow_private": .bool(true), "default_scheme": .string("http"), "max_pages": .integer(3),
        "connect_to": .list([.string("::127.0.0.1:\(server.port)")]),
    ])
    let built = try ScrapeStage(options: options, context: StageContext(pipelineFile: "bench.yml"))
    var schema = Schema(inputColumns: ["Website"])
    let stage = built.bind(schema: &schema, columns: ColumnBindings([.website: ColumnIndex(0)]))
    // Three leads per site: the stage must still fetch each site once.
    var records = (0..<(sites * 3)).map { Record(values: ["www.site\($0 % sites).test"], line: $0 + 2) }
    let before = server.stats()
    let loadBefore = loadAverage()
    let cpu = cpuSeconds()
    let start = Date()
    let figures = stage.report(try stage.processAll(&records))
    let seconds = Date().timeIntervalSince(start)
    let clientCPU = cpuSeconds() - cpu
    let load = (loadBefore, loadAverage())
    let stats = server.stats()
    let okRows = records.filter { $0[schema.index(of: "web_status")] == "ok" }.count
    precondition(okRows == records.count, "only \(okRows) of \(records.count) rows ok")
    let requests = stats.total - before.total
    print(String(format: "stage: %d requests on %d connections; server per request %@ ms; CPU per 1,000 requests: client %.3f s (extraction included), server %.3f s",
                 requests, stats.connections - before.connections,
                 stats.meanText,
                 1000 * clientCPU / Double(requests), 1000 * (stats.cpuSeconds - before.cpuSeconds) / Double(requests)))
    func summary(_ key: String) -> Int {
        if case .integer(let n)? = figures.first(where: { $0.0 == key })?.1 { return n }
        return -1
    }
    let pages = summary("pages_fetched")
    precondition(pages + summary("robots_fetched") + summary("redirects_fetched") == requests,
                 "the stage counted \(pages) pages, \(summary("robots_fetched")) robots.txt, \(summary("redirects_fetched")) redirects; the server answered \(requests)")
    // Responses include robots.txt; pages are the responses that are pages. Both bounds are concurrency / latency,
    // the pages' scaled by their share of the responses.
    report("scrape stage responses (robots + 3 pages per site, \(records.count) leads)", count: requests, unit: "responses",
           seconds: seconds, peakPerHost: stats.peakPerHost, load: load)
    report("scrape stage pages (robots.txt and redirects not counted)", count: pages,
           share: Double(pages) / Double(max(1, requests)), seconds: seconds, peakPerHost: stats.peakPerHost, load: load)
}

// SCRAPEBENCH_ONLY=fetcher|stage runs one part (for profiling).
let only = ProcessInfo.processInfo.environment["SCRAPEBENCH_ONLY"]
do {
    if only != "stage" { try benchFetcher() }
    if only != "fetcher" { try benchStage() }
} catch {
    FileHandle.standardError.write(Data("ScrapeBench failed: \(error)\n".utf8))
    exit(1)
}
