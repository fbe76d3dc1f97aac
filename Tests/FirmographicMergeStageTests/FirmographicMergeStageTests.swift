import Foundation
import FirmographicMergeStage
import LeadRecords
import PipelineSpec
import Testing
import TestSupport

@Suite("firmographic_merge")
struct FirmographicMergeStageTests {
    static let crunchbase = """
        Company Name,Domain,Industry,NAICS,Employee Count,Employee Range,Revenue Range,HQ Country,HQ City,Founded Year,Technologies,LinkedIn URL,Funding Stage
        Acme Corporation,acme.co.uk,Manufacturing,332710,1200,1001-5000,$100M-$500M,GB,London,1962,SAP;Salesforce,https://linkedin.com/company/acme,Private Equity
        Globex Inc,https://www.globex.com,Software,511210,85,51-200,,US,Springfield,2009,AWS,https://linkedin.com/company/globex,Series B
        Initech LLC,initech.io,Financial Services,,40,11-50,$1M-$10M,US,Austin,2014,,,Seed
        """
    static let zoominfo = """
        {"company": "Globex", "website": "globex.com", "industry": "Computer Software", "revenue": "$10M-$50M", "employees": "90"}
        {"company": "Initech", "website": "initech.io", "industry": "", "revenue": "$10M-$50M", "employees": "38"}
        """

    /// Writes the reference files and returns the YAML `sources:` block.
    func sources(in dir: TemporaryDirectory) throws -> String {
        let cb = try dir.write("crunchbase.csv", Self.crunchbase)
        let zi = try dir.write("zoominfo.jsonl", Self.zoominfo)
        return """
            sources:
              - { name: crunchbase, path: \(cb), as_of: 2026-10-01, key: domain }
              - { name: zoominfo, path: \(zi), as_of: 2026-11-01, columns: { domain: website } }
            """
    }

    func run(_ yaml: String, leads: String, columns: [CanonicalField: String] = [.company: "Company", .website: "Website", .email: "Email"])
        throws -> (stage: FirmographicMergeStage.RowMerger, schema: Schema, records: [Record], summary: [(String, ReportValue)]) {
        let options = try StageFixture.options(yaml, stage: FirmographicMergeStage.descriptor)
        let built = try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml"))
        var (schema, records) = StageFixture.table(leads)
        var bindings = ColumnBindings()
        for (field, name) in columns { bindings[field] = schema.index(of: name) }
        let stage = try built.bind(schema: &schema, columns: bindings)
        for i in records.indices where records[i].values.count < schema.count {
            records[i].values += Array(repeating: "", count: schema.count - records[i].values.count)
        }
        let summary = stage.processReporting(&records)
        return (stage, schema, records, summary)
    }

    func value(_ record: Record, _ column: String, _ schema: Schema) -> String { record[schema.index(of: column)] }

    @Test func joinsByTheRegistrableDomainOfTheWebsiteAndFillsEmptyFields() throws {
        try withTemporaryDirectory { dir in
            let (_, schema, records, _) = try run(try sources(in: dir), leads: """
                Email|Company|Website
                jo@acme.co.uk|Acme|https://shop.acme.co.uk/about
                """)
            let lead = records[0]
            #expect(value(lead, "firmo_match", schema) == "domain")
            #expect(value(lead, "firmo_match_score", schema) == "1")
            #expect(value(lead, "firmo_industry", schema) == "Manufacturing")
            #expect(value(lead, "firmo_naics", schema) == "332710")
            #expect(value(lead, "firmo_employee_count", schema) == "1200")
            #expect(value(lead, "firmo_hq_city", schema) == "London")
            #expect(value(lead, "firmo_funding_stage", schema) == "Private Equity")
            #expect(value(lead, "firmo_industry__source", schema) == "crunchbase@2026-10-01")
            // fill: the lead's own company name stands.
            #expect(value(lead, "firmo_company_name", schema) == "Acme")
            #expect(value(lead, "firmo_company_name__source", schema) == "input")
            // The input columns are untouched.
            #expect(Array(lead.values.prefix(3)) == ["jo@acme.co.uk", "Acme", "https://shop.acme.co.uk/about"])
        }
    }

