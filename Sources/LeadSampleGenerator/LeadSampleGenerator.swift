import Foundation

/// Generates realistic B2B lead lists with planted problems and the true entity of every row.
///
/// Planted: near-duplicates of the same person (nicknames, initials, swapped names, plus-tags,
/// personal vs work email, job changes, typos, format variants), people who merely share a common
/// name, bad and risky emails (syntax errors, role accounts, disposable and typo domains), missing
/// fields, old verification dates, messy company names, URLs, phones and country spellings.
/// The same seed always gives the same rows.
public struct LeadSampleGenerator {
    public struct Configuration: Sendable {
        public var rows: Int
        public var seed: UInt64
        /// Share of rows that are another rendering of an earlier person.
        public var duplicateRate: Double = 0.18
        /// Share of rows with a planted email or field problem.
        package var problemRate: Double = 0.08
        /// Rows that are malformed CSV (wrong field count, stray quote), to exercise the rejects file.
        public var malformedRows: Int = 0
        /// "Today" for verification and activity dates.
        package var referenceDate: Date = ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!

        public init(rows: Int, seed: UInt64) {
            self.rows = rows
            self.seed = seed
        }
    }

    public static let leadColumns = ["Lead ID", "First Name", "Last Name", "Email", "Title", "Company", "Website",
                                     "Phone", "Country", "City", "Source", "Last Verified At", "Last Activity At"]
    public static let truthColumns = ["Lead ID", "entity_id"]
    public static let firmographicColumns = [
        "domain", "company_name", "industry", "naics", "employee_count", "employee_range", "revenue_range",
        "hq_country", "hq_city", "founded_year", "technologies", "linkedin_url", "funding_stage", "as_of",
    ]

    let config: Configuration
    var random: SeededRandom
    let companies: [Company]
    var people: [Person] = []
    /// `yyyy-MM-dd` for each day before the reference date, formatted once.
    let dates: [String]

    public init(_ config: Configuration) {
        self.config = config
        random = SeededRandom(seed: config.seed)
        companies = Self.makeCompanies(count: max(20, config.rows / 12), random: &random)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        dates = (0..<(6 * 366)).map { formatter.string(from: config.referenceDate.addingTimeInterval(-Double($0) * 86400)) }
    }

    /// Calls `lead` with each row's values (in ``leadColumns`` order, or a raw malformed line) and its true entity id.
    public mutating func generate(_ lead: (LeadRow) -> Void) {
        let malformedEvery = config.malformedRows > 0 ? max(1, config.rows / config.malformedRows) : Int.max
        for index in 0..<config.rows {
            let number = String(index + 1)
            let leadID = "L" + String(repeating: "0", count: max(0, 7 - number.count)) + number
            let person: Person
            var row: [String]
            if !people.isEmpty && random.chance(config.duplicateRate) {
                // Recent people are more likely to recur, as in lists merged from overlapping sources.
                let back = random.skewedIndex(min(people.count, 5000), skew: 1.3)
                person = people[people.count - 1 - back]
                row = variant(of: person)
            } else {
                person = newPerson(entity: people.count + 1)
                people.append(person)
                row = render(person)
            }
            if random.chance(config.problemRate) { plantProblem(in: &row, domain: companies[person.company].domain) }
            row.insert(leadID, at: 0)
            if index % malformedEvery == malformedEvery - 1 {
                lead(LeadRow(values: row, entityID: "E\(person.entity)",
                             malformed: malformedLine(row, strayQuote: (index / malformedEvery) % 2 == 1)))
            } else {
                lead(LeadRow(values: row, entityID: "E\(person.entity)", malformed: nil))
            }
        }
    }

