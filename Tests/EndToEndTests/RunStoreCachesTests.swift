import EmailCheckStage
import Foundation
@testable import LeadHygiene
import RunStore
import Testing
import TestSupport

/// The run store behind email_check's DNS verdicts and scrape's pages, through a real SQLite file.
@Suite("Run store caches")
struct RunStoreCachesTests {
    @Test func dnsVerdictsSurviveTheRunThatFoundThem() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let now = Date()
            let first = StoreVerdictCache(store: try RunStore(path: path))
            // More than one batch, so both the batched and the final write are exercised.
            for i in 0..<300 {
                first.put(.nullMX, for: "d\(i).example", expiresAt: now.addingTimeInterval(3600))
            }
            first.put(.nonexistent, for: "gone.example", expiresAt: now.addingTimeInterval(-1))
            first.flush()

            let second = StoreVerdictCache(store: try RunStore(path: path))
            #expect(second.verdict(for: "d0.example", now: now) == .nullMX)
            #expect(second.verdict(for: "d299.example", now: now) == .nullMX)
            #expect(second.verdict(for: "gone.example", now: now) == nil, "expired verdicts are not served")
            #expect(second.verdict(for: "never.example", now: now) == nil)
        }
    }

    @Test func pagesKeepTheirFinalURLHeadersAndBodyAcrossRuns() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let fetched = Date(timeIntervalSince1970: 1_790_000_000)
            let page = ScrapedPage(url: "https://acme.example/robots.txt", finalURL: "https://www.acme.example/robots.txt", status: 200,
                                   headers: [ScrapedHeader(name: "Content-Type", value: "text/plain"), ScrapedHeader(name: "Set-Cookie", value: "a=1")],
                                   body: Array("User-agent: *\nDisallow: /private\n".utf8), fetchedAt: fetched)
            StorePageCache(store: try RunStore(path: path)).store(page)
            let read = try #require(StorePageCache(store: try RunStore(path: path)).page(for: page.url))
            #expect(read.finalURL == page.finalURL)
            #expect(read.headers == page.headers)
            #expect(read.body == page.body)
            #expect(read.status == 200)
            #expect(abs(read.fetchedAt.timeIntervalSince(fetched)) < 1)
        }
    }
}
