import Foundation
import Testing
import Web

@Suite("Fetcher against the fixture server")
struct FetcherTests {
    @Test func fetchesAPageWithItsHeadersAndTheAddressConnected() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://acme.test/", server.configuration())
        #expect(result.failure == nil)
        #expect(result.status == 200)
        #expect(result.header("server") == "cloudflare")
        #expect(result.headers(named: "Set-Cookie").count == 2)
        #expect(String(decoding: result.body, as: UTF8.self).contains("Acme Anvils"))
        #expect(result.remoteAddress == "127.0.0.1")
    }

    @Test func decodesGzipBodies() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://gzip.test/", server.configuration())
        #expect(result.header("Content-Encoding") == "gzip")
        let text = String(decoding: result.body, as: UTF8.self)
        #expect(text.hasPrefix("<html><head><title>Gzip Ltd</title>"))
        #expect(result.body.count > 5000)
    }

    @Test func decodesBrotliBodies() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://brotli.test/", server.configuration())
        #expect(result.header("Content-Encoding") == "br")
        #expect(String(decoding: result.body, as: UTF8.self).hasPrefix("<html><head><title>Brotli GmbH</title>"))
    }

    @Test func reusesAHostsConnectionForItsNextPages() throws {
        let server = try FixtureSiteServer(generic: true)
        let fetcher = Fetcher(configuration: server.configuration())
        var results: [FetchResult] = []
        // Each page is queued when the previous one is done, as a crawler does.
        func fetch(_ paths: ArraySlice<String>) {
            guard let path = paths.first else { return }
            fetcher.enqueue(FetchRequest(url: "http://kept.test\(path)")) { results.append($0); fetch(paths.dropFirst()) }
        }
        fetch(["/", "/about", "/contact"])
        fetcher.enqueue(FetchRequest(url: "http://other.test/")) { results.append($0) }
        fetcher.run()
        #expect(results.count == 4 && results.allSatisfy { $0.status == 200 })
        #expect(fetcher.statistics.reusedConnections == 2)
        #expect(results.allSatisfy { $0.remoteAddress == "127.0.0.1" })   // also on the reused connection
        let counts = try server.genericCounts()
        #expect(counts.requests == 4)
        #expect(counts.connections == 2)   // one per host name: a connection is never shared between hosts
    }

    @Test func followsRedirectsAndRecordsEveryHop() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://moved.test/", server.configuration())
        #expect(result.status == 200)
        #expect(result.url == "http://www.newco.test/welcome")
        #expect(result.redirects == [Redirect(from: "http://moved.test/", to: "http://www.newco.test/welcome", status: 301)])
    }

    @Test func returnsTheRedirectItselfWhenAskedToFollowNone() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://moved.test/", server.configuration(), maxRedirects: 0)
        #expect(result.status == 301)
        #expect(result.header("Location") == "http://www.newco.test/welcome")
    }

    @Test func stopsARedirectLoop() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://loop.test/", server.configuration())
        #expect(result.failure == .tooManyRedirects)
        #expect(result.redirects.count == 2)
        #expect(try server.stats().requests.filter { $0[0] == "loop.test" }.count == 2)
    }

    @Test func stopsAfterTheRedirectLimit() throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.maxRedirects = 1
        let result = fetchOne("http://wwwonly.test/", configuration)
        #expect(result.status == 200)
        let limited = fetchOne("http://loop.test/", configuration)
        #expect(limited.failure == .tooManyRedirects)
    }

    @Test func timesOutASlowEndpoint() throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.totalTimeout = 0.5
        let result = fetchOne("http://slow.test/", configuration)
        #expect(result.failure == .timeout)
        #expect(result.status == 0)
    }

    @Test func retriesA503AfterTheDelayRetryAfterAsksFor() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://busy.test/", server.configuration())
        #expect(result.status == 200)
        #expect(result.attempts == 2)
        #expect(result.retryDelays == [1.0])
    }

    @Test func givesUpAfterTheConfiguredRetriesWithBackOff() throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.retries = 2
        configuration.retryBaseDelay = 0.01
        configuration.maxRetryAfter = 5
        let result = fetchOne("http://down.test/", configuration)
        #expect(result.status == 503)
        #expect(result.attempts == 3)
        #expect(result.retryDelays == [1.0, 1.0])   // Retry-After: 1 is longer than the 0.01 s and 0.02 s back-off
    }

    @Test func doesNotWaitForARetryAfterLongerThanTheLimit() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://ratelimited.test/", server.configuration())
        #expect(result.status == 429)
        #expect(result.attempts == 1)
    }

    @Test func refusesABodyOverTheSizeCap() throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.maxBodyBytes = 1024 * 1024
        let result = fetchOne("http://big.test/", configuration)
        #expect(result.failure == .tooLarge)
        #expect(result.body.isEmpty)
    }

    @Test(arguments: [
        ("ftp://acme.test/file", URLRefusal.forbiddenScheme),
        ("file:///etc/passwd", URLRefusal.forbiddenScheme),
        ("gopher://acme.test/", URLRefusal.forbiddenScheme),
        ("http://user:secret@acme.test/", URLRefusal.credentialsInURL),
        ("https://token@acme.test/", URLRefusal.credentialsInURL),
        ("not a url", URLRefusal.invalidURL),
    ])
    func refusesURLsThatAreNotPlainHTTP(url: String, refusal: URLRefusal) throws {
        let server = try FixtureSiteServer()
        let result = fetchOne(url, server.configuration())
        #expect(result.failure == .refused(refusal))
        #expect(try server.stats().requests.isEmpty)
    }

    @Test func sendsTheConfiguredUserAgent() throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.userAgent = "LeadHygieneTest/2.0 (+https://example.test/bot)"
        _ = fetchOne("http://acme.test/", configuration)
        #expect(try server.stats().requests.first?[2] == "LeadHygieneTest/2.0 (+https://example.test/bot)")
    }

    @Test(arguments: [1, 2])
    func neverExceedsThePerHostLimit(perHost: Int) throws {
        let server = try FixtureSiteServer()
        var configuration = server.configuration()
        configuration.concurrency = 16
        configuration.perHost = perHost
        let fetcher = Fetcher(configuration: configuration)
        var done = 0
        for host in ["acme.test", "globex.test", "gone.test"] {
            for i in 0..<12 {
                fetcher.enqueue(FetchRequest(url: "http://\(host)/?n=\(i)")) { _ in done += 1 }
            }
        }
        fetcher.run()
        #expect(done == 36)
        let peaks = try server.stats().peakPerHost
        for host in ["acme.test", "globex.test", "gone.test"] {
            #expect(peaks[host, default: 0] >= 1)
            #expect(peaks[host, default: 0] <= perHost)
        }
        #expect(fetcher.statistics.peakPerHost == perHost)
        #expect(fetcher.statistics.peakConcurrent > perHost)   // hosts were served side by side
    }

    @Test func reportsANameThatDoesNotResolve() {
        var configuration = FetchConfiguration()
        configuration.connectTimeout = 2
        let result = fetchOne("http://nowhere.invalid/", configuration)
        #expect(result.failure == .dnsFailure)
    }
}
