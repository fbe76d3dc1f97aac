import Foundation
import Testing
import Web

@Suite("robots.txt per RFC 9309")
struct RobotsPolicyTests {
    static let agent = "LeadHygiene/1.0 (+https://example.test/bot)"

    @Test(arguments: [
        // (robots.txt, path, allowed)
        ("User-agent: *\nDisallow: /private/\n", "/private/x", false),
        ("User-agent: *\nDisallow: /private/\n", "/public", true),
        ("User-agent: *\nDisallow: /\n", "/robots.txt", true),                          // always allowed
        ("User-agent: *\nDisallow: /\nAllow: /about\n", "/about/team", true),           // longer allow wins
        ("User-agent: *\nAllow: /p\nDisallow: /p\n", "/page", true),                   // tie: allow wins
        ("User-agent: *\nDisallow: /folder/\nAllow: /folder/page\n", "/folder/page.html", true),
        ("User-agent: *\nAllow: /folder/\nDisallow: /folder/p\n", "/folder/page", false),
        ("User-agent: *\nDisallow: /*.pdf$\n", "/files/report.pdf", false),
        ("User-agent: *\nDisallow: /*.pdf$\n", "/files/report.pdf?x=1", true),
        ("User-agent: *\nDisallow: /a*c\n", "/abbbc/d", false),
        ("User-agent: *\nDisallow:\n", "/anything", true),                              // empty disallow = nothing
        ("User-agent: *\nDisallow: /search?q=\n", "/search?q=anvils", false),
        ("User-agent: *\nDisallow: /%7Euser\n", "/~user/page", false),                 // percent-encoding compared
        ("# comment\nUSER-AGENT: *  # all\nDISALLOW: /x # no x\n", "/x/y", false),     // case, comments
        ("User-agent: googlebot\nDisallow: /\n", "/page", true),                        // group for someone else
        ("User-agent: LeadHygiene\nDisallow: /secret\n\nUser-agent: *\nDisallow: /\n", "/page", true), // our group only
        ("User-agent: LeadHygiene\nDisallow: /secret\n\nUser-agent: *\nDisallow: /\n", "/secret/a", false),
        ("User-agent: other\nUser-agent: leadhygiene\nDisallow: /shared\n", "/shared/a", false), // group of two agents
        ("User-agent: leadhygiene\nDisallow: /a\n\nUser-agent: leadhygiene\nDisallow: /b\n", "/b", false), // groups merge
        ("User-agent: *\nDisallow: /x\nSitemap: https://s.test/sitemap.xml\nDisallow: /y\n", "/y", false),
    ])
    func decidesLikeTheRFC(robots: String, path: String, allowed: Bool) {
        let policy = RobotsPolicy(text: robots, userAgent: Self.agent)
        #expect(policy.allows(path) == allowed)
    }

    @Test(arguments: [
        (404, true), (403, true), (410, true), (500, false), (503, false),
    ])
    func appliesTheStatusRules(status: Int, allowsEverything: Bool) {
        let fetch = FetchResult(requestedURL: "http://a.test/robots.txt", url: "http://a.test/robots.txt", status: status)
        let policy = RobotsPolicy(fetch: fetch, userAgent: Self.agent)
        #expect(policy.allows("/page") == allowsEverything)
        #expect(policy.allows("/robots.txt"))
    }

    @Test func treatsAnUnreachableServerAsDisallowingEverything() {
        let fetch = FetchResult(requestedURL: "http://a.test/robots.txt", url: "http://a.test/robots.txt", failure: .timeout)
        #expect(!RobotsPolicy(fetch: fetch, userAgent: Self.agent).allows("/"))
    }

    @Test func parsesAtLeast500KiB() {
        let filler = String(repeating: "# padding line to push the rule far down the file\n", count: 10_300)
        #expect(filler.utf8.count > 500 * 1024)
        let policy = RobotsPolicy(text: "User-agent: *\n" + filler + "Disallow: /late\n", userAgent: Self.agent)
        #expect(!policy.allows("/late"))
    }

    @Test func readsTheProductTokenOfTheUserAgent() {
        #expect(RobotsPolicy.productToken("LeadHygiene/1.0 (+https://x)") == "leadhygiene")
    }

    @Test func followsRedirectsOfRobotsTxtAndObeysTheTarget() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://robots-redirect.test/robots.txt", server.configuration(), maxRedirects: 5)
        #expect(result.redirects.count == 1)
        let policy = RobotsPolicy(fetch: result, userAgent: Self.agent)
        #expect(!policy.allows("/secret/about"))
        #expect(policy.allows("/"))
    }

    @Test func disallowsEverythingWhenRobotsTxtAnswers500() throws {
        let server = try FixtureSiteServer()
        let result = fetchOne("http://robots-error.test/robots.txt", server.configuration())
        #expect(result.status == 500)
        #expect(!RobotsPolicy(fetch: result, userAgent: Self.agent).allows("/"))
    }
}
