import Foundation

/// Generates a B2B contact list the way CRM exports look, with the true person behind every row.
///
/// Written independently of `lead-sample` (its own random source, pools and statistics) so the dedupe
/// stage can be checked on data it was not tuned on:
/// - company sizes follow a Zipf law (most accounts have a handful of contacts, a few have thousands);
/// - every company has a home city most of its staff share, and a branch city or two;
/// - names are drawn by frequency, so large accounts hold many Davids and many Müllers, and people
///   with the same full name at one company have different mailboxes (`david.muller2@`);
/// - each company writes addresses one way (`first.last`, `flast`, `first`, `f.last` …);
/// - some rows carry a team mailbox (`info@`, `sales@`) or the switchboard number instead of the person's;
/// - a person may appear several times: re-imported, with a nickname, a typo, first and last name swapped,
///   a personal address, missing fields, or after moving to another company.
public struct ContactListGenerator {
    public struct Configuration: Sendable {
        public var rows: Int
        public var seed: UInt64
        /// Share of people who appear more than once.
        package var repeatedPeople: Double = 0.25
        /// Share of repeated appearances made after the person changed employer.
        package var jobChangeRate: Double = 0.06
        /// The largest account, in contacts (at most a hundredth of the list, so small lists stay varied).
        package var largestAccount: Int = 5000

        public init(rows: Int, seed: UInt64) {
            self.rows = rows
            self.seed = seed
        }
    }

    /// The export's columns, in order.
    public static let columns = ["Contact ID", "First", "Last", "E-mail Address", "Job Title", "Account", "Account Website",
                                 "Phone", "City", "Country", "LinkedIn", "Created"]
    public static let truthColumns = ["Contact ID", "person_id"]

    /// One row and the person it describes.
    public struct Row: Sendable {
        public var values: [String]
        public var personID: String
    }

    struct Company {
        var name: String
        var legalForm: String
        var domain: String
        var market: Int
        var homeCity: String
        var branchCities: [String]
        var pattern: MailboxPattern
        var areaDigits: String
        var switchboard: String
        var size: Int
        var mailboxes: Set<String> = []
        var extensions: Set<Int> = [0]
    }

    struct Person {
        var id: Int
        var given: String
        var family: String
        var market: Int
        var company: Int
        var mailbox: String?
        var city: String
        var title: String
        var directLine: String?
        var mobile: String?
        var linkedin: String?
        var personalEmail: String?
        /// Whether this is the person after a job change (the row must show what follows the person).
        var moved = false
    }

    /// How a company writes its people's mailboxes.
    enum MailboxPattern: CaseIterable {
        case firstDotLast, initialLast, first, firstLast, firstUnderscoreLast, initialDotLast, lastDotFirst, firstInitial, lastInitial

        /// Rough shares seen across company address books.
        static let weights: [Double] = [0.42, 0.20, 0.07, 0.05, 0.04, 0.09, 0.04, 0.05, 0.04]

        func local(given: String, family: String) -> String {
            let g = given, f = family, gi = String(given.prefix(1)), fi = String(family.prefix(1))
            switch self {
            case .firstDotLast: return g + "." + f
            case .initialLast: return gi + f
            case .first: return g
            case .firstLast: return g + f
            case .firstUnderscoreLast: return g + "_" + f
            case .initialDotLast: return gi + "." + f
            case .lastDotFirst: return f + "." + g
            case .firstInitial: return g + fi
            case .lastInitial: return f + gi
            }
        }
    }

    let config: Configuration
    var random: Xoshiro256
    var companies: [Company] = []
    var people: [Person] = []
    let marketTable = WeightedTable(weights: Markets.marketWeights)
    let givenTables: [WeightedTable]
    let familyTables: [WeightedTable]
    let patternTable = WeightedTable(weights: MailboxPattern.weights)
    var usedDomains: Set<String> = []
    var usedNames: Set<String> = []
    var usedPersonalAddresses: Set<String> = []
    var asciiForms: [String: String] = [:]

    public init(_ config: Configuration) {
        self.config = config
        random = Xoshiro256(seed: config.seed ^ 0xC0_47AC_7115_7000)
        // Zipf exponents below 1: the head is common (many Davids) without a handful of names taking everyone.
        givenTables = Markets.all.map { WeightedTable(zipfCount: $0.givenNames.count, exponent: 0.7) }
        familyTables = Markets.all.map { WeightedTable(zipfCount: $0.familyNames.count, exponent: 0.8) }
    }

