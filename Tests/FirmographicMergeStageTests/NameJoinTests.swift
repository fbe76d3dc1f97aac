import FirmographicMergeStage
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

/// The company-name join for leads without a domain: look-alike names of other companies never
/// lend their data, the best company across all sources wins, and a tie is left unjoined.
@Suite("firmographic_merge name join")
struct NameJoinTests {
    /// Runs the stage on `leads` (one company name per line, no domain) against reference files
    /// given as `company_name,domain,linkedin_url` rows; returns each lead's joined LinkedIn page.
    func join(_ leads: [String], sources: [(name: String, rows: String)], extra: String = "")
        throws -> (pages: [String], match: [String], sources: [String], summary: [(String, ReportValue)]) {
        try withTemporaryDirectory { dir in
            var yaml = "sources:\n"
            for source in sources {
                let path = try dir.write(source.name + ".csv", "company_name,domain,linkedin_url\n" + source.rows)
                yaml += "  - { name: \(source.name), path: \(path) }\n"
            }
            let options = try StageFixture.options(yaml + extra, stage: FirmographicMergeStage.descriptor)
            let built = try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml"))
            var (schema, records) = StageFixture.table("Company|Email\n" + leads.map { $0 + "|" }.joined(separator: "\n"))
            var bindings = ColumnBindings()
            bindings[.company] = schema.index(of: "Company")
            bindings[.email] = schema.index(of: "Email")
            let stage = try built.bind(schema: &schema, columns: bindings)
            for i in records.indices { records[i].values += Array(repeating: "", count: schema.count - records[i].values.count) }
            let summary = stage.processReporting(&records)
            let column = { (name: String) in records.map { $0[schema.index(of: name)!] } }
            return (column("firmo_linkedin_url"), column("firmo_match"), column("firmo_match_sources"), summary)
        }
    }

    static func element(_ value: ReportValue?, _ i: Int) -> ReportValue? {
        guard case .array(let items)? = value, items.indices.contains(i) else { return nil }
        return items[i]
    }

    @Test func aLongerNameIsAnotherCompany() throws {
        let result = try join(["Robinson, Black and Robbins", "Wood, Collier and Hamilton"], sources: [("ref", """
            "Robinson, Black and Robbins Studio",,studio
            "Wood, Collier and Hamilton Consulting",,consulting
            """)])
        #expect(result.pages == ["", ""])
        #expect(result.match == ["", ""])
    }

    @Test(arguments: [
        ("Cook and Sons", "Cooper & Sons"),
        ("Rogers Group", "Roger"),
        ("Jones-Hardy", "Jones-Kay"),
        ("Brunet", "Brun"),
        ("Davis, Ramirez and Brock", "\"Davis, Ramirez and Duncan\""),
        ("Mason Inc", "Jason Inc"),
        ("Davis-Perez", "Perez-Davis"),        // the same words in another order
    ])
    func aNearNameOfAnotherCompanyIsNotJoined(lead: String, reference: String) throws {
        let result = try join([lead], sources: [("ref", reference + ",,other\n")])
        #expect(result.pages == [""])
    }

    @Test func theSameCompanyWrittenAnotherWayOrWithATypoIsJoined() throws {
        let result = try join([
            "ROBINSON BLACK & ROBBINS LLC",    // case, punctuation, & and a legal form
            "The Robinson, Black and Robbins Group",
            "Robinson, Blakc and Robbins",     // a typo in a five-letter word
            "Hamiltom-Collier Inc.",            // a typo, and the hyphen read as a space
            "Hamilton Collier International",   // a generic word more
            "Robinson Black and Robbins Incc",  // a typo in the legal form
        ], sources: [("ref", """
            "Robinson, Black and Robbins",,rbr
            "Robinson, Black and Robbins Studio",,studio
            Hamilton Collier Ltd,,hc
            """)])
        #expect(result.pages == ["rbr", "rbr", "rbr", "hc", "hc", "rbr"])
        #expect(result.match == ["name", "name", "name", "name", "name", "name"])
        let nameMatch = try #require(result.summary.first { $0.0 == "name_match" }?.1)
        #expect(nameMatch["kinds"] == .object([("exact_key", .integer(2)), ("same_words", .integer(2)), ("typo", .integer(2))]))
    }

    @Test func aWordTheReferencesKnowIsTakenAsWrittenNotAsATypo() throws {
        // "Johnson" is one letter from "Johnston", but several reference companies use each: two names.
        let reference = "Johnston Limited,,johnston\nJohnston Media,,jm\nJohnson Media,,media\nJohnson Partners,,jp\n"
        let result = try join(["Johnson Ltd", "Jonhson Ltd", "Jonhston Ltd"], sources: [("ref", reference)])
        #expect(result.pages == ["", "", "johnston"])
        // A word only one company uses may be that company's typo.
        let rare = try join(["Johnson Ltd"], sources: [("ref", "Johnston Limited,,johnston\nJohnson Media,,media\n")])
        #expect(rare.pages == ["johnston"])
    }