    /// One firmographic row per company (about 90 % of them: reference data never covers everyone).
    public mutating func firmographics(_ row: ([String]) -> Void) {
        for company in companies where random.chance(0.9) {
            let employees = company.employees
            let range = switch employees {
            case ..<11: "1-10"
            case ..<51: "11-50"
            case ..<201: "51-200"
            case ..<1001: "201-1000"
            case ..<5001: "1001-5000"
            default: "5001+"
            }
            let revenue = switch employees {
            case ..<51: "<$10M"
            case ..<201: "$10M-$50M"
            case ..<1001: "$50M-$250M"
            default: "$250M+"
            }
            let techs = ["Salesforce", "HubSpot", "WordPress", "Google Tag Manager", "React", "Cloudflare", "Shopify", "Marketo", "Segment", "Stripe"]
            let chosen = (0..<1 + random.skewedIndex(4)).map { _ in random.pick(techs) }
            row([company.domain, company.name + (company.suffix.isEmpty ? "" : " " + company.suffix), company.industry.name,
                 company.industry.naics, String(employees), range, revenue, company.country.code, random.pick(company.country.cities),
                 String(company.founded), Array(Set(chosen)).sorted().joined(separator: ";"),
                 "https://www.linkedin.com/company/\(company.slug)", random.pick(["Seed", "Series A", "Series B", "Series C", "Public", "Private", "Bootstrapped"]),
                 "2026-10-01"])
        }
    }

    // MARK: - People

    struct Company {
        var name: String
        var suffix: String
        var slug: String
        var domain: String
        var country: (code: String, spellings: [String], cities: [String], phoneCode: String, trunk: String, nsn: Int, tlds: [String])
        var industry: (name: String, naics: String)
        var employees: Int
        var founded: Int
        var emailPattern: Int
    }

    struct Person {
        var entity: Int
        var first: Int
        var last: String
        var company: Int
        var title: String
        var city: String
        var phoneDigits: String
        var personalEmail: String
        var source: String
        var verifiedMonthsAgo: Int?
        var activityMonthsAgo: Int?
    }

    static func makeCompanies(count: Int, random: inout SeededRandom) -> [Company] {
        var used = Set<String>()
        var companies: [Company] = []
        companies.reserveCapacity(count)
        var attempt = 0
        while companies.count < count {
            attempt += 1
            let head = random.pick(NamePools.companyHeads)
            let tail = random.pick(NamePools.companyTails)
            var name = "\(head) \(tail)"
            if attempt > NamePools.companyHeads.count * NamePools.companyTails.count / 2 {
                name += " \(["North", "Global", "Group", "International", "One", "360", "Digital", "Labs"][companies.count % 8]) \(companies.count / 8)"
            }
            guard used.insert(name).inserted else { continue }
            let country = NamePools.countries[random.skewedIndex(NamePools.countries.count, skew: 2.0)]
            let slug = name.lowercased().replacingOccurrences(of: " ", with: "-")
            let host = random.chance(0.5) ? slug.replacingOccurrences(of: "-", with: "") : slug
            companies.append(Company(
                name: name, suffix: random.pick(NamePools.legalSuffixes), slug: slug,
                domain: host + "." + random.pick(country.tlds), country: country,
                industry: random.pick(NamePools.industries),
                employees: 2 + random.skewedIndex(20000, skew: 3.0), founded: 1950 + Int(random.next() % 75),
                emailPattern: Int(random.next() % 4)))
        }
        return companies
    }

    mutating func newPerson(entity: Int) -> Person {
        let first = random.skewedIndex(NamePools.firstNames.count, skew: 1.5)
        let last = NamePools.lastNames[random.skewedIndex(NamePools.lastNames.count, skew: 1.5)]
        let company = random.skewedIndex(companies.count, skew: 1.3)
        let country = companies[company].country
        let digits = (0..<country.nsn).map { i in i == 0 ? String(2 + random.next() % 7) : String(random.next() % 10) }.joined()
        let personal = Self.asciiLocal(NamePools.firstNames[first].name) + "." + Self.asciiLocal(last)
            + (random.chance(0.5) ? String(random.next() % 100) : "") + "@" + random.pick(NamePools.freeMail)
        return Person(entity: entity, first: first, last: last, company: company, title: random.pick(NamePools.titles),
                      city: random.pick(country.cities), phoneDigits: digits, personalEmail: personal,
                      source: random.pick(NamePools.sources),
                      verifiedMonthsAgo: random.chance(0.85) ? random.skewedIndex(40, skew: 1.8) : nil,
                      activityMonthsAgo: random.chance(0.7) ? random.skewedIndex(30, skew: 2.0) : nil)
    }

