/// A company attribute a reference source can supply, with the header names it is recognized by.
package struct FirmographicField: Sendable, Hashable {
    /// The name used in the pipeline file's `fields:` and in the added columns (`firmo_<name>`).
    public let name: String
    /// Header spellings (normalized: lower-case, `_` for separators) that map to the field when a
    /// source does not name its columns explicitly; the field's own name is tried first.
    public let aliases: [String]

    public init(_ name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }

    /// The output column the merged value goes to.
    public var column: String { "firmo_" + name }
    /// The provenance column: `<source>@<as_of>` of the value, or `input` for the lead's own value.
    public var sourceColumn: String { column + "__source" }
}

extension FirmographicField {
    public static let companyName = FirmographicField("company_name", aliases: ["company", "name", "organization", "organization_name", "account_name"])
    public static let domain = FirmographicField("domain", aliases: ["website", "company_domain", "url", "homepage", "web"])
    public static let industry = FirmographicField("industry", aliases: ["sector", "industry_name"])
    public static let naics = FirmographicField("naics", aliases: ["naics_code", "naics_2017", "naics_2022"])
    package static let sic = FirmographicField("sic", aliases: ["sic_code"])
    package static let employeeCount = FirmographicField("employee_count", aliases: ["employees", "headcount", "num_employees", "employee_num", "staff_count"])
    package static let employeeRange = FirmographicField("employee_range", aliases: ["employees_range", "company_size", "size", "headcount_range", "size_range"])
    package static let revenueRange = FirmographicField("revenue_range", aliases: ["revenue", "annual_revenue", "estimated_revenue", "revenue_band"])
    package static let hqCountry = FirmographicField("hq_country", aliases: ["country", "headquarters_country", "hq_country_code"])
    package static let hqRegion = FirmographicField("hq_region", aliases: ["region", "state", "hq_state", "headquarters_region"])
    package static let hqCity = FirmographicField("hq_city", aliases: ["city", "headquarters_city"])
    package static let foundedYear = FirmographicField("founded_year", aliases: ["founded", "year_founded", "founding_year"])
    public static let technologies = FirmographicField("technologies", aliases: ["tech_stack", "technology", "technographics"])
    public static let linkedinURL = FirmographicField("linkedin_url", aliases: ["company_linkedin_url", "linkedin", "linkedin_company_url"])
    package static let fundingStage = FirmographicField("funding_stage", aliases: ["last_funding_type", "funding", "funding_round"])

    /// Every field, in output-column order.
    public static let all: [FirmographicField] = [
        .companyName, .domain, .industry, .naics, .sic, .employeeCount, .employeeRange, .revenueRange,
        .hqCountry, .hqRegion, .hqCity, .foundedYear, .technologies, .linkedinURL, .fundingStage,
    ]

    /// Looks a field up by its pipeline-file name.
    public static func named(_ name: String) -> FirmographicField? { all.first { $0.name == name } }

    /// Normalizes a header for alias matching: `"Employee Count"` → `employee_count`.
    static func normalizedHeader(_ header: String) -> String {
        var out = ""
        var pendingSeparator = false
        for scalar in header.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSeparator, !out.isEmpty { out += "_" }
                pendingSeparator = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
        }
        return out
    }
}
