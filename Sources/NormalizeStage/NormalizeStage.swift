import DomainNames
import LeadRecords
import PipelineSpec

/// `normalize`: trims and standardizes lead fields into `norm_*` columns, leaving the originals as
/// they were unless the pipeline says `overwrite: true`.
///
/// Per record, so it streams in parallel. What it does per field: white space trimmed and collapsed
/// and Unicode NFC everywhere; emails and domains lower-cased; person names re-cased when typed all
/// upper or all lower; a company key without legal suffixes; the website's canonical URL and the
/// registrable domain (Public Suffix List) from the website, else the email; phones to E.164 when a
/// country is known; countries to ISO 3166-1 alpha-2. Problems found are listed in `norm_issues`.
public struct NormalizeStage: Stage {
    public static let descriptor = StageDescriptor(
        name: "normalize",
        summary: "Trims and standardizes emails, names, companies, websites, domains, phones and countries into norm_* columns.",
        options: OptionSchema([
            OptionSpec("overwrite", .bool, default: .bool(false),
                       "Also write each normalized value back into its original column (when normalization produced one)."),
            OptionSpec("default_country", .string,
                       "Country (code or name) for phone numbers on rows without a country, e.g. `US`."),
            OptionSpec("name_casing", .bool, default: .bool(true),
                       "Re-case person names typed in all capitals or all lower case (`JOHN O'BRIEN` → `John O'Brien`)."),
            OptionSpec("legal_suffixes", .list(.string), default: .list([]),
                       "Extra legal-form suffixes to drop from the company key, besides Inc, LLC, Ltd, GmbH, S.A., …"),
            OptionSpec("email_domain_fallback", .bool, default: .bool(true),
                       "Take norm_domain from the email when there is no website (free-mail providers excepted)."),
        ]),
        optionalFields: [.email, .firstName, .lastName, .fullName, .title, .company, .website, .domain, .phone, .country, .city],
        addedColumns: Column.allCases.map(\.rawValue),
        reasonCodes: [])

    /// The columns the stage adds, in order.
    public enum Column: String, CaseIterable, Sendable {
        case email = "norm_email", firstName = "norm_first_name", lastName = "norm_last_name",
             fullName = "norm_full_name", title = "norm_title", company = "norm_company",
             companyKey = "norm_company_key", website = "norm_website", domain = "norm_domain",
             phone = "norm_phone", country = "norm_country", city = "norm_city", issues = "norm_issues"
    }

    /// Free-mail providers whose domain says nothing about the lead's company.
    static let freeMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de",
        "mail.ru", "yandex.ru", "qq.com", "163.com", "zoho.com", "fastmail.com",
    ]

    let overwrite: Bool
    let nameCasing: Bool
    let emailDomainFallback: Bool
    let defaultCountry: Country?
    let companyKey: CompanyKey
    let phones = PhoneNormalizer(table: .shared)
    var input = ColumnBindings()
    var output: [Column: ColumnIndex] = [:]

    public init(options: OptionValues, context: StageContext) throws {
        overwrite = options.bool("overwrite")
        nameCasing = options.bool("name_casing")
        emailDomainFallback = options.bool("email_domain_fallback")
        companyKey = CompanyKey(extraSuffixes: options.strings("legal_suffixes"))
        if let name = options.string("default_country") {
            guard let country = CountryTable.shared.lookup(name) else {
                throw OptionProblem(option: "default_country", "'\(name)' is not a country code or name known to ISO 3166-1")
            }
            defaultCountry = country
        } else {
            defaultCountry = nil
        }
    }

    public mutating func bind(schema: inout Schema, columns: ColumnBindings) throws {
        input = columns
        for column in Column.allCases { output[column] = schema.addColumn(column.rawValue) }
    }

    public func process(_ records: inout [Record]) {
        for i in records.indices where records[i].isActive {
            normalize(&records[i])
        }
    }

    func normalize(_ record: inout Record) {
        var issues: [String] = []
        func put(_ column: Column, _ value: String, original: CanonicalField? = nil) {
            record[output[column]] = value
            if overwrite, let original, !value.isEmpty, input[original] != nil { record[input[original]] = value }
        }

        // Email: cleaned, lower-cased, without a `mailto:` or angle brackets.
        var email = TextCleanup.clean(record[input[.email]])
        if email.lowercased().hasPrefix("mailto:") { email.removeFirst(7) }
        if email.hasPrefix("<") && email.hasSuffix(">") { email = String(email.dropFirst().dropLast()) }
        email = email.lowercased()
        put(.email, email, original: .email)
        if input[.email] != nil && email.isEmpty { issues.append("email_missing") }

        // Names.
        for (field, column) in [(CanonicalField.firstName, Column.firstName), (.lastName, .lastName), (.fullName, .fullName)] {
            guard input[field] != nil else { continue }
            var name = TextCleanup.clean(record[input[field]])
            if nameCasing { name = PersonNameCasing.apply(name) }
            put(column, name, original: field)
        }
        if input[.title] != nil { put(.title, TextCleanup.clean(record[input[.title]]), original: .title) }
        if input[.city] != nil { put(.city, TextCleanup.clean(record[input[.city]]), original: .city) }

        // Company and its key.
        let company = TextCleanup.clean(record[input[.company]])
        put(.company, company, original: .company)
        put(.companyKey, company.isEmpty ? "" : companyKey.key(company))

        // Website and registrable domain: website first, then a domain column, then the email's domain.
        var domain = ""
        let website = TextCleanup.clean(record[input[.website]])
        if !website.isEmpty {
            if let canonical = WebsiteNormalizer.canonicalURL(website) {
                put(.website, canonical.url, original: .website)
                domain = PublicSuffixList.shared.registrableDomain(of: canonical.host) ?? ""
            } else {
                issues.append("website_unparseable")
            }
        }
        if domain.isEmpty, input[.domain] != nil, let host = HostName.fromWebsite(record[input[.domain]]) {
            domain = PublicSuffixList.shared.registrableDomain(of: host) ?? ""
        }
        if domain.isEmpty, emailDomainFallback, let at = email.lastIndex(of: "@"),
           let host = HostName.asciiForm(String(email[email.index(after: at)...])),
           let registrable = PublicSuffixList.shared.registrableDomain(of: host),
           !Self.freeMailDomains.contains(registrable) {
            domain = registrable
        }
        put(.domain, domain, original: input[.domain] != nil && !domain.isEmpty ? .domain : nil)

        // Country, then the phone read with it.
        var country: Country?
        let countryText = TextCleanup.clean(record[input[.country]])
        if !countryText.isEmpty {
            country = CountryTable.shared.lookup(countryText)
            if country == nil { issues.append("country_unknown") }
        }
        put(.country, country?.alpha2 ?? "", original: .country)
        let phone = TextCleanup.clean(record[input[.phone]])
        if !phone.isEmpty {
            switch phones.normalize(phone, country: country ?? defaultCountry) {
            case .e164(let e164): put(.phone, e164, original: .phone)
            case .invalid: issues.append("phone_invalid")
            case .needsCountry: issues.append("phone_needs_country")
            }
        }
        record[output[.issues]] = issues.joined(separator: ";")
    }
}
