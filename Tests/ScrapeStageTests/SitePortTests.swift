import Foundation
import PipelineSpec
import ScrapeStage
import Testing

/// The fixture server listens on an ephemeral port; these sites are written with that port and reach
/// it only through `resolve` (name → 127.0.0.1), never `connect_to`, so a dropped port would go to port 80.
@Suite("Sites on a non-default port")
struct SitePortTests {
    private func options(_ server: FixtureSiteServer, _ hosts: [String]) -> [String: OptionValue] {
        [
            "resolve": .list(hosts.map { .string("\($0):\(server.port):127.0.0.1") }),
            "allow_private": .bool(true),
            "default_scheme": .string("http"),
            "delay_ms": .integer(0),
            "timeout_ms": .integer(3_000),
        ]
    }

    @Test func crawlsASiteOnItsPortThroughARelativeRedirectAndRobotsTxt() throws {
        let server = try FixtureSiteServer()
        let website = "http://portco.test:\(server.port)/"
        let run = try ScrapeRun(websites: [website], options: options(server, ["portco.test"]))
        #expect(run.value("web_status", for: website) == "ok")
        #expect(run.value("web_final_url", for: website) == "http://portco.test:\(server.port)/en/")
        #expect(run.value("web_company_name", for: website) == "Portco Systems")
        #expect(run.value("web_email", for: website) == "cranes@portco.test")   // from /en/about, resolved against /en/
        #expect(run.value("web_phone", for: website) == "+31105550123")
        let paths = try server.requests().map(\.path)
        #expect(paths.first == "/robots.txt")
        #expect(paths.contains("/en/about"))
        #expect(!paths.contains("/private/x"))   // the port's robots.txt was read and obeyed
    }

    @Test func keepsThePortOfAWebsiteWrittenWithoutAScheme() throws {
        let server = try FixtureSiteServer()
        let website = "portco.test:\(server.port)"
        let run = try ScrapeRun(websites: [website], options: options(server, ["portco.test"]))
        #expect(run.value("web_status", for: website) == "ok")
        #expect(run.value("web_company_name", for: website) == "Portco Systems")
    }

    @Test func followsAnAbsoluteRedirectToAnotherSiteOnAPort() throws {
        let server = try FixtureSiteServer()
        let website = "http://portmove.test:\(server.port)"
        let run = try ScrapeRun(websites: [website], options: options(server, ["portmove.test", "portco.test"]))
        #expect(run.value("web_status", for: website) == "redirected")
        #expect(run.value("web_redirect_domain", for: website) == "portco.test")
        #expect(run.value("web_final_url", for: website) == "http://portco.test:\(server.port)/en/")
        #expect(run.value("web_company_name", for: website) == "Portco Systems")
    }

    @Test func treatsTwoPortsOfOneDomainAsTwoSites() throws {
        let server = try FixtureSiteServer()
        let onPort = "http://portco.test:\(server.port)"
        let run = try ScrapeRun(websites: [onPort, "portco.test"],
                                options: options(server, ["portco.test"]).merging(["connect_timeout_ms": .integer(1_000)]) { $1 })
        #expect(run.value("web_status", for: onPort) == "ok")
        // Port 80 of portco.test is not pinned to anything: it does not resolve, and is reported so.
        #expect(run.value("web_status", for: "portco.test") == "dns_failure")
        #expect(run.summary("sites") == .integer(2))
    }

    @Test(arguments: ["http://portco.test:0/", "portco.test:70000"])
    func refusesAPortThatIsNoTCPPort(website: String) throws {
        let run = try ScrapeRun(websites: [website], options: [:])
        #expect(run.value("web_status", for: website) == "invalid_url")
    }
}