    /// Generates the list: every row once, shuffled (the same seed always gives the same list).
    public mutating func generate() -> [Row] {
        var rows: [(values: [String], person: Int32)] = []
        rows.reserveCapacity(config.rows)
        let largest = max(5, min(config.largestAccount, config.rows / 100))
        while rows.count < config.rows {
            let company = makeCompany(largest: largest)
            for _ in 0..<companies[company].size where rows.count < config.rows {
                let person = makePerson(company: company)
                rows.append((render(person, variant: false), Int32(person.id)))
                guard random.bernoulli(config.repeatedPeople) else { continue }
                // Repeats: usually one, sometimes a few (the same person imported from several sources).
                let repeats = random.bernoulli(0.75) ? 1 : (random.bernoulli(0.7) ? 2 : 3 + random.below(3))
                var current = person
                for _ in 0..<repeats where rows.count < config.rows {
                    if random.bernoulli(config.jobChangeRate), let moved = changeJob(current) { current = moved }
                    rows.append((render(current, variant: true), Int32(person.id)))
                }
            }
        }
        // Shuffle (Fisher–Yates): lists are merged from many sources, not sorted by account.
        for i in stride(from: rows.count - 1, to: 0, by: -1) {
            let j = random.below(i + 1)
            if i != j { rows.swapAt(i, j) }
        }
        return rows.enumerated().map { index, row in
            let number = String(index + 1)
            let id = "C" + String(repeating: "0", count: max(0, 8 - number.count)) + number
            return Row(values: [id] + row.values, personID: "P\(row.person)")
        }
    }

    // MARK: Companies and people

    mutating func makeCompany(largest: Int) -> Int {
        let m = marketTable.draw(&random)
        let market = Markets.all[m]
        // Zipf-distributed size: P(size ≥ k) = 1/k, cut at the largest account.
        let size = min(largest, Int(1 / max(random.unit(), 1e-9)))
        // Two accounts rarely share a name in one list: draw again (longer) when the name is taken.
        var name = inventedWord(market)
        if random.bernoulli(0.45) { name += " " + random.pick(Markets.companyWords) }
        var attempt = 0
        while usedNames.contains(name) {
            attempt += 1
            name = inventedWord(market, syllables: 2 + attempt / 3) + (attempt % 2 == 0 ? "" : " " + random.pick(Markets.companyWords))
        }
        usedNames.insert(name)
        var domainBase = ascii(name).lowercased().filter { $0.isLetter || $0.isNumber }
        if random.bernoulli(0.15) { domainBase = String(domainBase.prefix(6)) + random.pick(["hq", "group", "corp", "io"]) }
        var domain = domainBase + "." + market.tld
        var n = 2
        while usedDomains.contains(domain) {
            domain = domainBase + String(n) + "." + market.tld
            n += 1
        }
        usedDomains.insert(domain)
        let home = random.pick(market.cities)
        let branches = size > 50 ? (0..<(1 + random.below(3))).map { _ in random.pick(market.cities) }.filter { $0 != home } : []
        // Direct lines share the account's area code and exchange; the extension is each person's own.
        let area = String(2 + random.below(8)) + String(random.below(10)) + String(random.below(10))
        let block = String(200 + random.below(800))
        var pattern = MailboxPattern.allCases[patternTable.draw(&random)]
        // Only small companies get away with first-name-only mailboxes.
        if pattern == .first && size > 40 { pattern = .firstDotLast }
        companies.append(Company(name: name, legalForm: random.pick(market.legalForms), domain: domain, market: m,
                                 homeCity: home, branchCities: branches, pattern: pattern, areaDigits: area + block,
                                 switchboard: area + block + "0000", size: size))
        return companies.count - 1
    }

