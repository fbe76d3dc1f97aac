import LeadSampleGenerator

/// A held-out case for the company-name join: leads without any domain, two name-keyed reference
/// files, and the truth of which reference company each lead belongs to (or none).
///
/// Written from how company names vary in real lists, not from what the join gets wrong:
/// - the same company is written with or without its legal form (and with another spelling of
///   it), in another case, with other punctuation (`&` for `and`, a hyphen or comma dropped), with
///   "The" or a generic word ("Group", "Holdings"), and now and then with one typing error;
/// - other companies have names close to it: the same name with a word more ("… Studio"), one of
///   several founders' names different, a surname that is another one with letters added
///   (Roger/Rogers, Cook/Cooper, Brun/Brunet), a double-barrelled name with another second half;
/// - two companies may share a name outright (different legal forms, different domains): a lead of
///   either cannot be told apart, so its truth is "none";
/// - a company can be in either reference file or both, each file writing it its own way.
struct CompanyNameVariantCase {
    struct ReferenceRow {
        var name: String
        var domain: String
        /// The company's identity, written as its LinkedIn page: what a wrong join would borrow.
        var company: Int
    }

    struct Lead {
        var name: String
        /// The reference company the lead belongs to, or nil when none (not in the references, or
        /// one of two companies of the same name).
        var company: Int?
    }

    var sources: [[ReferenceRow]] = [[], []]
    var leads: [Lead] = []