    @Test func anEqualKeyInALaterSourceBeatsANearNameInTheFirst() throws {
        let result = try join(["Morris LLC", "Mason Inc"], sources: [
            ("first", "The Morrison Group,,morrison\nMasson PLC,,masson\n"),
            ("second", "MORRIS LLC B.V.,,morris\nMason Inc,,mason\n"),
        ])
        #expect(result.pages == ["morris", "mason"])
        #expect(result.sources == ["second", "second"])
    }

    @Test func aCompanyInEverySourceTakesItsFieldsFromAllOfThem() throws {
        let result = try join(["Globex Corporation"], sources: [
            ("first", "Globex,,\n"),
            ("second", "GLOBEX INC,,globex-page\n"),
        ])
        #expect(result.pages == ["globex-page"])
        #expect(result.sources == ["first,second"])
    }

    @Test func twoCompaniesOfOneNameAreNotJoinedButReported() throws {
        let result = try join(["Acme", "Globex"], sources: [("ref", """
            Acme Inc,acme.com,acme-inc
            Acme LLC,acme.io,acme-llc
            Globex,,globex
            """)])
        #expect(result.pages == ["", "globex"])
        #expect(result.match == ["ambiguous", "name"])
        let ambiguous = try #require(result.summary.first { $0.0 == "ambiguous" }?.1)
        #expect(ambiguous["total"] == .integer(1))
        #expect(ambiguous["sample"] == .array([.object([
            ("line", .integer(2)), ("lead_name", .string("Acme")), ("candidates", .array([.string("Acme Inc (ref)")])),
            ("reason", .string("same_name_different_domains")),
        ])]))
        #expect(result.summary.first { $0.0 == "unmatched" }?.1 == .integer(0))
    }

    @Test func twoCompaniesEquallyNearAreNotJoined() throws {
        let result = try join(["Marten Foods"], sources: [("ref", "Martin Foods,,martin\nMartyn Foods,,martyn\n")])
        #expect(result.pages == [""])
        #expect(result.match == ["ambiguous"])
        let ambiguous = try #require(result.summary.first { $0.0 == "ambiguous" }?.1)
        #expect(Self.element(ambiguous["sample"], 0)?["reason"] == .string("equally_near"))
        #expect(Self.element(ambiguous["sample"], 0)?["candidates"]
                == .array([.string("Martin Foods (ref)"), .string("Martyn Foods (ref)")]))
    }

    @Test func theReportCountsScoresAndShowsTheWeakestAcceptedMatches() throws {
        let result = try join(["Globex", "Hamiltom Collier", "Initech Group"], sources: [("ref", """
            Globex Inc,,globex
            Hamilton Collier,,hc
            Initech,,initech
            """)])
        let nameMatch = try #require(result.summary.first { $0.0 == "name_match" }?.1)
        let scores = try #require(nameMatch["scores"])
        #expect(scores["1"] == .integer(2))
        let weakest = try #require(Self.element(nameMatch["weakest"], 0))
        #expect(weakest["lead_name"] == .string("Hamiltom Collier"))
        #expect(weakest["reference_name"] == .string("Hamilton Collier"))
        #expect(weakest["match"] == .string("typo"))
        let score = try #require(weakest["score"].flatMap { value -> Double? in if case .number(let n) = value { n } else { nil } })
        #expect(score > 0.85 && score < 1)
        #expect(Self.element(nameMatch["weakest"], 2)?["score"] == .number(1))
    }

    @Test func withNameMatchingOffOnlyAnEqualKeyJoinsANameSource() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("names.csv", "company_name,linkedin_url\nHamilton Collier,hc\n")
            let options = try StageFixture.options("""
                sources: [{ name: names, path: \(path), key: name }]
                name_match: { enabled: false }
                """, stage: FirmographicMergeStage.descriptor)
            let built = try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml"))
            var (schema, records) = StageFixture.table("Company|Website\nHAMILTON COLLIER LLC|hc.com\nHamiltom Collier|hc.com")
            var bindings = ColumnBindings()
            bindings[.company] = schema.index(of: "Company")
            bindings[.website] = schema.index(of: "Website")
            let stage = try built.bind(schema: &schema, columns: bindings)
            for i in records.indices { records[i].values += Array(repeating: "", count: schema.count - records[i].values.count) }
            stage.process(&records)
            #expect(records.map { $0[schema.index(of: "firmo_linkedin_url")!] } == ["hc", ""])
        }
    }
}