    mutating func makePerson(company c: Int) -> Person {
        // Most staff come from the company's market; international staff from anywhere.
        let m = random.bernoulli(0.85) ? companies[c].market : marketTable.draw(&random)
        let market = Markets.all[m]
        // Published name statistics: the commonest fifty given names cover about a third of people and the
        // commonest sixty family names about a seventh (the chance two people share a full name is a few in a
        // million); the rest is a long tail, invented here from syllables.
        let given = random.bernoulli(0.35) ? market.givenNames[givenTables[m].draw(&random)] : inventedGivenName()
        let family = random.bernoulli(0.15) ? market.familyNames[familyTables[m].draw(&random)]
            : capitalised(inventedWord(market, syllables: 2 + random.below(3)))
        let company = companies[c]
        let city = companies[c].branchCities.isEmpty || random.bernoulli(0.8) ? company.homeCity : random.pick(company.branchCities)
        let id = people.count + 1
        var person = Person(id: id, given: given, family: family, market: m, company: c, mailbox: nil, city: city,
                            title: random.pick(Markets.titles))
        person.mailbox = allocateMailbox(given: given, family: family, company: c)
        if random.bernoulli(0.7) { person.directLine = allocateDirectLine(company: c) }
        if random.bernoulli(0.35) { person.mobile = "6" + String(format: "%08d", random.below(100_000_000)) }
        if random.bernoulli(0.45) {
            person.linkedin = "https://www.linkedin.com/in/" + ascii(given + "-" + family).lowercased().replacingOccurrences(of: " ", with: "-")
                + "-" + String(random.next() & 0xFFFFFF, radix: 16)
        }
        if random.bernoulli(0.3) {
            // A mailbox is one person's: a namesake who wants the same address gets a number.
            let local = random.bernoulli(0.5) ? slug(given) + "." + slug(family) : slug(given) + slug(family) + String(random.below(100))
            let domain = random.pick(market.personalDomains)
            var address = local + "@" + domain, n = 2
            while usedPersonalAddresses.contains(address) { address = local + String(n) + "@" + domain; n += 1 }
            usedPersonalAddresses.insert(address)
            person.personalEmail = address
        }
        people.append(person)
        return person
    }

    /// The person's mailbox at company `c` by its pattern; a colleague who already has it gets a digit.
    mutating func allocateMailbox(given: String, family: String, company c: Int) -> String {
        var local = companies[c].pattern.local(given: slug(given), family: slug(family))
        if companies[c].mailboxes.contains(local), companies[c].pattern == .first {
            local = MailboxPattern.firstDotLast.local(given: slug(given), family: slug(family))
        }
        var candidate = local, n = 2
        while companies[c].mailboxes.contains(candidate) {
            candidate = local + String(n)
            n += 1
        }
        companies[c].mailboxes.insert(candidate)
        return candidate
    }

    /// A direct line at company `c` no colleague has (an extension of its own; 0000 is the switchboard).
    mutating func allocateDirectLine(company c: Int) -> String {
        if companies[c].extensions.count >= 9_000 { return companies[c].switchboard }
        var ext = random.below(10_000)
        while companies[c].extensions.contains(ext) { ext = random.below(10_000) }
        companies[c].extensions.insert(ext)
        return companies[c].areaDigits + String(format: "%04d", ext)
    }

    /// The same person after moving to another company (picked as a colleague's employer: large accounts hire more).
    ///
    /// A list only knows that the new row is the same person through something that follows the person:
    /// a LinkedIn profile, a personal address or a mobile number. People with none of these never appear as a
    /// job change (whoever built the list could not have known), and the moved row always shows one of them.
    mutating func changeJob(_ person: Person) -> Person? {
        guard people.count > 10, person.linkedin != nil || person.personalEmail != nil || person.mobile != nil else { return nil }
        let target = people[random.below(people.count)].company
        guard target != person.company else { return nil }
        var moved = person
        moved.moved = true
        moved.company = target
        moved.city = companies[target].homeCity
        moved.mailbox = allocateMailbox(given: person.given, family: person.family, company: target)
        moved.directLine = random.bernoulli(0.6) ? allocateDirectLine(company: target) : nil
        moved.title = random.pick(Markets.titles)
        return moved
    }

    // MARK: Rendering a row

