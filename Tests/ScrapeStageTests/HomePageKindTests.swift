import Foundation
import LeadRecords
import PipelineSpec
@testable import ScrapeStage
import Testing

@Suite("Meta refresh, base href, and home pages that are no company site")
struct HomePageKindTests {
    @Test func followsAMetaRefreshLikeARedirectAndReadsOnlyItsTarget() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["refresh.test"], options: server.options())
        #expect(run.value("web_status", for: "refresh.test") == "redirected")
        #expect(run.value("web_redirect_domain", for: "refresh.test") == "newco.test")
        #expect(run.value("web_final_url", for: "refresh.test") == "http://www.newco.test/welcome")
        #expect(run.value("web_company_name", for: "refresh.test") == "NewCo")
        // Nothing from the "…is now part of…" page itself.
        #expect(!run.value("web_emails", for: "refresh.test").contains("old@refresh.test"))
        #expect(!run.value("web_phones", for: "refresh.test").contains("7777"))
        #expect(run.summary("redirects_fetched") == .integer(0))   // a meta refresh is a page answer, not a 3xx
    }

    @Test(arguments: [
        ("0; url=https://newco.test/", "https://newco.test/"), ("5;URL='/moved'", "/moved"), ("0, /moved", "/moved"),
        ("  3 ; Url = \"a b.html\" ", "a b.html"), ("0;https://x.test/", "https://x.test/"), ("1.5; url=/x", "/x"),
    ])
    func readsTheTargetOfAMetaRefresh(content: String, target: String) {
        #expect(MetaRefresh.target(content) == target)
    }

    @Test(arguments: ["300", "", "url=/x", "0; url=", "soon; url=/x"])
    func findsNoTargetInAPlainReloadOrAMalformedRefresh(content: String) {
        #expect(MetaRefresh.target(content) == nil)
    }

    @Test func stopsAMetaRefreshLoop() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["refreshloop.test"], options: server.options())
        #expect(run.value("web_status", for: "refreshloop.test") == "too_many_redirects")
        #expect(try server.requests().filter { $0.host == "refreshloop.test" }.map(\.path) == ["/robots.txt", "/", "/b"])
    }

    @Test func readsAPageThatOnlyRefreshesItself() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["selfrefresh.test"], options: server.options())
        #expect(run.value("web_status", for: "selfrefresh.test") == "ok")
        #expect(run.value("web_company_name", for: "selfrefresh.test") == "Ticker Ltd")
        #expect(run.value("web_email", for: "selfrefresh.test") == "desk@selfrefresh.test")
    }

    @Test func checksAMetaRefreshTargetAgainstTheAddressPolicy() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["refreshprivate.test"], options: [
            "default_scheme": .string("http"),
            "allow_addresses": .list([.string("127.0.0.1")]),
            "connect_to": .list([.string("refreshprivate.test:80:127.0.0.1:\(server.port)")]),
            "resolve": .list([.string("chain-private.test:80:10.0.0.7")]),
            "connect_timeout_ms": .integer(2_000),
            "delay_ms": .integer(0),
        ])
        #expect(run.value("web_status", for: "refreshprivate.test") == "blocked_private")
    }

    @Test func resolvesLinksAgainstTheBaseHref() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["basehref.test"], options: server.options(["paths": .list([])]))
        #expect(run.value("web_email", for: "basehref.test") == "info@basehref.test")
        let paths = try server.requests().filter { $0.host == "basehref.test" }.map(\.path)
        #expect(paths.contains("/en/about.html"))
        #expect(paths.contains("/en/contact/"))
        #expect(!paths.contains("/about.html"))
    }

    @Test(arguments: ["parked.test", "forsale.test"])
    func reportsAParkedDomainAndExtractsNothingFromIt(website: String) throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: [website], options: server.options())
        #expect(run.value("web_status", for: website) == "parked")
        #expect(run.value("web_http_status", for: website) == "200")
        for column in ["web_company_name", "web_title", "web_email", "web_phone", "web_sources"] {
            #expect(run.value(column, for: website) == "", "\(column)")
        }
        #expect(run.value("web_pages", for: website) == "0")
        #expect(try server.requests().filter { $0.host == website }.map(\.path) == ["/robots.txt", "/"])
    }

    @Test func doesNotCallACompanyPageThatMentionsDomainSalesParked() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["acme.test"], options: server.options())
        #expect(run.value("web_status", for: "acme.test") == "ok")
    }

    @Test(arguments: ["pdfhome.test", "pdfmislabeled.test"])
    func reportsAHomePageThatIsNotHTML(website: String) throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: [website], options: server.options())
        #expect(run.value("web_status", for: website) == "not_html")
        #expect(run.value("web_company_name", for: website) == "")
        #expect(run.value("web_pages", for: website) == "0")
    }

    @Test(arguments: ["bigheader.test", "manyheaders.test"])
    func reportsAHugeResponseHeaderAsSuch(website: String) throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: [website], options: server.options(["reject_on": .list([.string("header_too_large")])]))
        #expect(run.value("web_status", for: website) == "header_too_large")
        #expect(run.records.first?.disposition == .rejected(Rejection(reason: WebStatus.headerTooLarge.reasonCode, stage: "scrape",
                                                                       detail: "")))
    }
}