    @Test func aReferenceFileSavedByExcelWithSemicolonsAndWindows1252IsJoinedLikeAnyOther() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("firmen.csv", bytes: Array("Company Name;Domain;Industry;Employee Count\r\nM".utf8) + [0xFC]
                                     + Array("ller & S".utf8) + [0xF6] + Array("hne GmbH;mueller-soehne.de;Maschinenbau;250\r\n".utf8))
            let (_, schema, records, _) = try run("sources: [ { name: firmen, path: \(path), as_of: 2026-10-01 } ]", leads: """
                Email|Company|Website
                jo@mueller-soehne.de||mueller-soehne.de
                """)
            #expect(value(records[0], "firmo_match", schema) == "domain")
            #expect(value(records[0], "firmo_company_name", schema) == "Müller & Söhne GmbH")
            #expect(value(records[0], "firmo_employee_count", schema) == "250")
        }
    }

    @Test func usesTheEmailDomainWhenThereIsNoWebsiteButNeverAFreeMailDomain() throws {
        try withTemporaryDirectory { dir in
            let (_, schema, records, summary) = try run(try sources(in: dir), leads: """
                Email|Company|Website
                ann@globex.com||
                bob@gmail.com||
                """)
            #expect(value(records[0], "firmo_industry", schema) == "Software")
            #expect(value(records[1], "firmo_match", schema) == "")
            #expect(summary.first { $0.0 == "without_key" }?.1 == .integer(1))
        }
    }

    @Test func fillKeepsTheLeadsOwnValueAndReportsTheConflict() throws {
        try withTemporaryDirectory { dir in
            let yaml = try sources(in: dir) + "\nfields:\n  industry: { policy: fill, column: Industry }"
            let (_, schema, records, summary) = try run(yaml, leads: """
                Email|Company|Website|Industry
                ann@globex.com|Globex|globex.com|Aerospace
                cy@initech.io|Initech|initech.io|
                """)
            #expect(value(records[0], "firmo_industry", schema) == "Aerospace")
            #expect(value(records[0], "firmo_industry__source", schema) == "input")
            #expect(value(records[1], "firmo_industry", schema) == "Financial Services")
            #expect(value(records[1], "firmo_industry__source", schema) == "crunchbase@2026-10-01")
            #expect(records[0][schema.index(of: "Industry")] == "Aerospace")
            let conflicts = try #require(summary.first { $0.0 == "conflicts" }?.1)
            #expect(conflicts["total"] == .integer(1))
            let sample = try #require(conflicts["sample"])
            #expect(sample == .array([.object([
                ("line", .integer(2)), ("field", .string("industry")), ("lead_value", .string("Aerospace")),
                ("reference_value", .string("Software")), ("source", .string("crunchbase")),
                ("resolution", .string("kept_lead_value")),
            ])]))
        }
    }

    @Test func aListThatAlreadyHasSomeOfTheColumnsGetsThemRewrittenInPlace() throws {
        // Last week's output fed back in: firmo_industry is an input column, away from the columns the stage adds,
        // so the row's values are written column by column instead of as one run.
        try withTemporaryDirectory { dir in
            let (_, schema, records, summary) = try run(try sources(in: dir), leads: """
                firmo_industry|Email|Company|Website
                Stale value|ann@globex.com|Globex|globex.com
                |zed@unknown.example|Unknown|unknown.example
                """)
            #expect(schema.index(of: "firmo_industry")?.position == 0)
            #expect(value(records[0], "firmo_industry", schema) == "Software")
            #expect(value(records[0], "firmo_industry__source", schema) == "crunchbase@2026-10-01")
            #expect(value(records[0], "firmo_naics", schema) == "511210")
            #expect(value(records[0], "firmo_match", schema) == "domain")
            #expect(value(records[1], "firmo_industry", schema) == "")
            #expect(value(records[1], "firmo_match", schema) == "")
            let fields = try #require(summary.first { $0.0 == "fields" }?.1)
            #expect(fields["industry"]?["filled_after"] == .integer(1))
            #expect(fields["naics"]?["filled_after"] == .integer(1))
        }
    }

    @Test func aFieldWhoseOwnColumnIsOneTheStageWritesReadsThisRowsValue() throws {
        // The values are written in order, so a field reading firmo_match_sources sees what this row's match wrote.
        try withTemporaryDirectory { dir in
            let yaml = try sources(in: dir) + "\nfields:\n  industry: { policy: fill, column: firmo_match_sources }"
            let (_, schema, records, _) = try run(yaml, leads: """
                Email|Company|Website
                ann@globex.com|Globex|globex.com
                """)
            #expect(value(records[0], "firmo_match_sources", schema) == "crunchbase,zoominfo")
            #expect(value(records[0], "firmo_industry", schema) == "crunchbase,zoominfo")
            #expect(value(records[0], "firmo_industry__source", schema) == "input")
        }
    }

    @Test func overwriteTakesTheReferenceValueAndStillReportsTheConflict() throws {
        try withTemporaryDirectory { dir in
            let yaml = try sources(in: dir) + "\nfields:\n  industry: { policy: overwrite, column: Industry }"
            let (_, schema, records, summary) = try run(yaml, leads: """
                Email|Company|Website|Industry
                ann@globex.com|Globex|globex.com|Aerospace
                """)
            #expect(value(records[0], "firmo_industry", schema) == "Software")
            #expect(value(records[0], "firmo_industry__source", schema) == "crunchbase@2026-10-01")
            let fields = try #require(summary.first { $0.0 == "fields" }?.1)
            #expect(fields["industry"]?["overwritten"] == .integer(1))
            #expect(summary.first { $0.0 == "conflicts" }?.1["sample"]
                    == .array([.object([("line", .integer(2)), ("field", .string("industry")), ("lead_value", .string("Aerospace")),
                                        ("reference_value", .string("Software")), ("source", .string("crunchbase")),
                                        ("resolution", .string("overwritten"))])]))
        }
    }

    @Test func preferTakesTheFirstSourceInTheWaterfallThatHasAValue() throws {
        try withTemporaryDirectory { dir in
            let yaml = try sources(in: dir) + """

                fields:
                  industry: { prefer: [zoominfo, crunchbase] }
                  revenue_range: { prefer: [crunchbase, zoominfo] }
                  employee_count: { prefer: [input, zoominfo, crunchbase], column: Employees }
                """
            let (_, schema, records, _) = try run(yaml, leads: """
                Email|Company|Website|Employees
                ann@globex.com|Globex|globex.com|
                cy@initech.io|Initech|initech.io|41
                """)
            // Globex: zoominfo first for industry; crunchbase has no revenue so zoominfo fills it.
            #expect(value(records[0], "firmo_industry", schema) == "Computer Software")
            #expect(value(records[0], "firmo_industry__source", schema) == "zoominfo@2026-11-01")
            #expect(value(records[0], "firmo_revenue_range", schema) == "$10M-$50M")
            #expect(value(records[0], "firmo_revenue_range__source", schema) == "zoominfo@2026-11-01")
            #expect(value(records[0], "firmo_employee_count", schema) == "90")
            // Initech: zoominfo's industry is empty, so the waterfall falls through to crunchbase.
            #expect(value(records[1], "firmo_industry", schema) == "Financial Services")
            #expect(value(records[1], "firmo_industry__source", schema) == "crunchbase@2026-10-01")
            #expect(value(records[1], "firmo_revenue_range", schema) == "$1M-$10M")
            #expect(value(records[1], "firmo_employee_count", schema) == "41")
            #expect(value(records[1], "firmo_employee_count__source", schema) == "input")
            #expect(value(records[0], "firmo_match_sources", schema) == "crunchbase,zoominfo")
        }
    }

    @Test func matchesByFuzzyCompanyNameWhenTheLeadHasNoDomainAndRecordsTheScore() throws {
        try withTemporaryDirectory { dir in
            let (_, schema, records, summary) = try run(try sources(in: dir) + "\nname_match: { threshold: 0.9 }", leads: """
                Email|Company|Website
                |ACME Corp.|
                |Globexx|
                |Initrode|
                """)
            #expect(value(records[0], "firmo_match", schema) == "name")
            #expect(value(records[0], "firmo_match_score", schema) == "1")
            #expect(value(records[0], "firmo_industry", schema) == "Manufacturing")
            #expect(value(records[1], "firmo_match", schema) == "name")
            let score = try #require(Double(value(records[1], "firmo_match_score", schema)))
            #expect(score >= 0.9 && score < 1)
            #expect(value(records[1], "firmo_industry", schema) == "Software")
            #expect(value(records[2], "firmo_match", schema) == "")
            #expect(summary.first { $0.0 == "matched_by_name" }?.1 == .integer(2))
        }
    }

    @Test func aRowsOwnAsOfDateBeatsTheSourcesInTheProvenance() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("firmo.csv", "domain,company_name,industry,as_of\nacme.com,Acme,Retail,2026-09-15\nglobex.com,Globex,Software,\n")
            let (_, schema, records, _) = try run("sources:\n  - { name: sample, path: \(path), as_of: 2026-10-01 }", leads: """
                Email|Company|Website
                a@acme.com|Acme|acme.com
                b@globex.com|Globex|globex.com
                """)
            #expect(value(records[0], "firmo_industry__source", schema) == "sample@2026-09-15")
            #expect(value(records[1], "firmo_industry__source", schema) == "sample@2026-10-01")
        }
    }

    @Test func lintOnlyChecksOptionsWithoutLoadingSources() throws {
        try withTemporaryDirectory { dir in
            let options = try StageFixture.options(try sources(in: dir), stage: FirmographicMergeStage.descriptor)
            let stage = try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml", isLintOnly: true))
            var schema = Schema(inputColumns: ["Company"])
            let bound = try stage.bind(schema: &schema, columns: ColumnBindings())
            #expect(bound.report(bound.emptySummary()).first { $0.0 == "sources" }?.1 == .array([]))
        }
    }

    @Test(arguments: [
        ("fields:\n  industry: { prefer: [hoovers] }", "unknown source 'hoovers'"),
        ("fields:\n  industri: { policy: fill }", "unknown field 'industri'"),
        ("fields:\n  industry: { policy: prefer }", "needs a prefer:"),
    ])
    func rejectsUnusableFieldPolicies(yaml: String, message: String) throws {
        try withTemporaryDirectory { dir in
            let options = try StageFixture.options(try sources(in: dir) + "\n" + yaml, stage: FirmographicMergeStage.descriptor)
            do {
                _ = try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml", isLintOnly: true))
                Issue.record("expected an option problem")
            } catch let problem as OptionProblem {
                #expect(problem.option == "fields")
                #expect(problem.message.contains(message))
            }
        }
    }

    @Test func namesAMissingReferenceFile() throws {
        let options = try StageFixture.options("sources:\n  - { name: cb, path: /nonexistent/cb.csv }",
                                               stage: FirmographicMergeStage.descriptor)
        #expect(throws: OptionProblem.self) {
            try FirmographicMergeStage(options: options, context: StageContext(pipelineFile: "t.yml"))
        }
    }
}