    /// One row for `person`; a `variant` is a later appearance with the changes real re-imports show.
    mutating func render(_ person: Person, variant: Bool) -> [String] {
        let company = companies[person.company]
        let market = Markets.all[company.market]
        var given = person.given, family = person.family
        var email = person.mailbox.map { $0 + "@" + company.domain } ?? ""
        var phone = person.directLine.map { format(phone: $0, market: market) } ?? ""
        var city = person.city, country = market.country
        var account = company.legalForm.isEmpty ? company.name : company.name + " " + company.legalForm
        var website = random.bernoulli(0.5) ? "" : random.pick(["https://www.", "www.", "http://", ""]) + company.domain
        var linkedin = person.linkedin.flatMap { random.bernoulli(0.6) ? $0 : nil } ?? ""
        // Rows of any kind: some export the switchboard, the mobile or a team mailbox instead.
        if random.bernoulli(0.08) { phone = format(phone: company.switchboard, market: market) }
        if let mobile = person.mobile, random.bernoulli(0.3) { phone = format(phone: mobile, market: market) }
        if random.bernoulli(0.03) { email = random.pick(["info", "sales", "contact", "hello", "office"]) + "@" + company.domain }
        if let personal = person.personalEmail, random.bernoulli(0.08) { email = personal }
        if random.bernoulli(0.04) { email = "" }
        if random.bernoulli(0.08) { city = "" }
        if random.bernoulli(0.1) { country = "" }
        if variant {
            // One to three changes of the kind that accumulate between sources.
            for _ in 0..<(1 + random.below(3)) {
                switch random.below(14) {
                case 0: if given == person.given, let short = Markets.shortForms[given] { given = random.pick(short) }
                case 1: family = typo(family)
                case 2: given = typo(given)
                case 3: swap(&given, &family)
                case 4: if let personal = person.personalEmail { email = personal } else { email = "" }
                case 5: if !email.isEmpty, let at = email.firstIndex(of: "@") {
                    email = email[..<at] + "+" + random.pick(["crm", "news", "events"]) + email[at...]
                }
                case 6: email = email.uppercased()
                case 7: phone = person.mobile.map { format(phone: $0, market: market) } ?? ""
                case 8: account = random.bernoulli(0.5) ? company.name : company.name.uppercased()
                case 9: city = ""; country = random.bernoulli(0.5) ? "" : random.pick(market.countryVariants)
                case 10: given = String(given.prefix(1)) + "."
                case 11: given = ascii(given); family = ascii(family)
                case 12: website = ""; linkedin = person.linkedin ?? ""
                default: phone = ""; if random.bernoulli(0.5) { account = "" }
                }
            }
        }
        if person.moved {
            // What tells the list this is the same person (see `changeJob`).
            switch (person.linkedin, person.personalEmail, person.mobile) {
            case (let url?, _, _): linkedin = url
            case (nil, let personal?, _): email = personal
            case (nil, nil, let mobile?): phone = format(phone: mobile, market: market)
            default: break
            }
        }
        if random.bernoulli(0.03) { given = given.uppercased(); family = family.uppercased() }
        let created = String(2019 + random.below(8)) + "-" + String(format: "%02d-%02d", 1 + random.below(12), 1 + random.below(28))
        return [given, family, email, person.title, account, website, phone, city, country, linkedin, created]
    }

    // MARK: Text helpers

    mutating func inventedWord(_ market: Market, syllables: Int? = nil) -> String {
        var word = ""
        for _ in 0..<(syllables ?? (2 + random.below(2))) { word += random.pick(market.syllables) }
        return capitalised(word)
    }

    /// A given name from the long tail: two syllables and an ending ("Marien", "Tobila").
    mutating func inventedGivenName() -> String {
        let syllables = ["ma", "ri", "el", "an", "to", "li", "sa", "ben", "ja", "ko", "ra", "ne", "di", "lo", "vi", "ta",
                         "mi", "ka", "ro", "le", "jo", "na", "fe", "sil", "ar", "is", "da", "ho", "lu", "ye"]
        let endings = ["", "a", "n", "e", "o", "s", "ia", "el"]
        return capitalised(random.pick(syllables) + random.pick(syllables) + random.pick(endings))
    }

    func capitalised(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    /// Without accents ("Sébastien" → "Sebastien", "Müller" → "Muller"); names repeat, so each is transformed once.
    mutating func ascii(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if let known = asciiForms[text] { return known }
        let plain = text.applyingTransform(.stripDiacritics, reverse: false) ?? text
        asciiForms[text] = plain
        return plain
    }

    /// A mailbox-safe lowercase form of a name ("van den Berg" → "vandenberg", "Lefèbvre" → "lefebvre").
    mutating func slug(_ name: String) -> String { ascii(name).lowercased().filter { $0.isLetter && $0.isASCII } }

    /// One keyboard slip: a dropped, doubled, swapped or replaced letter.
    mutating func typo(_ word: String) -> String {
        var chars = Array(word)
        guard chars.count > 3 else { return word }
        let i = 1 + random.below(chars.count - 2)
        switch random.below(4) {
        case 0: chars.remove(at: i)
        case 1: chars.insert(chars[i], at: i)
        case 2: chars.swapAt(i, i + 1)
        default: chars[i] = Character(UnicodeScalar(UInt8(97 + random.below(26))))
        }
        return String(chars)
    }

    mutating func format(phone digits: String, market: Market) -> String {
        switch random.below(3) {
        case 0: return market.phonePrefix + " " + digits
        case 1: return "0" + digits
        default:
            var grouped = "", count = 0
            for c in digits {
                if count > 0 && count % 3 == 0 { grouped += " " }
                grouped.append(c)
                count += 1
            }
            return market.phonePrefix + " " + grouped
        }
    }
}
