import Foundation
import PipelineSpec
import ScrapeStage
import Testing

@Suite("Values that look like the company's but are not")
struct DecoyTests {
    private func run() throws -> ScrapeRun {
        let server = try FixtureSiteServer()
        return try ScrapeRun(websites: ["decoy.test"], options: server.options(["max_pages": .integer(1)]))
    }

    @Test func leavesOutTheWebAgencyCreditedInTheFooter() throws {
        let emails = Set(try run().value("web_emails", for: "decoy.test").split(separator: ";").map(String.init))
        #expect(emails == ["info@decoy.test", "sales@decoy.test", "web@decoy.test"])   // the own-domain credit stays
    }

    @Test func leavesOutFaxNumbersAndNeverGluesTheNextLinesDigits() throws {
        let phones = try run().value("web_phones", for: "decoy.test").split(separator: ";").map(String.init)
        #expect(phones == ["+442079460111", "+44 20 7946 0100", "(555) 010-4242", "+1 555 010 0142"])
    }

    @Test func takesTheCompanysSocialProfilesNotAStaffMembersOrTheAgencys() throws {
        let run = try run()
        #expect(run.value("web_twitter", for: "decoy.test") == "https://twitter.com/decoycoatings")
        #expect(run.value("web_facebook", for: "decoy.test") == "https://www.facebook.com/decoycoatings")
    }
}
