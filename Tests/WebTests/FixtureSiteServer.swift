import Foundation
import TestSupport
import Web

/// The fixture web server (`Tests/ScrapeStageTests/Fixtures/site_server.py`) on a free loopback port,
/// stopped when the value goes away. Every host name is routed to it with CURLOPT_CONNECT_TO.
final class FixtureSiteServer {
    let server: LocalServer
    var port: Int { server.port }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ScrapeStageTests/Fixtures/site_server.py").path

    /// Starts the server; `generic` serves every host as a small generated site over HTTP/1.1 keep-alive (the bench's mode).
    init(generic: Bool = false) throws {
        let port = LocalServer.freePort()
        server = try LocalServer(executable: "/usr/bin/env",
                                 arguments: ["python3", Self.script, "--port", "\(port)"] + (generic ? ["--generic"] : []),
                                 port: port)
    }

    deinit { server.stop() }

    /// A configuration sending every host to this server, with private addresses allowed (it is on loopback).
    func configuration() -> FetchConfiguration {
        var configuration = FetchConfiguration()
        configuration.connectTo = ["::127.0.0.1:\(port)"]
        configuration.allowPrivateAddresses = true
        configuration.connectTimeout = 2
        configuration.totalTimeout = 10
        configuration.retryBaseDelay = 0.05
        return configuration
    }

    /// In generic mode: the requests answered and the connections accepted.
    func genericCounts() throws -> (requests: Int, connections: Int) {
        let fetcher = Fetcher(configuration: configuration())
        var body: [UInt8] = []
        fetcher.enqueue(FetchRequest(url: "http://stats.test/__stats")) { body = $0.body }
        fetcher.run()
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        return (json["total"] as? Int ?? -1, json["connections"] as? Int ?? -1)
    }

    /// What the server saw: the requests (host, path, user agent) and the peak concurrency per host.
    func stats() throws -> (requests: [[String]], peakPerHost: [String: Int]) {
        let fetcher = Fetcher(configuration: configuration())
        var body: [UInt8] = []
        fetcher.enqueue(FetchRequest(url: "http://stats.test/__stats")) { body = $0.body }
        fetcher.run()
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        return (json["requests"] as? [[String]] ?? [], json["peak"] as? [String: Int] ?? [:])
    }
}

/// Fetches one URL and returns the result.
func fetchOne(_ url: String, _ configuration: FetchConfiguration, maxRedirects: Int? = nil) -> FetchResult {
    let fetcher = Fetcher(configuration: configuration)
    var result: FetchResult?
    fetcher.enqueue(FetchRequest(url: url, maxRedirects: maxRedirects)) { result = $0 }
    fetcher.run()
    return result!
}