    static let surnames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
        "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
        "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
        "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
        "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo",
        "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell",
        "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons",
        "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace",
        "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar",
        "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods",
        "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman",
        "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder",
        "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd",
        "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels",
        "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley",
        "Spencer", "Hawkins", "Arnold", "Pierce", "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley",
        "Knight", "Elliott", "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews",
        "Alvarado", "Ray", "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards",
        "Contreras", "Willis", "Carpenter", "Lawrence", "Sandoval", "Guerrero", "George", "Chapman", "Rios",
        "Estrada", "Ortega", "Watkins", "Greene", "Nunez", "Wheeler", "Valdez", "Harper", "Burke", "Larson",
        "Santiago", "Maldonado", "Morrison", "Franklin", "Carlson", "Austin", "Dominguez", "Carr", "Lawson",
        "Jacobs", "Obrien", "Lynch", "Singh", "Vega", "Bishop", "Montgomery", "Oliver", "Jensen", "Harvey",
        "Williamson", "Gilbert", "Dean", "Sims", "Espinoza", "Howell", "Li", "Wong", "Reid", "Hanson", "Le",
        "McCoy", "Garrett", "Burton", "Fuller", "Wang", "Weber", "Welch", "Rojas", "Lucas", "Marquez", "Fields",
        "Park", "Yang", "Little", "Banks", "Padilla", "Day", "Walsh", "Bowman", "Schultz", "Luna", "Fowler",
        "Mejia", "Davidson", "Acosta", "Brewer", "May", "Holland", "Juarez", "Newman", "Pearson", "Curtis",
        "Cortez", "Douglas", "Schneider", "Joseph", "Barrett", "Navarro", "Figueroa", "Keller", "Avila", "Wade",
        "Molina", "Stanley", "Hopkins", "Campos", "Barnett", "Bates", "Chambers", "Caldwell", "Beck", "Lambert",
        "Miranda", "Byrd", "Craig", "Ayala", "Lowe", "Frazier", "Powers", "Neal", "Leonard", "Gregory", "Carrillo",
        "Sutton", "Fleming", "Rhodes", "Shelton", "Schwartz", "Norris", "Jennings", "Watts", "Duran", "Walters",
        "Cohen", "McDaniel", "Moran", "Parks", "Steele", "Vaughn", "Becker", "Holt", "Deleon", "Barker", "Terry",
        "Hale", "Leon", "Hail", "Benson", "Haynes", "Horton", "Miles", "Lyons", "Pham", "Graves", "Bush", "Thornton",
        "Wolfe", "Warner", "Cabrera", "McKinney", "Mann", "Zimmerman", "Dawson", "Lara", "Fletcher", "Page",
        "McCarthy", "Love", "Robles", "Cervantes", "Solis", "Erickson", "Reeves", "Chang", "Klein", "Salinas",
        "Fuentes", "Baldwin", "Daniel", "Simon", "Velasquez", "Hardy", "Higgins", "Aguirre", "Lin", "Cummings",
        "Chandler", "Sharp", "Barber", "Bowen", "Ochoa", "Dennis", "Robbins", "Liu", "Ramsey", "Francis", "Griffith",
        "Paul", "Blair", "Oconnor", "Cardenas", "Pacheco", "Cross", "Calderon", "Quinn", "Moss", "Swanson", "Chan",
        "Rivas", "Khan", "Rodgers", "Serrano", "Fitzgerald", "Rosales", "Stevenson", "Christensen", "Manning",
        "Gill", "Curry", "McLaughlin", "Harmon", "McGee", "Gross", "Doyle", "Garner", "Newton", "Burgess", "Reese",
        "Walton", "Blake", "Trujillo", "Adkins", "Brady", "Goodman", "Roman", "Webster", "Goodwin", "Fischer",
        "Huang", "Potter", "Delacruz", "Montoya", "Todd", "Wu", "Hines", "Mullins", "Castaneda", "Malone", "Cannon",
        "Tate", "Mack", "Sherman", "Hubbard", "Hodges", "Zhang", "Guerra", "Wolf", "Valencia", "Saunders", "Franco",
        "Rowe", "Gallagher", "Farmer", "Hammond", "Hampton", "Townsend", "Ingram", "Wise", "Gallegos", "Clarke",
        "Barton", "Schroeder", "Maxwell", "Waters", "Logan", "Camacho", "Strickland", "Norman", "Person", "Colon",
        "Parsons", "Frank", "Harrington", "Glover", "Osborne", "Buchanan", "Casey", "Floyd", "Patton", "Ibarra",
        "Ball", "Tyler", "Suarez", "Bowers", "Orozco", "Salas", "Cobb", "Gibbs", "Andrade", "Bauer", "Conner",
        "Moody", "Escobar", "McGuire", "Lloyd", "Mueller", "Hartman", "French", "Kramer", "McBride", "Pope",
        "Lindsey", "Velazquez", "Norton", "McCormick", "Sparks", "Flynn", "Yates", "Hogan", "Marsh", "Macias",
        "Villanueva", "Zamora", "Pratt", "Stokes", "Owen", "Ballard", "Lang", "Brock", "Villarreal", "Charles",
        "Drake", "Barrera", "Cain", "Patrick", "Pineda", "Burnett", "Mercado", "Santana", "Shepherd", "Bautista",
        "Ali", "Shaffer", "Lamb", "Trevino", "McKenzie", "Hess", "Beil", "Olsen", "Cochran", "Morton", "Nash",
        "Wilkins", "Petersen", "Briggs", "Shah", "Roth", "Nicholson", "Holloway", "Lozano", "Rangel", "Flowers",
        "Hoover", "Short", "Arias", "Mora", "Valenzuela", "Bryan", "Meyers", "Weiss", "Underwood", "Bass", "Greer",
        "Summers", "Houston", "Carson", "Morrow", "Clayton", "Whitaker", "Decker", "Yoder", "Collier", "Zuniga",
        "Carey", "Wilcox", "Melendez", "Poole", "Roberson", "Larsen", "Conley", "Davenport", "Copeland", "Massey",
        "Lam", "Huff", "Rocha", "Cameron", "Jefferson", "Hood", "Monroe", "Anthony", "Pittman", "Huynh", "Randall",
        "Singleton", "Kirk", "Combs", "Mathis", "Christian", "Skinner", "Bradford", "Richard", "Galvan", "Wall",
        "Boone", "Kirby", "Wilkinson", "Bridges", "Bruce", "Atkinson", "Velez", "Meza", "Roy", "Vincent", "York",
        "Hodge", "Villa", "Abbott", "Allison", "Tapia", "Gates", "Chase", "Sosa", "Sweeney", "Farrell", "Wyatt",
        "Dalton", "Horn", "Barron", "Phelps", "Yu", "Dickerson", "Heath", "Foley", "Atkins", "Mathews", "Bonilla",
        "Acevedo", "Benitez", "Zavala", "Hensley", "Glenn", "Cisneros", "Harrell", "Shields", "Rubio", "Huffman",
        "Choi", "Boyer", "Garrison", "Arroyo", "Bond", "Kane", "Hancock", "Callahan", "Dillon", "Cline", "Wiggins",
        "Grimes", "Arellano", "Melton", "Oneill", "Savage", "Ho", "Beltran", "Pitts", "Parrish", "Ponce", "Rich",
        "Booth", "Koch", "Golden", "Ware", "Brennan", "McDowell", "Marks", "Cantu", "Humphrey", "Baxter", "Sawyer",
        "Clay", "Tanner", "Hutchinson", "Kaur", "Berg", "Wiley", "Gilmore", "Russo", "Villegas", "Hobbs", "Keith",
        "Wilkerson", "Ahmed", "Beard", "McClain", "Montes", "Mata", "Rosario", "Vang", "Walter", "Henson", "Oneal",
        "Mosley", "McClure", "Beasley", "Stephenson", "Snow", "Huerta", "Preston", "Vance", "Barry", "Johns",
        "Eaton", "Blackwell", "Dyer", "Prince", "Macdonald", "Solomon", "Guevara", "Stafford", "English",
        "Hurst", "Woodard", "Cortes", "Shannon", "Kemp", "Nolan", "McCullough", "Merritt", "Murillo", "Moon",
        "Salgado", "Strong", "Kline", "Cordova", "Barajas", "Roach", "Rosas", "Winters", "Jacobson", "Lester",
        "Knox", "Bullock", "Kerr", "Leach", "Meadows", "Davila", "Orr", "Whitehead", "Pruitt", "Kent", "Conway",
        "McKee", "Barr", "David", "Dejesus", "Marin", "Berger", "McIntyre", "Blankenship", "Gaines", "Palacios",
        "Cuevas", "Bartlett", "Durham", "Dorsey", "McCall", "Odonnell", "Stein", "Browning", "Stout", "Lowery",
        "Sloan", "McLean", "Hendricks", "Calhoun", "Sexton", "Chung", "Gentry", "Hull", "Duarte", "Ellison",
        "Nielsen", "Gillespie", "Buck", "Middleton", "Sellers", "Leblanc", "Esparza", "Hardin", "Bradshaw",
        "McIntosh", "Howe", "Livingston", "Frost", "Glass", "Morse", "Knapp", "Herman", "Stark", "Bravo", "Noble",
        "Spears", "Weeks", "Corona", "Frederick", "Buckley", "McFarland", "Hebert", "Enriquez", "Hickman",
        "Quintero", "Randolph", "Schaefer", "Walls", "Trejo", "House", "Reilly", "Pennington", "Michael", "Conrad",
        "Giles", "Benjamin", "Crosby", "Fitzpatrick", "Donovan", "Mays", "Mahoney", "Valentine", "Raymond",
        "Medrano", "Hahn", "McMillan", "Small", "Bentley", "Felix", "Peck", "Lucero", "Boyle", "Hanna", "Pace",
        "Rush", "Hurley", "Harding", "McConnell", "Bernal", "Nava", "Ayers", "Everett", "Ventura", "Avery",
        "Pugh", "Mayer", "Bender", "Shepard", "McMahon", "Landry", "Case", "Sampson", "Moses", "Magana",
        "Blackburn", "Dunlap", "Gould", "Duffy", "Vaughan", "Herring", "McKay", "Espinosa", "Rivers", "Farley",
        "Bernard", "Ashley", "Friedman", "Potts", "Truong", "Costa", "Correa", "Blevins", "Nixon", "Clements",
        "Fry", "Delarosa", "Best", "Benton", "Lugo", "Portillo", "Dougherty", "Crane", "Haley", "Phan", "Villalobos",
        "Blanchard", "Horne", "Finley", "Quintana", "Lynn", "Esquivel", "Bean", "Dodson", "Mullen", "Xiong",
        "Hayden", "Cano", "Levy", "Huber", "Richmond", "Moyer", "Lim", "Frye", "Sheppard", "McCarty", "Avalos",
        "Booker", "Waller", "Parra", "Woodward", "Jaramillo", "Krueger", "Rasmussen", "Brandt", "Peralta",
        "Donaldson", "Stuart", "Faulkner", "Maynard", "Galindo", "Coffey", "Estes", "Sanford", "Burch", "Maddox",
        "Vo", "Oconnell", "Vu", "Andersen", "Spence", "McPherson", "Church", "Schmitt", "Stanton", "Leal",
        "Cherry", "Compton", "Dudley", "Sierra", "Pollard", "Alfaro", "Hester", "Proctor", "Lu", "Hinton",
        "Novak", "Good", "Madden", "McCann", "Terrell", "Jarvis", "Dickson", "Reyna", "Cantrell", "Mayo", "Branch",
        "Hendrix", "Rollins", "Rowland", "Whitney", "Duke", "Odom", "Daugherty", "Travis", "Tang", "Brun",
        "Brunet", "Kay", "Roger", "Masson", "Cooke",
    ]

    /// Words of made-up brand names ("Blue Harbor Logistics").
    static let brandWords = [
        "Blue", "Harbor", "North", "Summit", "Cedar", "Silver", "Granite", "Pioneer", "Beacon", "Redwood", "Atlas",
        "Crescent", "Maple", "Falcon", "Horizon", "Iron", "Lakeside", "Meridian", "Oak", "Prairie", "River",
        "Sterling", "Stone", "Sunrise", "Vertex", "Willow", "Bright", "Clear", "Golden", "Keystone", "Liberty",
        "Evergreen", "Northwind", "Bluebird", "Copper", "Crystal", "Eagle", "Frontier", "Harvest", "Highland",
        "Juniper", "Lighthouse", "Orchard", "Pinnacle", "Quarry", "Ridge", "Sapphire", "Timber", "Union", "Valley",
    ]
    /// What a company does, as the last word of its name; also the word a longer look-alike adds.
    static let activities = [
        "Logistics", "Analytics", "Systems", "Consulting", "Studio", "Partners", "Labs", "Digital", "Media",
        "Capital", "Design", "Ventures", "Software", "Foods", "Builders", "Engineering", "Health", "Energy",
        "Solutions", "Services", "Technologies", "Marketing", "Architects", "Dental", "Legal", "Realty",
        "Insurance", "Pharma", "Robotics", "Textiles", "Motors", "Bakery", "Brewing", "Press", "Networks",
    ]
    static let legalForms = [
        "Inc", "Inc.", "Incorporated", "LLC", "L.L.C.", "Ltd", "Ltd.", "Limited", "Corp", "Corp.", "Corporation",
        "PLC", "plc", "GmbH", "Co.", "LLP", "S.A.", "B.V.",
    ]
    static let genericWords = ["Group", "Holdings", "Company", "International"]
    /// Endings that make another surname from a surname (patronymics, plurals, diminutives).
    static let surnameEndings = ["s", "son", "er", "e", "et", "ey", "ing"]

    /// A company's canonical name, as its founders registered it.
    struct Company {
        var words: [String]
        var shape: Shape
        var legalForm: String?
        enum Shape { case founders, doubleBarrelled, andSons, brand, single }

        var name: String {
            var text: String
            switch shape {
            case .founders:
                text = words.count == 3 ? "\(words[0]), \(words[1]) and \(words[2])" : "\(words[0]) and \(words[1])"
            case .doubleBarrelled: text = "\(words[0])-\(words[1])"
            case .andSons: text = "\(words[0]) and Sons"
            case .brand, .single: text = words.joined(separator: " ")
            }
            if let legalForm { text += " " + legalForm }
            return text
        }

        /// What tells two companies' names apart: the words of the name without its legal form, case
        /// folded, without punctuation and "and". Names that differ only in what ``variant(of:typoRate:random:)``
        /// changes ("Garcia-Bates", "Garcia & Bates") are one name: the generator never makes two companies of it
        /// except on purpose (the twins).
        var identity: String {
            var plain = self
            plain.legalForm = nil
            let words = plain.name.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0 != "and" }
            return words.joined(separator: " ")
        }
    }

    init(leads leadCount: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var companies: [Company] = []
        var seen = Set<String>()
        func add(_ company: Company) -> Int? {
            guard seen.insert(company.identity).inserted else { return nil }
            companies.append(company)
            return companies.count - 1
        }

        func reference(_ company: Int, in source: Int, random: inout SeededRandom, domain: String? = nil) {
            let name = Self.referenceVariant(of: companies[company], random: &random)
            sources[source].append(ReferenceRow(name: name, domain: domain ?? "", company: company))
        }
        /// Puts a company into one or both reference files.
        func place(_ company: Int, random: inout SeededRandom) {
            // 40 % only in the first file, 30 % only in the second, 30 % in both.
            let placement = random.next() % 10
            if placement < 4 || placement >= 7 { reference(company, in: 0, random: &random) }
            if placement >= 4 { reference(company, in: 1, random: &random) }
        }

        while leads.count < leadCount {
            guard let company = add(Self.randomCompany(random: &random)) else { continue }
            let inReference = random.chance(0.7)
            if inReference { place(company, random: &random) }
            // Most companies of a real list have neighbours with close names in a large reference.
            if random.chance(0.6) {
                for _ in 0..<(1 + Int(random.next() % 2)) {
                    guard let near = Self.lookAlike(of: companies[company], random: &random), let other = add(near) else { continue }
                    place(other, random: &random)
                }
            }
            // Two companies of one name: same words, another legal form, another domain, in the same file.
            if inReference, random.chance(0.01) {
                var twin = companies[company]
                twin.legalForm = Self.legalForms.filter { $0 != twin.legalForm }.randomElement(using: &random)
                companies.append(twin)
                let source = sources[0].contains { $0.company == company } ? 0 : 1
                for (i, row) in sources[source].enumerated() where row.company == company && row.domain.isEmpty {
                    sources[source][i].domain = "c\(company).example"
                }
                reference(companies.count - 1, in: source, random: &random, domain: "c\(companies.count - 1).example")
                leads.append(Lead(name: Self.leadVariant(of: companies[company], random: &random), company: nil))
                continue
            }
            leads.append(Lead(name: Self.leadVariant(of: companies[company], random: &random),
                              company: inReference ? company : nil))
        }
        // Reference files list companies in their own order (alphabetical here), not the leads'.
        for s in sources.indices { sources[s].sort { $0.name < $1.name } }
    }

    static func randomCompany(random: inout SeededRandom) -> Company {
        func surname() -> String { surnames[random.skewedIndex(surnames.count, skew: 1.3)] }
        let legal: String? = random.chance(0.6) ? legalForms[random.skewedIndex(legalForms.count)] : nil
        switch random.next() % 10 {
        case 0, 1, 2:
            let count = random.chance(0.6) ? 3 : 2
            var words: [String] = []
            while words.count < count { let s = surname(); if !words.contains(s) { words.append(s) } }
            return Company(words: words, shape: .founders, legalForm: legal)
        case 3, 4:
            var second = surname()
            let first = surname()
            while second == first { second = surname() }
            return Company(words: [first, second], shape: .doubleBarrelled, legalForm: legal)
        case 5: return Company(words: [surname()], shape: .andSons, legalForm: random.chance(0.3) ? legal : nil)
        case 6, 7, 8:
            var words = [random.pick(brandWords)]
            if random.chance(0.5) { words.append(random.pick(brandWords)) }
            if words.count == 2, words[0] == words[1] { words.removeLast() }
            words.append(random.pick(activities))
            return Company(words: words, shape: .brand, legalForm: legal)
        default:
            return Company(words: [surname()] + (random.chance(0.5) ? [random.pick(activities)] : []), shape: .single,
                           legalForm: legal ?? (random.chance(0.5) ? "Inc" : nil))
        }
    }

    /// Another company whose name is close to `company`'s: one of the ways neighbouring names arise.
    static func lookAlike(of company: Company, random: inout SeededRandom) -> Company? {
        var other = company
        other.legalForm = random.chance(0.6) ? legalForms[random.skewedIndex(legalForms.count)] : nil
        switch random.next() % 4 {
        case 0:
            // The same name and a word more: a studio, a consultancy, a sister company.
            let word = random.pick(activities)
            guard !other.words.contains(word) else { return nil }
            other.words.append(word)
            if other.shape != .brand { other.shape = .brand }
            if company.shape == .founders || company.shape == .doubleBarrelled || company.shape == .andSons {
                // "Robinson, Black and Robbins Studio": the founders' name kept as written.
                return Company(words: [company.name.replacingLegalForm(), word], shape: .single, legalForm: other.legalForm)
            }
        case 1:
            // One founder (or the second half of a double-barrelled name, or a brand word) is another.
            guard other.words.count >= 2 else { return lookAlikeSurname(of: other, random: &random) }
            let i = other.shape == .brand ? Int(random.next() % UInt64(other.words.count - 1)) : other.words.count - 1
            var replacement = other.shape == .brand ? random.pick(brandWords) : surnames[random.skewedIndex(surnames.count, skew: 1.3)]
            var tries = 0
            while other.words.contains(replacement), tries < 5 { replacement = random.pick(surnames); tries += 1 }
            guard !other.words.contains(replacement) else { return nil }
            other.words[i] = replacement
        default:
            return lookAlikeSurname(of: other, random: &random)
        }
        return other
    }

    /// The company with one surname turned into a neighbouring surname: letters added or dropped at
    /// the end (Roger/Rogers, Brun/Brunet, Cook/Cooper), or another surname sharing its first letters.
    static func lookAlikeSurname(of company: Company, random: inout SeededRandom) -> Company? {
        var other = company
        let i = Int(random.next() % UInt64(other.words.count))
        let word = other.words[i]
        if random.chance(0.5) {
            let sharing = surnames.filter { $0 != word && $0.prefix(3) == word.prefix(3) }
            guard !sharing.isEmpty else { return nil }
            other.words[i] = random.pick(sharing)
        } else if word.count > 4, random.chance(0.3) {
            other.words[i] = String(word.dropLast(word.hasSuffix("son") ? 3 : 1))
        } else {
            // Real derived names do not double the last letter (no "Hopkinss", "Granitee").
            let endings = surnameEndings.filter { $0.first != word.last }
            other.words[i] = word + random.pick(endings)
        }
        return other
    }

    /// How a lead list writes the company: legal form dropped or respelled, case, punctuation, The,
    /// a generic word, sometimes a typing error.
    static func leadVariant(of company: Company, random: inout SeededRandom) -> String {
        variant(of: company, typoRate: 0.06, random: &random)
    }

    /// How a reference file writes the company: its own conventions, fewer typing errors.
    static func referenceVariant(of company: Company, random: inout SeededRandom) -> String {
        variant(of: company, typoRate: 0.03, random: &random)
    }

    static func variant(of company: Company, typoRate: Double, random: inout SeededRandom) -> String {
        var company = company
        // Legal form: kept, dropped, written another way, or added where the name had none.
        switch random.next() % 4 {
        case 0: company.legalForm = nil
        case 1: company.legalForm = legalForms[random.skewedIndex(legalForms.count)]
        default: break
        }
        var text = company.name
        if random.chance(0.3) { text = text.replacingOccurrences(" and ", with: " & ") }
        if random.chance(0.2) { text = text.replacingOccurrences(",", with: "") }
        if random.chance(0.15) { text = text.replacingOccurrences("-", with: " ") }
        if random.chance(0.05) { text = "The " + text }
        if random.chance(0.08) { text += " " + random.pick(genericWords) }
        switch random.next() % 10 {
        case 0: text = text.uppercased()
        case 1: text = text.lowercased()
        default: break
        }
        if random.chance(0.1) { text = " " + text + "  " }
        if random.chance(typoRate) { text = typo(text, random: &random) }
        return text
    }

    /// One typing error: a neighbouring key hit instead, two letters swapped, a letter dropped or
    /// doubled. The first letter of a word is rarely mistyped (Pollock & Zamora 1984 found few
    /// first-letter errors), so it is hit only 1 time in 20.
    static func typo(_ text: String, random: inout SeededRandom) -> String {
        var letters = Array(text)
        let positions = letters.indices.filter { letters[$0].isLetter }
        guard !positions.isEmpty else { return text }
        var i = random.pick(positions)
        let wordStart = i == 0 || !letters[i - 1].isLetter
        if wordStart, !random.chance(0.05), i + 1 < letters.count, letters[i + 1].isLetter { i += 1 }
        let neighbours: [Character: String] = [
            "a": "qswz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb",
            "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol",
            "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc",
            "y": "tghu", "z": "asx",
        ]
        let lower = Character(letters[i].lowercased())
        switch random.next() % 4 {
        case 0:
            if let keys = neighbours[lower] {
                let hit = random.pick(Array(keys))
                letters[i] = letters[i].isUppercase ? Character(hit.uppercased()) : hit
            }
        case 1:
            if i + 1 < letters.count, letters[i + 1].isLetter { letters.swapAt(i, i + 1) } else { letters.remove(at: i) }
        case 2: letters.remove(at: i)
        default: letters.insert(letters[i], at: i)
        }
        return String(letters)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The name without a trailing legal form.
    fileprivate func replacingLegalForm() -> String {
        for form in CompanyNameVariantCase.legalForms where hasSuffix(" " + form) { return String(dropLast(form.count + 1)) }
        return self
    }
}