    /// The clean rendering of a person: values after the Lead ID, in ``leadColumns`` order.
    mutating func render(_ p: Person, firstName: String? = nil) -> [String] {
        let company = companies[p.company]
        let first = firstName ?? NamePools.firstNames[p.first].name
        return [first, p.last, workEmail(first: NamePools.firstNames[p.first].name, last: p.last, company: company),
                p.title, company.name + (company.suffix.isEmpty ? "" : " " + company.suffix),
                random.chance(0.6) ? "https://www.\(company.domain)" : company.domain,
                phone(p.phoneDigits, country: company.country), random.pick(company.country.spellings), p.city, p.source,
                date(monthsAgo: p.verifiedMonthsAgo), date(monthsAgo: p.activityMonthsAgo)]
    }

    /// Another rendering of an earlier person, with one to three realistic differences.
    mutating func variant(of original: Person) -> [String] {
        var p = original
        var jobChange = false
        if random.chance(0.12) {
            // A job change: same person, new company and title; the personal email follows them.
            p.company = random.skewedIndex(companies.count, skew: 1.3)
            p.title = random.pick(NamePools.titles)
            p.city = random.pick(companies[p.company].country.cities)
            jobChange = true
        }
        var row = render(p)
        if jobChange && random.chance(0.6) { row[2] = p.personalEmail }
        let edits = 1 + random.skewedIndex(3)
        for _ in 0..<edits {
            switch random.next() % 11 {
            case 0:
                let nicknames = NamePools.firstNames[p.first].nicknames
                if !nicknames.isEmpty { row[0] = random.pick(nicknames) }
            case 1: row[0] = String(row[0].prefix(1)) + "."
            case 2: row.swapAt(0, 1)
            case 3: row[0] = row[0].uppercased(); row[1] = row[1].uppercased()
            case 4:
                if let at = row[2].firstIndex(of: "@") {
                    row[2] = String(row[2][..<at]) + "+" + random.pick(["news", "crm", "2026", "leads"]) + String(row[2][at...])
                }
            case 5: row[2] = row[2].uppercased()
            case 6: row[2] = p.personalEmail
            case 7: row[4] = Self.companyVariant(row[4], random: &random)
            case 8: row[6] = phone(p.phoneDigits, country: companies[p.company].country)
            case 9: row[1] = Self.typo(row[1], random: &random)
            default: row[5] = Self.websiteVariant(companies[p.company].domain, random: &random)
            }
        }
        if random.chance(0.1) { row[6] = "" }
        return row
    }

    mutating func plantProblem(in row: inout [String], domain: String) {
        let local = row[2].split(separator: "@").first.map(String.init) ?? "lead"
        switch random.next() % 10 {
        case 0: row[2] = random.pick(["\(local)@@\(domain)", "\(local) x@\(domain)",
                                      "\(local).\(domain)", "\(local)..x@\(domain)",
                                      "\(local)@\(domain).", "@\(domain)"])
        case 1: row[2] = random.pick(NamePools.roles) + "@" + domain
        case 2: row[2] = local + "@" + random.pick(NamePools.disposable)
        case 3: row[2] = local + "@" + random.pick(NamePools.typoDomains)
        case 4: row[2] = ""
        case 5: row[4] = "  " + row[4].uppercased().replacingOccurrences(of: " ", with: "   ") + " "
        case 6: row[5] = "HTTP://WWW." + domain.uppercased() + "/?utm_source=list&utm_medium=csv"
        case 7: row[10] = date(monthsAgo: 30 + random.skewedIndex(30))
        case 8: row[4] = ""; row[5] = ""
        default: row[0] = " " + row[0].lowercased() + "  "; row[1] = row[1].lowercased()
        }
    }

