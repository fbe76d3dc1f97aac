import DomainNames
import LeadFacts
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
                       "Extra legal forms to drop from the end of the company key, besides the shipped ones (Inc, LLC, Ltd, GmbH, S.A., Group, …); every stage's company key drops them."),
            OptionSpec("email_domain_fallback", .bool, default: .bool(true),
                       "Take norm_domain from the email when there is no website (free-mail providers excepted)."),
        ]),
        optionalFields: [.email, .firstName, .lastName, .fullName, .title, .company, .website, .domain, .phone, .country, .city],
        addedColumns: Column.allCases.map(\.rawValue),
        reasonCodes: [],
        produces: [LeadColumns.normEmail.spec, LeadColumns.normTitle.spec, LeadColumns.normCompany.spec, LeadColumns.normCompanyKey.spec,
                   LeadColumns.normWebsite.spec, LeadColumns.normDomain.spec, LeadColumns.normIssues.spec])

    /// The columns the stage adds, in order.
    public enum Column: String, CaseIterable, Sendable {
        case email = "norm_email", firstName = "norm_first_name", lastName = "norm_last_name",
             fullName = "norm_full_name", title = "norm_title", company = "norm_company",
             companyKey = "norm_company_key", website = "norm_website", domain = "norm_domain",
             phone = "norm_phone", country = "norm_country", city = "norm_city", issues = "norm_issues"
    }

    /// Free-mail providers, whose domain says nothing about the lead's company (the list every stage shares).
    static var freeMailDomains: Set<String> { FreeMailDomains.shipped }

    /// ``freeMailDomains`` over bytes, for the per-row check.
    static let freeMailTable = ByteStringTable(freeMailDomains.map { (Array($0.utf8), 1) })

    let overwrite: Bool
    let nameCasing: Bool
    let emailDomainFallback: Bool
    let defaultCountry: Country?
    let companyKey: CompanyKey
    let phones = PhoneNormalizer(table: .shared)

    public init(options: OptionValues, context: StageContext) throws {
        overwrite = options.bool("overwrite")
        nameCasing = options.bool("name_casing")
        emailDomainFallback = options.bool("email_domain_fallback")
        // The run builds its one company key from this stage's `legal_suffixes` (PreparedPipeline) and hands
        // it to every stage, this one included.
        companyKey = context.companyKey
        if let name = options.string("default_country") {
            guard let country = CountryTable.shared.lookup(name) else {
                throw OptionProblem(option: "default_country", "'\(name)' is not a country code or name known to ISO 3166-1")
            }
            defaultCountry = country
        } else {
            defaultCountry = nil
        }
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        let firstAdded = schema.count
        return .streaming(Bound(stage: self, input: Self.fields.map { columns[$0] },
                                output: Column.allCases.map { schema.addColumn($0.rawValue) }, firstAdded: firstAdded))
    }

    /// The fields the stage reads, in the order of ``Bound/input``.
    static let fields: [CanonicalField] = [.email, .firstName, .lastName, .fullName, .title, .company, .website, .domain, .phone, .country, .city]

    /// normalize bound to the run's schema.
    public struct Bound: StreamingStage {
        let stage: NormalizeStage
        /// Input columns per canonical field (``fields``) and output columns per added column, resolved once
        /// (hashing a field name per row and field would cost more than most of the normalization).
        let input: [ColumnIndex?]
        let output: [ColumnIndex]
        /// The schema's width before the stage added its columns: positions from here on are new.
        let firstAdded: Int

        public func emptySummary() -> NoFigures { NoFigures() }

        public func process(_ records: inout [Record], counting summary: inout NoFigures) {
            // Shared tables are read through plain pointers taken once per chunk: no reference counting per row.
            let row = RowContext(stage: stage, input: input, output: output)
            if let run = outputRun, !stage.overwrite {
                let values = ColumnValues()
                for i in records.indices where records[i].isActive {
                    stage.normalizeBytes(&records[i], row, values, run: run)
                }
                return
            }
            var added = AddedValues(run: outputRun)
            for i in records.indices where records[i].isActive {
                stage.normalize(&records[i], row, &added)
            }
        }

        /// The added columns' positions when the stage added them all, side by side, so that a row's thirteen
        /// values are written at once (every one, an empty one included). When the input already has some of
        /// them (a list normalized before), each value is written as it is made, and one the row does not get
        /// (an unparseable website's) keeps what the input had.
        var outputRun: Range<Int>? {
            guard let run = ColumnIndex.adjacentRun(output), run.lowerBound >= firstAdded else { return nil }
            return run
        }

        public func report(_ summary: NoFigures) -> [(String, ReportValue)] { [] }
    }

    /// The values of the added columns, gathered while a row is normalized and written at once at its end;
    /// without a run (the columns are not side by side) each value is written as it is made.
    struct AddedValues {
        let run: Range<Int>?
        var values: [String]
        let buffer = ColumnValues()

        init(run: Range<Int>?) {
            self.run = run
            values = Array(repeating: "", count: run?.count ?? 0)
        }

        /// Writes the gathered values into the row and forgets them.
        mutating func write(into record: inout Record) {
            guard let run else { return }
            buffer.start()
            for k in values.indices {
                buffer.appendValue(values[k])
                values[k] = ""
            }
            buffer.write(into: &record.fields, run: run)
        }
    }

    /// What one row's normalization reads, as values without reference counts.
    struct RowContext {
        let input: InputSlots
        let output: OutputSlots
        let psl: PublicSuffixList.Matcher
        let countries: CountryTable.Reader
        let freeMail: ByteStringTable.Reader
        let defaultCountry: Int?

        init(stage: NormalizeStage, input: [ColumnIndex?], output: [ColumnIndex]) {
            self.input = InputSlots(input)
            self.output = OutputSlots(output)
            psl = PublicSuffixList.shared.matcher
            countries = CountryTable.shared.reader
            freeMail = NormalizeStage.freeMailTable.reader
            defaultCountry = stage.defaultCountry?.index
        }
    }

    /// Problems found on a row, one bit each, written to `norm_issues` in this order.
    struct Issues: OptionSet {
        let rawValue: UInt8
        static let emailMissing = Issues(rawValue: 1), websiteUnparseable = Issues(rawValue: 2),
                   countryUnknown = Issues(rawValue: 4), phoneInvalid = Issues(rawValue: 8), phoneNeedsCountry = Issues(rawValue: 16)
        static let codes: [(Issues, String)] = [
            (.emailMissing, "email_missing"), (.websiteUnparseable, "website_unparseable"), (.countryUnknown, "country_unknown"),
            (.phoneInvalid, "phone_invalid"), (.phoneNeedsCountry, "phone_needs_country"),
        ]

        var joined: String {
            if isEmpty { return "" }
            return Self.codes.filter { contains($0.0) }.map(\.1).joined(separator: ";")
        }
    }

    func normalize(_ record: inout Record, _ row: RowContext, _ added: inout AddedValues) {
        var issues: Issues = []
        let input = row.input
        let output = row.output
        defer { added.write(into: &record) }
        func put(_ column: Int, _ value: String, original: Int = -1) {
            if let run = added.run { added.values[column - run.lowerBound] = value } else { record[ColumnIndex(column)] = value }
            if overwrite, original >= 0, !value.isEmpty { record[ColumnIndex(original)] = value }
        }
        func read(_ slot: Int) -> String { slot >= 0 ? record[ColumnIndex(slot)] : "" }

        // Email: cleaned, lower-cased, without a `mailto:` or angle brackets.
        let rawEmail = read(input.email)
        let email = EmailCleanup.normalize(rawEmail)
        put(output.email, email, original: input.email)
        if input.email >= 0 && email.isEmpty { issues.insert(.emailMissing) }

        // Names.
        func putName(_ field: Int, _ column: Int) {
            guard field >= 0 else { return }
            var name = TextCleanup.clean(record[ColumnIndex(field)])
            if nameCasing { name = PersonNameCasing.apply(name) }
            put(column, name, original: field)
        }
        putName(input.firstName, output.firstName)
        putName(input.lastName, output.lastName)
        putName(input.fullName, output.fullName)
        if input.title >= 0 { put(output.title, TextCleanup.clean(read(input.title)), original: input.title) }
        if input.city >= 0 { put(output.city, TextCleanup.clean(read(input.city)), original: input.city) }

        // Company and its key.
        let company = TextCleanup.clean(read(input.company))
        put(output.company, company, original: input.company)
        let key = company.isEmpty ? "" : companyKey.key(company)
        put(output.companyKey, key)

        // Website and registrable domain: website first, then a domain column, then the email's domain.
        var domain = ""
        var website = TextCleanup.clean(read(input.website))
        if !website.isEmpty {
            switch website.withUTF8({ WebsiteNormalizer.canonical($0, psl: row.psl) }) {
            case .url(let url, let registrable):
                put(output.website, url, original: input.website)
                domain = registrable
            case .unparseable:
                issues.insert(.websiteUnparseable)
            case .notPlainASCII:
                if let canonical = WebsiteNormalizer.canonicalURL(website) {
                    put(output.website, canonical.url, original: input.website)
                    domain = PublicSuffixList.shared.registrableDomain(of: canonical.host) ?? ""
                } else {
                    issues.insert(.websiteUnparseable)
                }
            }
        }
        if domain.isEmpty, input.domain >= 0, let host = HostName.fromWebsite(read(input.domain)) {
            domain = PublicSuffixList.shared.registrableDomain(of: host) ?? ""
        }
        if domain.isEmpty, emailDomainFallback {
            domain = EmailCleanup.companyDomain(email, psl: row.psl, freeMail: row.freeMail)
        }
        put(output.domain, domain, original: input.domain >= 0 && !domain.isEmpty ? input.domain : -1)

        // Country, then the phone read with it.
        var country: Int?
        var countryText = TextCleanup.clean(read(input.country))
        if !countryText.isEmpty {
            let table = CountryTable.shared
            country = countryText.withUTF8 { table.asciiLookup($0, reader: row.countries) } ?? table.lookup(countryText)?.index
            if country == nil { issues.insert(.countryUnknown) }
        }
        put(output.country, country.map { row.countries.alpha2[$0] } ?? "", original: input.country)
        var phone = TextCleanup.clean(read(input.phone))
        if !phone.isEmpty {
            switch phone.withUTF8({ phones.normalize($0, country: country ?? row.defaultCountry, reader: row.countries) }) {
            case .e164(let e164): put(output.phone, e164, original: input.phone)
            case .invalid: issues.insert(.phoneInvalid)
            case .needsCountry: issues.insert(.phoneNeedsCountry)
            }
        }
        put(output.issues, issues.joined)
    }

    /// Input positions by field (-1: the input has no such column), resolved from ``input`` once per chunk.
    struct InputSlots {
        var email = -1, firstName = -1, lastName = -1, fullName = -1, title = -1, company = -1, website = -1,
            domain = -1, phone = -1, country = -1, city = -1

        init(_ columns: [ColumnIndex?]) {
            func at(_ i: Int) -> Int { i < columns.count ? columns[i]?.position ?? -1 : -1 }
            email = at(0); firstName = at(1); lastName = at(2); fullName = at(3); title = at(4); company = at(5)
            website = at(6); domain = at(7); phone = at(8); country = at(9); city = at(10)
        }
    }

    /// Output positions by added column, in ``Column`` order.
    struct OutputSlots {
        var email = 0, firstName = 0, lastName = 0, fullName = 0, title = 0, company = 0, companyKey = 0, website = 0,
            domain = 0, phone = 0, country = 0, city = 0, issues = 0

        init(_ columns: [ColumnIndex]) {
            let p = columns.map(\.position)
            guard p.count == Column.allCases.count else { return }
            email = p[0]; firstName = p[1]; lastName = p[2]; fullName = p[3]; title = p[4]; company = p[5]; companyKey = p[6]
            website = p[7]; domain = p[8]; phone = p[9]; country = p[10]; city = p[11]; issues = p[12]
        }
    }
}
