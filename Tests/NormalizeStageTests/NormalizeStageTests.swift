import LeadRecords
@testable import NormalizeStage
import PipelineSpec
import Testing

@Suite("normalize")
struct NormalizeStageTests {
    /// Runs the stage over one row of `fields` (canonical field → value) and returns the added columns.
    func normalize(_ fields: [(CanonicalField, String)], options: [String: OptionValue] = [:]) throws -> [String: String] {
        var schema = Schema(inputColumns: fields.map(\.0.name))
        var bindings = ColumnBindings()
        for (i, field) in fields.enumerated() { bindings[field.0] = ColumnIndex(i) }
        let stage = try NormalizeStage(options: OptionValues(schema: NormalizeStage.descriptor.options, given: options),
                                       context: StageContext(pipelineFile: "t.yml"))
        let bound = try stage.bound(schema: &schema, columns: bindings)
        var records = [Record(values: fields.map(\.1) + Array(repeating: "", count: schema.count - fields.count), line: 2)]
        try bound.run(&records)
        var out: [String: String] = [:]
        for (i, name) in schema.columns.enumerated() { out[name] = records[0].values[i] }
        return out
    }

    @Test(arguments: [
        ("JOHN O'BRIEN", "John O'Brien"), ("mary-jane mcdonald", "Mary-Jane McDonald"), ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("DeShawn", "DeShawn"), ("van der Berg", "van der Berg"), ("ÉLODIE", "Élodie"), ("  ann   lee ", "Ann Lee"),
    ])
    func recasesNamesTypedInOneCaseOnly(raw: String, expected: String) throws {
        #expect(try normalize([(.fullName, raw)])["norm_full_name"] == expected)
    }

    @Test(arguments: [
        ("Acme, Inc.", "acme"), ("ACME Incorporated", "acme"), ("The Acme Company", "acme"), ("Müller GmbH & Co. KG", "muller"),
        ("Globex S.A.", "globex"), ("Initech Pty Ltd", "initech"), ("Soylent Corp.", "soylent"), ("Inc", "inc"), ("3M Co", "3m"),
        ("Acme Group", "acme"), ("AT&T", "at and t"),
    ])
    func keysCompaniesWithoutLegalSuffixes(raw: String, expected: String) throws {
        #expect(try normalize([(.company, raw)])["norm_company_key"] == expected)
    }

    @Test(arguments: [
        ("(415) 555-0134", "US", "+14155550134"), ("1 415 555 0134", "US", "+14155550134"), ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", "", "+442079460958"), ("0044 20 7946 0958", "", "+442079460958"), ("030 1234567", "DE", "+49301234567"),
        ("06 12 34 56 78", "FR", "+33612345678"), ("+1 415 555 0134 ext. 12", "", "+14155550134"), ("02 1234 5678", "IT", "+390212345678"),
        // `(0)` is the trunk prefix even where the number would fit with it (German numbers are 4 to 15 digits long).
        ("+49 (0)30 1234567", "", "+49301234567"), ("0049 (0)30 1234567", "DE", "+49301234567"), ("+41 (0)44 668 18 00", "", "+41446681800"),
        // Fullwidth digits as Japanese and Chinese input methods type them, and a `tel:` link.
        ("０３－１２３４－５６７８", "JP", "+81312345678"), ("＋４９　３０　１２３４５６７", "", "+49301234567"),
        ("tel:+49301234567", "", "+49301234567"), ("TEL:030 1234567", "DE", "+49301234567"),
    ])
    func writesPhonesInE164WhenTheCountryIsKnown(raw: String, country: String, expected: String) throws {
        let out = try normalize([(.phone, raw), (.country, country)])
        #expect(out["norm_phone"] == expected)
        #expect(out["norm_issues"] == "")
    }

    @Test func flagsPhonesItCannotRead() throws {
        #expect(try normalize([(.phone, "555-0134 call me"), (.country, "US")])["norm_issues"] == "phone_invalid")
        #expect(try normalize([(.phone, "4155550134")])["norm_issues"] == "phone_needs_country")
        #expect(try normalize([(.phone, "4155550134")], options: ["default_country": .string("US")])["norm_phone"] == "+14155550134")
    }

    @Test(arguments: [
        ("USA", "US"), ("united states of america", "US"), ("U.K.", "GB"), ("Deutschland", "DE"), ("deu", "DE"),
        ("España", "ES"), ("espana", "ES"), ("Côte d'Ivoire", "CI"), ("Holland", "NL"), ("jp", "JP"),
    ])
    func mapsCountryNamesAndCodesToAlpha2(raw: String, expected: String) throws {
        #expect(try normalize([(.country, raw)])["norm_country"] == expected)
    }

    @Test func flagsUnknownCountries() throws {
        let out = try normalize([(.country, "Atlantis")])
        #expect(out["norm_country"] == "")
        #expect(out["norm_issues"] == "country_unknown")
    }

