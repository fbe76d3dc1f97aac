import Foundation
import LeadRecords
import PipelineSpec
import ScrapeStage
import Testing

@Suite("Scrape stage against fixture sites")
struct ScrapeStageTests {
    @Test func extractsJSONLDOpenGraphContactsSocialLinksAndTechnologies() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["acme.test"], options: server.options())
        let site = "acme.test"
        #expect(run.value("web_status", for: site) == "ok")
        #expect(run.value("web_http_status", for: site) == "200")
        #expect(run.value("web_company_name", for: site) == "Acme Anvils")
        #expect(run.value("web_legal_name", for: site) == "Acme Anvils Incorporated")
        #expect(run.value("web_description", for: site) == "Drop-forged anvils, shipped worldwide.")
        #expect(run.value("web_logo", for: site) == "https://acme.test/logo.png")
        #expect(run.value("web_street", for: site) == "1 Canyon Road")
        #expect(run.value("web_city", for: site) == "Phoenix")
        #expect(run.value("web_region", for: site) == "AZ")
        #expect(run.value("web_postcode", for: site) == "85001")
        #expect(run.value("web_country", for: site) == "US")
        #expect(run.value("web_employees", for: site) == "250")
        #expect(run.value("web_founded", for: site) == "1949-03-01")
        #expect(run.value("web_title", for: site) == "Acme Anvils | Industrial anvils since 1949")
        #expect(run.value("web_linkedin", for: site) == "https://www.linkedin.com/company/acme-anvils")
        #expect(run.value("web_twitter", for: site) == "https://twitter.com/acmeanvils")
        #expect(run.value("web_facebook", for: site) == "https://www.facebook.com/acmeanvils")
        #expect(run.value("web_github", for: site) == "https://github.com/acme-anvils")
        #expect(run.value("web_youtube", for: site) == "https://www.youtube.com/@acmeanvils")
        #expect(run.value("web_instagram", for: site) == "https://www.instagram.com/acmeanvils")
        #expect(run.value("web_email", for: site) == "sales@acme.test")
        let emails = run.value("web_emails", for: site).split(separator: ";").map(String.init)
        #expect(Set(emails) == ["sales@acme.test", "info@acme.test", "press@acme.test"])   // not the one inside <script>
        #expect(run.value("web_phone", for: site) == "+1-555-010-0199")
        #expect(run.value("web_phones", for: site).contains("+1 (555) 010-0142"))
        let technologies = Set(run.value("web_technologies", for: site).split(separator: ";").map(String.init))
        for expected in ["WordPress/6.4.2", "PHP/8.2.12", "Google Tag Manager", "HubSpot", "Cloudflare", "jQuery/3.7.1", "MySQL"] {
            #expect(technologies.contains(expected), "missing \(expected) in \(technologies)")
        }
        #expect(run.value("web_pages", for: site) == "3")
    }

    @Test func recordsTheSourceURLAndTimeOfEveryValue() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["acme.test"], options: server.options())
        let json = run.value("web_sources", for: "acme.test")
        let sources = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let name = try #require(sources["web_company_name"] as? [String: String])
        #expect(name["url"] == "http://acme.test/")
        #expect(name["fetched_at"].flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
        let emails = try #require(sources["web_emails"] as? [[String: String]])
        #expect(emails.first { $0["value"] == "press@acme.test" }?["url"] == "http://acme.test/about-us/")
    }

    @Test func fetchesEachDomainOnceWhateverTheNumberOfLeads() throws {
        let server = try FixtureSiteServer()
        let websites = ["acme.test", "www.acme.test", "http://acme.test/products", "ACME.test", "https://acme.test"]
        let run = try ScrapeRun(websites: websites, options: server.options(["max_pages": .integer(1)]))
        for website in websites {
            #expect(run.value("web_company_name", for: website) == "Acme Anvils")
        }
        let requests = try server.requests()
        #expect(requests.filter { $0.path == "/" }.count == 1)
        #expect(requests.filter { $0.path == "/robots.txt" }.count == 1)
        #expect(run.summary("sites") == .integer(1))
    }

    @Test func visitsMatchingLinksAndPathsButNotWhatRobotsDisallows() throws {
        let server = try FixtureSiteServer()
        _ = try ScrapeRun(websites: ["acme.test"], options: server.options(["link_words": .list([.string("about"), .string("contact"), .string("staff")])]))
        let paths = try server.requests().filter { $0.host == "acme.test" }.map(\.path)
        #expect(paths.contains("/about-us/"))
        #expect(paths.contains("/contact"))
        #expect(!paths.contains("/private/admin"))   // robots.txt: Disallow: /private/
        #expect(try !server.requests().contains { $0.host == "elsewhere.test" })   // other domains' pages are not visited
    }

    @Test func fetchesALinkedPageAndTheSamePageUnderAPathsEntryOnce() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["samepage.test"], options: server.options([
            "paths": .list([.string("/about"), .string("/contact"), .string("/")]),
            "link_words": .list([.string("about"), .string("contact"), .string("home")]),
            "max_pages": .integer(3),
        ]))
        let paths = try server.requests().filter { $0.host == "samepage.test" }.map(\.path)
        // /about.html (linked) stands for /about, /Contact/ (linked) for /contact, /index.html for the home page:
        // the slots left go to no page twice.
        #expect(paths == ["/robots.txt", "/", "/about.html", "/Contact/"])
        #expect(run.value("web_pages", for: "samepage.test") == "3")
        #expect(run.summary("pages_fetched") == .integer(3))
        #expect(run.summary("robots_fetched") == .integer(1))
        #expect(run.summary("redirects_fetched") == .integer(0))
    }

    @Test(arguments: [1, 32])
    func crawlsARedirectTargetThatIsAlsoALeadsWebsiteOnce(concurrency: Int) throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["acquired.test", "acme.test"],
                                options: server.options(["concurrency": .integer(concurrency), "max_pages": .integer(2)]))
        #expect(run.value("web_status", for: "acquired.test") == "redirected")
        #expect(run.value("web_redirect_domain", for: "acquired.test") == "acme.test")
        #expect(run.value("web_company_name", for: "acquired.test") == "Acme Anvils")
        #expect(run.value("web_status", for: "acme.test") == "ok")
        #expect(run.value("web_redirect_domain", for: "acme.test") == "")
        #expect(run.value("web_company_name", for: "acme.test") == "Acme Anvils")
        let acme = try server.requests().filter { $0.host == "acme.test" }.map(\.path)
        #expect(acme.filter { $0 == "/robots.txt" }.count == 1)
        #expect(acme.filter { $0 == "/" }.count == 1)
        #expect(acme.count == 3)   // robots.txt, the home page and one more page
        #expect(run.summary("redirects_fetched") == .integer(1))
    }

    @Test func setsAStatusForEveryKindOfSite() throws {
        let server = try FixtureSiteServer()
        let table: [(website: String, status: String)] = [
            ("acme.test", "ok"),
            ("wwwonly.test", "ok"),                  // a redirect within the same registrable domain
            ("moved.test", "redirected"),
            ("loop.test", "too_many_redirects"),
            ("slow.test", "timeout"),
            ("down.test", "http_5xx"),
            ("busy.test", "ok"),                     // 503 + Retry-After, then 200
            ("gone.test", "http_4xx"),
            ("big.test", "too_large"),
            ("private-robots.test", "robots_disallowed"),
            ("robots-error.test", "robots_disallowed"),
            ("gzip.test", "ok"),
            ("ftp://files.test/", "invalid_url"),
            ("http://user:secret@acme.test/", "invalid_url"),
            ("", "no_website"),
        ]
        let run = try ScrapeRun(websites: table.map(\.website), options: server.options([
            "timeout_ms": .integer(3_000), "retries": .integer(1), "max_body_bytes": .integer(1_048_576),
        ]))
        for (website, status) in table {
            #expect(run.value("web_status", for: website) == status, "\(website)")
        }
        #expect(run.value("web_redirect_domain", for: "moved.test") == "newco.test")
        #expect(run.value("web_final_url", for: "moved.test") == "http://www.newco.test/welcome")
        #expect(run.value("web_company_name", for: "moved.test") == "NewCo")
        #expect(run.value("web_redirect_domain", for: "wwwonly.test") == "")
        #expect(run.value("web_http_status", for: "gone.test") == "404")
        #expect(run.value("web_http_status", for: "down.test") == "503")
        #expect(run.value("web_title", for: "gzip.test") == "Gzip Ltd")
        #expect(run.value("web_title", for: "busy.test") == "Busy Corp")
        // robots.txt said no: the home page was never requested.
        #expect(try !server.requests().contains { $0.host == "private-robots.test" && $0.path == "/" })
        #expect(try !server.requests().contains { $0.host == "robots-error.test" && $0.path == "/" })
    }

    @Test func decodesPagesInWindows1252FromTheHeaderOrTheMetaTag() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["latin.test", "metalatin.test"], options: server.options())
        #expect(run.value("web_title", for: "latin.test") == "Société Générale du Café — Accueil")
        #expect(run.value("web_company_name", for: "latin.test") == "Société Générale du Café")
        #expect(run.value("web_title", for: "metalatin.test") == "Müller & Söhne – Startseite")
    }

    @Test func readsWhatItCanFromMalformedHTML() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["globex.test"], options: server.options())
        #expect(run.value("web_status", for: "globex.test") == "ok")
        #expect(run.value("web_company_name", for: "globex.test") == "Globex")
        #expect(run.value("web_description", for: "globex.test") == "Globex sells everything & more.")
        #expect(run.value("web_linkedin", for: "globex.test") == "https://www.linkedin.com/company/globex")
        #expect(run.value("web_phone", for: "globex.test") == "+44 20 7946 0958")
        #expect(run.value("web_emails", for: "globex.test") == "sales@globex.test;hr@globex.test")
        #expect(run.value("web_technologies", for: "globex.test").contains("Shopify"))
    }

    @Test func fallsBackToHTTPWhenAGuessedHTTPSCannotConnect() throws {
        let server = try FixtureSiteServer()
        // The fixture server speaks plain HTTP on every port, so the TLS handshake of https://acme.test/ fails.
        var options = server.options()
        options["default_scheme"] = nil
        let run = try ScrapeRun(websites: ["acme.test", "https://globex.test"], options: options)
        #expect(run.value("web_status", for: "acme.test") == "ok")
        #expect(run.value("web_final_url", for: "acme.test") == "http://acme.test/")
        #expect(run.value("web_status", for: "https://globex.test") == "connect_failed")   // an explicit https is kept
        let off = try ScrapeRun(websites: ["acme.test"], options: options.merging(["http_fallback": .bool(false)]) { $1 })
        #expect(off.value("web_status", for: "acme.test") == "connect_failed")
    }

    @Test func refusesSitesThatResolveToPrivateAddresses() throws {
        let run = try ScrapeRun(websites: ["internal.test", "metadata.test"], options: [
            "resolve": .list([.string("internal.test:443:10.0.0.7"), .string("metadata.test:443:169.254.169.254")]),
            "connect_timeout_ms": .integer(2_000),
        ])
        #expect(run.value("web_status", for: "internal.test") == "blocked_private")
        #expect(run.value("web_status", for: "metadata.test") == "blocked_private")
    }

    @Test func refusesASecondRedirectHopToAPrivateAddress() throws {
        let server = try FixtureSiteServer()
        // chain.test → chain-hop.test (the server, on the one exempt address) → chain-private.test (10.0.0.7).
        let run = try ScrapeRun(websites: ["chain.test"], options: [
            "default_scheme": .string("http"),
            "allow_addresses": .list([.string("127.0.0.1")]),
            "connect_to": .list([.string("chain.test:80:127.0.0.1:\(server.port)"),
                                 .string("chain-hop.test:80:127.0.0.1:\(server.port)")]),
            "resolve": .list([.string("chain-private.test:80:10.0.0.7")]),
            "connect_timeout_ms": .integer(2_000),
        ])
        #expect(run.value("web_status", for: "chain.test") == "blocked_private")
        #expect(try server.requests().map(\.host) == ["chain.test", "chain.test", "chain-hop.test", "chain-hop.test"])
    }

    @Test func refusesAnAllowedAddressThatIsNotAnIPAddress() {
        let values = OptionValues(schema: ScrapeStage.descriptor.options,
                                  given: ["allow_addresses": .list([.string("intranet.example")])])
        #expect(throws: OptionProblem.self) { try ScrapeStage(options: values, context: StageContext(pipelineFile: "t.yml")) }
    }

    @Test func reportsARedirectWithoutLocationAsHTTP3xx() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["nolocation.test"], options: server.options())
        #expect(run.value("web_status", for: "nolocation.test") == "http_3xx")
        #expect(run.value("web_http_status", for: "nolocation.test") == "302")
    }

    @Test func visitsEachSiteOverOneKeptAliveConnection() throws {
        let server = try FixtureSiteServer(generic: true)
        // More sites than the fetcher keeps connections for (4 × concurrency): had every site's robots.txt been
        // queued first, the early sites' connections would be closed before their pages came round.
        let sites = (1...8).map { "site\($0).test" }
        let run = try ScrapeRun(websites: sites, options: server.options(["concurrency": .integer(1)]))
        #expect(sites.allSatisfy { run.value("web_status", for: $0) == "ok" })
        let counts = try server.genericCounts()
        #expect(counts.requests > sites.count)   // robots.txt and several pages per site
        #expect(counts.connections == sites.count)
    }

    @Test func reportsHostsThatDoNotResolve() throws {
        let run = try ScrapeRun(websites: ["nowhere.invalid"], options: ["connect_timeout_ms": .integer(2_000)])
        #expect(run.value("web_status", for: "nowhere.invalid") == "dns_failure")
    }

    @Test func reusesCachedPagesYoungerThanMaxAge() throws {
        let server = try FixtureSiteServer()
        let cache = InMemoryPageCache()
        let first = try ScrapeRun(websites: ["acme.test"], options: server.options(), cache: cache)
        let fetched = try server.requests().count
        #expect(cache.count == fetched)
        let second = try ScrapeRun(websites: ["acme.test"], options: server.options(["max_age": .string("1d")]), cache: cache,
                                   now: Date().addingTimeInterval(3_600))
        #expect(try server.requests().count == fetched)   // nothing fetched again
        #expect(second.value("web_company_name", for: "acme.test") == first.value("web_company_name", for: "acme.test"))
        #expect(second.summary("cache_hits") == .integer(fetched))
        let third = try ScrapeRun(websites: ["acme.test"], options: server.options(["max_age": .string("30m")]), cache: cache,
                                  now: Date().addingTimeInterval(3_600))
        #expect(try server.requests().count == 2 * fetched)   // stale: fetched again
        #expect(third.summary("cache_hits") == .integer(0))
    }

    @Test func refetchesRobotsTxtAfter24HoursEvenWhenPagesAreFresh() throws {
        let server = try FixtureSiteServer()
        let cache = InMemoryPageCache()
        _ = try ScrapeRun(websites: ["acme.test"], options: server.options(), cache: cache)
        let before = try server.requests().count
        _ = try ScrapeRun(websites: ["acme.test"], options: server.options(["max_age": .string("7d")]), cache: cache,
                          now: Date().addingTimeInterval(25 * 3_600))
        let again = try server.requests().dropFirst(before)
        #expect(again.map(\.path) == ["/robots.txt"])   // RFC 9309 §2.4: robots.txt cached at most 24 hours
    }

    @Test func rejectsRowsWhoseStatusIsListedInRejectOn() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["gone.test", "acme.test"], options: server.options(["reject_on": .list([.string("http_4xx")])]))
        let gone = try #require(run.records.first { $0.values[0] == "gone.test" })
        #expect(gone.disposition == .rejected(Rejection(reason: WebStatus.http4xx.reasonCode, stage: "scrape", detail: "http://gone.test/")))
        #expect(run.records.first { $0.values[0] == "acme.test" }?.isActive == true)
    }

    @Test func leavesRejectedRowsAlone() throws {
        let server = try FixtureSiteServer()
        var schema = Schema(inputColumns: ["Website"])
        let stage = try ScrapeStage(options: OptionValues(schema: ScrapeStage.descriptor.options, given: server.options()),
                                    context: StageContext(pipelineFile: "t.yml"))
        let bound = try stage.bound(schema: &schema, columns: ColumnBindings([.website: ColumnIndex(0)]))
        var records = [Record(values: ["acme.test"], line: 2, disposition: .merged(intoLine: 1))]
        try bound.run(&records)
        #expect(records[0][schema.index(of: "web_status")] == "")
        #expect(try server.requests().isEmpty)
    }

    @Test(arguments: [
        ("max_age", OptionValue.string("a week")),
        ("concurrency", .integer(0)),
        ("user_agent", .string("/1.0")),
        ("resolve", .list([.string("acme.test")])),
        ("fingerprints", .string("/nonexistent/technologies.json")),
        ("min_tech_confidence", .integer(101)),
    ])
    func refusesUnusableOptionsAtTheOption(option: String, value: OptionValue) {
        let values = OptionValues(schema: ScrapeStage.descriptor.options, given: [option: value])
        #expect(throws: OptionProblem.self) {
            do {
                _ = try ScrapeStage(options: values, context: StageContext(pipelineFile: "t.yml", isLintOnly: true))
            } catch let problem as OptionProblem {
                #expect(problem.option == option)
                throw problem
            }
        }
    }
}
