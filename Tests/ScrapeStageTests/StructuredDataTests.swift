import Foundation
import PipelineSpec
@testable import ScrapeStage
import Testing

@Suite("Organization facts from JSON-LD subtypes, microdata and address text")
struct StructuredDataTests {
    @Test func readsJSONLDWhoseTypeIsAnOrganizationSubtype() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["autorepair.test", "hvac.test"], options: server.options())
        #expect(run.value("web_legal_name", for: "autorepair.test") == "Fix-It Garage LLC")
        #expect(run.value("web_founded", for: "autorepair.test") == "1998")
        #expect(run.value("web_employees", for: "autorepair.test") == "10-20")
        #expect(run.value("web_street", for: "autorepair.test") == "400 Motor Ave")
        #expect(run.value("web_postcode", for: "autorepair.test") == "48201")
        #expect(run.value("web_company_name", for: "hvac.test") == "Cool Air Services")
        #expect(run.value("web_legal_name", for: "hvac.test") == "Cool Air Services Ltd")
    }

    @Test(arguments: ["AutoRepair", "HVACBusiness", "OnlineStore", "Bakery", "Attorney", "AccountingService",
                      "https://schema.org/Dentist", "schema:Corporation", "http://schema.org/NGO"])
    func knowsTheOrganizationSubtree(type: String) {
        #expect(SchemaOrgTypes.isOrganization(type))
    }

    @Test(arguments: ["Person", "WebSite", "Product", "PostalAddress", "Place"])
    func knowsWhatIsNoOrganization(type: String) {
        #expect(!SchemaOrgTypes.isOrganization(type))
    }

    @Test func readsMicrodataAndSkipsThePersonItem() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["microdata.test"], options: server.options())
        let site = "microdata.test"
        #expect(run.value("web_company_name", for: site) == "Crumb & Co")
        #expect(run.value("web_legal_name", for: site) == "Crumb and Company Ltd")
        #expect(run.value("web_founded", for: site) == "1987")
        #expect(run.value("web_employees", for: site) == "14")
        #expect(run.value("web_street", for: site) == "3 Flour Lane")
        #expect(run.value("web_city", for: site) == "Bath")
        #expect(run.value("web_postcode", for: site) == "BA1 1AA")
        #expect(run.value("web_country", for: site) == "GB")
        #expect(run.value("web_phone", for: site) == "+44 1225 496000")
        #expect(run.value("web_instagram", for: site) == "https://www.instagram.com/crumbandco")
    }

    @Test func readsAPostalAddressWrittenAsPlainText() throws {
        let server = try FixtureSiteServer()
        let run = try ScrapeRun(websites: ["addresstext.test", "usaddress.test"], options: server.options())
        #expect(run.value("web_street", for: "addresstext.test") == "Hauptstraße 5")
        #expect(run.value("web_postcode", for: "addresstext.test") == "20095")
        #expect(run.value("web_city", for: "addresstext.test") == "Hamburg")
        #expect(run.value("web_country", for: "addresstext.test") == "Germany")
        #expect(run.value("web_street", for: "usaddress.test") == "77 Industrial Pkwy")
        #expect(run.value("web_city", for: "usaddress.test") == "Dayton")
        #expect(run.value("web_region", for: "usaddress.test") == "OH")
        #expect(run.value("web_postcode", for: "usaddress.test") == "45402")
        #expect(run.value("web_country", for: "usaddress.test") == "USA")
    }

    @Test(arguments: [
        (["10 Downing Street", "London SW1A 2AA", "United Kingdom"], "10 Downing Street", "London", "SW1A 2AA"),
        (["Keizersgracht 1", "1015 CJ Amsterdam"], "Keizersgracht 1", "Amsterdam", "1015 CJ"),
        (["Acme Anvils Inc.", "1 Canyon Road", "Phoenix, AZ 85001"], "1 Canyon Road", "Phoenix", "85001"),
    ])
    func readsCommonAddressLayouts(lines: [String], street: String, city: String, postcode: String) {
        let address = PostalAddressText.parse(lines)
        #expect(address["streetAddress"] == street)
        #expect(address["addressLocality"] == city)
        #expect(address["postalCode"] == postcode)
    }

    @Test func guessesNothingFromTextWithoutAPostcode() {
        #expect(PostalAddressText.parse(["Visit us downtown", "Open 9 to 5"]).isEmpty)
    }
}