    @Test(arguments: [
        ("HTTP://WWW.Acme.com/?utm_source=x&id=7#top", "http://www.acme.com?id=7", "acme.com"),
        ("www.shop.acme.co.uk/about/", "https://www.shop.acme.co.uk/about", "acme.co.uk"),
        ("bücher.de", "https://xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("https://user:pw@acme.com:8443/x", "https://acme.com:8443/x", "acme.com"),
        ("http://Acme.com:8080/", "http://acme.com:8080", "acme.com"),
        ("https://acme.com:443/x", "https://acme.com/x", "acme.com"),
        ("http://acme.com:443/", "http://acme.com:443", "acme.com"),
        ("acme.com:80", "http://acme.com", "acme.com"),
        ("acme.com:08080/x", "https://acme.com:8080/x", "acme.com"),
        ("//cdn.acme.io/x", "https://cdn.acme.io/x", "acme.io"),
        ("//user@cdn.acme.io:8080/x/", "https://cdn.acme.io:8080/x", "acme.io"),
        ("  //www.acme.com  ", "https://www.acme.com", "acme.com"),
    ])
    func canonicalizesWebsitesAndFindsTheRegistrableDomain(raw: String, url: String, domain: String) throws {
        let out = try normalize([(.website, raw)])
        #expect(out["norm_website"] == url)
        #expect(out["norm_domain"] == domain)
    }

    @Test(arguments: ["http://acme.com:0/", "acme.com:65536", "https://acme.com:99999999999999999999/"])
    func flagsWebsitesWhosePortIsNoTCPPort(raw: String) throws {
        let out = try normalize([(.website, raw)])
        #expect(out["norm_website"] == "")
        #expect(out["norm_issues"] == "website_unparseable")
    }

    @Test func takesTheDomainFromTheEmailButNotFromFreeMail() throws {
        #expect(try normalize([(.email, " Ann@Sales.Acme.COM ")])["norm_domain"] == "acme.com")
        #expect(try normalize([(.email, "ann@gmail.com")])["norm_domain"] == "")
        #expect(try normalize([(.email, "ann@gmail.com")])["norm_email"] == "ann@gmail.com")
    }

    @Test func cleansEmailsAndAppliesNFC() throws {
        let decomposed = "Jose\u{301}@Example.com"
        let out = try normalize([(.email, "mailto:<\(decomposed)>"), (.company, "  Café\u{00A0} \t Noir  ")])
        #expect(out["norm_email"] == "jos\u{E9}@example.com")
        #expect(out["norm_company"] == "Café Noir")
    }

    @Test func dropsAByteOrderMarkOrZeroWidthSpacePastedAroundAnEmailButNotInsideIt() throws {
        #expect(try normalize([(.email, "\u{FEFF}Ann@Acme.com\u{200B}")])["norm_email"] == "ann@acme.com")
        #expect(try normalize([(.email, "\u{A0}\u{2060} ann@acme.com")])["norm_email"] == "ann@acme.com")
        #expect(try normalize([(.email, "ann\u{200B}@acme.com")])["norm_email"] == "ann\u{200B}@acme.com")
    }

    @Test func keepsOriginalsUnlessOverwriteIsSet() throws {
        var schema = Schema(inputColumns: ["Email"])
        var bindings = ColumnBindings()
        bindings[.email] = ColumnIndex(0)
        for overwrite in [false, true] {
            let stage = try NormalizeStage(options: OptionValues(schema: NormalizeStage.descriptor.options, given: ["overwrite": .bool(overwrite)]),
                                           context: StageContext(pipelineFile: "t.yml"))
            let bound = try stage.bound(schema: &schema, columns: bindings)
            var records = [Record(values: ["ANN@X.COM"] + Array(repeating: "", count: schema.count - 1), line: 2)]
            try bound.run(&records)
            #expect(records[0].values[0] == (overwrite ? "ann@x.com" : "ANN@X.COM"))
        }
    }

    @Test func refusesAnUnknownDefaultCountry() {
        #expect(throws: OptionProblem.self) {
            _ = try NormalizeStage(options: OptionValues(schema: NormalizeStage.descriptor.options, given: ["default_country": .string("Narnia")]),
                                   context: StageContext(pipelineFile: "t.yml"))
        }
    }

    @Test func leavesRejectedRecordsAlone() throws {
        var schema = Schema(inputColumns: ["Email"])
        var bindings = ColumnBindings()
        bindings[.email] = ColumnIndex(0)
        let stage = try NormalizeStage(options: OptionValues(schema: NormalizeStage.descriptor.options), context: StageContext(pipelineFile: "t"))
        let bound = try stage.bound(schema: &schema, columns: bindings)
        var records = [Record(values: ["A@X.COM"] + Array(repeating: "", count: schema.count - 1), line: 2)]
        records[0].reject(.csvStrayQuote, stage: "input")
        try bound.run(&records)
        #expect(records[0].values.dropFirst().allSatisfy { $0.isEmpty })
    }
}
