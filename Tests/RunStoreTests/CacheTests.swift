import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

@Suite("DNS and HTTP caches")
struct CacheTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func dnsVerdictIsServedUntilItExpires() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.saveDNSVerdicts([
                DNSVerdictEntry(domain: "acme.com", verdictJSON: #"{"mx":["mx.acme.com"]}"#, resolvedAt: now,
                                expiresAt: now.addingTimeInterval(3600)),
                DNSVerdictEntry(domain: "gone.example", verdictJSON: #"{"nxdomain":true}"#, resolvedAt: now,
                                expiresAt: now.addingTimeInterval(60)),
            ])
            #expect(try store.dnsVerdict(for: "acme.com", now: now.addingTimeInterval(3599))?.verdictJSON == #"{"mx":["mx.acme.com"]}"#)
            #expect(try store.dnsVerdict(for: "acme.com", now: now.addingTimeInterval(3600)) == nil)
            #expect(try store.dnsVerdicts(validAt: now.addingTimeInterval(120)).keys.sorted() == ["acme.com"])
            #expect(try store.purgeExpiredDNSVerdicts(now: now.addingTimeInterval(120)) == 1)
            #expect(try store.dnsVerdict(for: "unknown.example", now: now) == nil)
        }
    }

    @Test func savingAVerdictAgainReplacesTheOldOne() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            try store.saveDNSVerdicts([DNSVerdictEntry(domain: "acme.com", verdictJSON: "old", resolvedAt: now,
                                                       expiresAt: now.addingTimeInterval(10))])
            try store.saveDNSVerdicts([DNSVerdictEntry(domain: "acme.com", verdictJSON: "new", resolvedAt: now,
                                                       expiresAt: now.addingTimeInterval(100))])
            #expect(try store.dnsVerdict(for: "acme.com", now: now.addingTimeInterval(50))?.verdictJSON == "new")
        }
    }

    @Test func pageIsServedOnlyWhileYoungerThanMaxAge() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let store = try RunStore(path: path)
            let body = Data("<html><title>Acme</title></html>".utf8)
            try store.savePages([CachedPage(url: "https://acme.com/", status: 200,
                                            headersJSON: #"{"content-type":"text/html"}"#, body: body, fetchedAt: now)])
            // A second connection to the same file sees the committed page.
            let reopened = try RunStore(path: path)
            let page = try #require(try reopened.cachedPage(url: "https://acme.com/", maxAge: 86_400,
                                                            now: now.addingTimeInterval(3600)))
            #expect(page.body == body)
            #expect(page.status == 200)
            #expect(page.bodyHash == ContentHash.fnv1a64Hex(body))
            #expect(try reopened.cachedPage(url: "https://acme.com/", maxAge: 600, now: now.addingTimeInterval(3600)) == nil)
        }
    }

    @Test func bodyHashDiffersWhenTheBodyChanges() {
        #expect(ContentHash.fnv1a64Hex(Data("a".utf8)) != ContentHash.fnv1a64Hex(Data("b".utf8)))
        #expect(ContentHash.fnv1a64Hex(Data()) == "cbf29ce484222325") // FNV-1a 64 offset basis
    }
}
