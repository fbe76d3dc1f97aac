import Foundation
import PipelineSpec
import TestSupport
import Web

/// The fixture web server (`Fixtures/site_server.py`) on a free loopback port, stopped when released.
/// (WebTests has the same small wrapper; test targets cannot share sources without a support target.)
final class FixtureSiteServer {
    let server: LocalServer
    var port: Int { server.port }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/site_server.py").path

    /// Starts the server; `generic` serves every host as a small generated site over HTTP/1.1 keep-alive (the bench's mode).
    init(generic: Bool = false) throws {
        let port = LocalServer.freePort()
        server = try LocalServer(executable: "/usr/bin/env",
                                 arguments: ["python3", Self.script, "--port", "\(port)"] + (generic ? ["--generic"] : []),
                                 port: port)
    }

    deinit { server.stop() }

    /// Stage options sending every host to this server (it is on loopback, so private addresses are allowed).
    func options(_ extra: [String: OptionValue] = [:]) -> [String: OptionValue] {
        var given: [String: OptionValue] = [
            "connect_to": .list([.string("::127.0.0.1:\(port)")]),
            "allow_private": .bool(true),
            "default_scheme": .string("http"),
            "delay_ms": .integer(0),
            "timeout_ms": .integer(3_000),
        ]
        given.merge(extra) { $1 }
        return given
    }

    /// In generic mode: the requests answered and the connections accepted.
    func genericCounts() throws -> (requests: Int, connections: Int) {
        var configuration = FetchConfiguration()
        configuration.allowPrivateAddresses = true
        let fetcher = Fetcher(configuration: configuration)
        var body: [UInt8] = []
        fetcher.enqueue(FetchRequest(url: "http://127.0.0.1:\(port)/__stats")) { body = $0.body }
        fetcher.run()
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        return (json["total"] as? Int ?? -1, json["connections"] as? Int ?? -1)
    }

    /// The requests the server saw, as (host, path) pairs.
    func requests() throws -> [(host: String, path: String)] {
        var configuration = FetchConfiguration()
        configuration.allowPrivateAddresses = true
        let fetcher = Fetcher(configuration: configuration)
        var body: [UInt8] = []
        fetcher.enqueue(FetchRequest(url: "http://127.0.0.1:\(port)/__stats")) { body = $0.body }
        fetcher.run()
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        return (json["requests"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
    }
}