    /// The two malformations exports really contain: a stray extra field, and a quote that never closes.
    func malformedLine(_ row: [String], strayQuote: Bool) -> String {
        var fields = row.map(Self.csvField)
        guard strayQuote else { return fields.joined(separator: ",") + ",unexpected extra field" }
        fields[5] = "\"" + row[5]
        return fields.joined(separator: ",")
    }

    // MARK: - Renderings

    func workEmail(first: String, last: String, company: Company) -> String {
        let f = Self.asciiLocal(first), l = Self.asciiLocal(last)
        let local = switch company.emailPattern {
        case 0: "\(f).\(l)"
        case 1: "\(f.prefix(1))\(l)"
        case 2: "\(f)"
        default: "\(f)\(l.prefix(1))"
        }
        return local + "@" + company.domain
    }

    mutating func phone(_ digits: String, country: (code: String, spellings: [String], cities: [String], phoneCode: String, trunk: String, nsn: Int, tlds: [String])) -> String {
        let d = Array(digits)
        func group(_ sizes: [Int], _ sep: String) -> String {
            var out: [String] = []
            var i = 0
            for s in sizes where i < d.count {
                out.append(String(d[i..<min(d.count, i + s)]))
                i += s
            }
            if i < d.count { out.append(String(d[i...])) }
            return out.joined(separator: sep)
        }
        switch random.next() % 4 {
        case 0: return "+\(country.phoneCode) " + group([3, 3, 4], " ")
        case 1 where country.code == "US" || country.code == "CA":
            return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6...]))"
        case 2: return "+\(country.phoneCode)\(digits)"
        default: return country.trunk + group([3, 3, 4], random.chance(0.5) ? " " : ".")
        }
    }

    func date(monthsAgo: Int?) -> String {
        guard let monthsAgo else { return "" }
        let days = Int(Double(monthsAgo) * 30.44) + (monthsAgo * 7919) % 28
        return dates[min(days, dates.count - 1)]
    }

    static func companyVariant(_ name: String, random: inout SeededRandom) -> String {
        var words = name.split(separator: " ").map(String.init)
        if let last = words.last, NamePools.legalSuffixes.contains(last), words.count > 1 {
            words.removeLast()
        } else {
            words.append(random.pick(["Inc.", "LLC", "Ltd", "Incorporated"]))
        }
        let joined = words.joined(separator: " ")
        return random.chance(0.3) ? joined.lowercased() : joined
    }

    static func websiteVariant(_ domain: String, random: inout SeededRandom) -> String {
        random.pick(["http://\(domain)/", "www.\(domain)", "https://\(domain)/about", "HTTPS://WWW.\(domain.uppercased())", domain])
    }

    static func typo(_ text: String, random: inout SeededRandom) -> String {
        var chars = Array(text)
        guard chars.count > 3 else { return text }
        let i = 1 + Int(random.next() % UInt64(chars.count - 2))
        if random.chance(0.5) { chars.swapAt(i, i + 1) } else { chars.remove(at: i) }
        return String(chars)
    }

    /// The ASCII mailbox spelling of every pooled name, folded once (Foundation's folding is slow per row).
    static let asciiNames: [String: String] = {
        var table: [String: String] = [:]
        for name in NamePools.firstNames.map(\.name) + NamePools.lastNames { table[name] = foldToASCII(name) }
        return table
    }()

    static func asciiLocal(_ text: String) -> String { asciiNames[text] ?? foldToASCII(text) }

    static func foldToASCII(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return String(folded.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") })
    }

    public static func csvField(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// One generated row.
public struct LeadRow: Sendable {
    /// Values in ``LeadSampleGenerator/leadColumns`` order.
    public var values: [String]
    /// The true entity: rows with the same id are the same person.
    public var entityID: String
    /// A raw malformed CSV line to write instead of `values`, when this row is a planted CSV error.
    public var malformed: String?

    /// The row as one CSV line.
    public var csvLine: String { malformed ?? values.map(LeadSampleGenerator.csvField).joined(separator: ",") }
}
