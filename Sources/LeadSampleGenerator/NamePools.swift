/// Word pools for generated leads. Invented for LeadHygiene; common given and family names are facts, not a copied list.
enum NamePools {
    /// Given names with the nicknames people actually use in CRMs.
    static let firstNames: [(name: String, nicknames: [String])] = [
        ("James", ["Jim", "Jimmy", "Jamie"]), ("Mary", ["Molly"]), ("Robert", ["Bob", "Rob", "Bobby"]),
        ("Patricia", ["Pat", "Patty", "Trish"]), ("John", ["Jack", "Johnny"]), ("Jennifer", ["Jen", "Jenny"]),
        ("Michael", ["Mike", "Mikey"]), ("Linda", ["Lindy"]), ("William", ["Bill", "Will", "Billy", "Liam"]),
        ("Elizabeth", ["Liz", "Beth", "Betty", "Eliza", "Lizzie"]), ("David", ["Dave", "Davey"]),
        ("Barbara", ["Barb", "Babs"]), ("Richard", ["Rick", "Dick", "Rich"]), ("Susan", ["Sue", "Suzy"]),
        ("Joseph", ["Joe", "Joey"]), ("Jessica", ["Jess", "Jessie"]), ("Thomas", ["Tom", "Tommy"]),
        ("Sarah", ["Sally"]), ("Charles", ["Charlie", "Chuck"]), ("Karen", []), ("Christopher", ["Chris", "Topher"]),
        ("Margaret", ["Maggie", "Peggy", "Meg"]), ("Daniel", ["Dan", "Danny"]), ("Nancy", []),
        ("Matthew", ["Matt"]), ("Lisa", []), ("Anthony", ["Tony"]), ("Betty", []), ("Mark", []),
        ("Sandra", ["Sandy"]), ("Donald", ["Don", "Donnie"]), ("Ashley", []), ("Steven", ["Steve"]),
        ("Kimberly", ["Kim"]), ("Andrew", ["Andy", "Drew"]), ("Emily", ["Em"]), ("Kenneth", ["Ken", "Kenny"]),
        ("Donna", []), ("Joshua", ["Josh"]), ("Michelle", ["Shelly"]), ("Kevin", []), ("Carol", []),
        ("Brian", []), ("Amanda", ["Mandy"]), ("Edward", ["Ed", "Eddie", "Ted"]), ("Melissa", ["Mel", "Missy"]),
        ("Ronald", ["Ron", "Ronnie"]), ("Deborah", ["Deb", "Debbie"]), ("Timothy", ["Tim"]),
        ("Stephanie", ["Steph"]), ("Jason", []), ("Rebecca", ["Becky", "Becca"]), ("Jeffrey", ["Jeff"]),
        ("Katherine", ["Kate", "Katie", "Kathy", "Kat"]), ("Alexander", ["Alex", "Sasha"]),
        ("Alexandra", ["Alex", "Lexi"]), ("Nicholas", ["Nick", "Nicky"]), ("Samuel", ["Sam"]),
        ("Benjamin", ["Ben", "Benny"]), ("Gregory", ["Greg"]), ("Frances", ["Fran"]), ("Victoria", ["Vicky", "Tori"]),
        ("Zachary", ["Zach"]), ("Jonathan", ["Jon"]), ("Nathaniel", ["Nate", "Nat"]), ("Christine", ["Chris", "Tina"]),
        ("Lucas", ["Luke"]), ("Sofia", ["Sophie"]), ("Mateo", []), ("Priya", []), ("Wei", []), ("Hiroshi", []),
        ("Aisha", []), ("Olga", []), ("Jürgen", []), ("François", []), ("Zoë", []), ("Søren", []), ("Inés", []),
        ("Björn", []), ("Chloé", []), ("José", ["Pepe"]), ("Giuseppe", ["Beppe"]), ("Francesca", ["Fran"]),
        ("Anika", []), ("Rahul", []), ("Mei", []), ("Oluwaseun", ["Seun"]), ("Fatima", []), ("Lars", []),
    ]

    static let lastNames: [String] = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "O'Brien", "McDonald", "MacLeod", "O'Connor", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
        "Wagner", "Becker", "Dubois", "Lefèvre", "Moreau", "Laurent", "Rossi", "Russo", "Ferrari", "Esposito",
        "van der Berg", "de Vries", "Jansen", "Bakker", "Visser", "Kowalski", "Nowak", "Novak", "Svensson", "Johansson",
        "Nielsen", "Hansen", "Larsen", "Andersen", "Kim", "Park", "Choi", "Wang", "Li", "Zhang",
        "Chen", "Liu", "Yamamoto", "Tanaka", "Suzuki", "Sato", "Patel", "Sharma", "Singh", "Gupta",
        "Okafor", "Adeyemi", "Silva", "Santos", "Oliveira", "Pereira", "Costa", "Fernández", "González", "Ruiz",
        "Murphy", "Kelly", "Sullivan", "Walsh", "Byrne", "Ryan", "Cohen", "Levy", "Friedman", "Katz",
        "Petrov", "Ivanov", "Popescu", "Horvat", "Kovač", "Papadopoulos", "Yilmaz", "Kaya", "Demir", "Haddad",
        "Bennett", "Cooper", "Reed", "Bailey", "Bell", "Gomez", "Kelley", "Howard", "Ward", "Cox",
        "Diaz", "Richardson", "Wood", "Watson", "Brooks", "Gray", "James", "Reyes", "Hughes", "Price",
        "Myers", "Long", "Foster", "Sanders", "Ross", "Morales", "Powell", "Sullivan", "Russell", "Ortiz",
    ]

    static let companyHeads = [
        "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
        "Blue", "Red", "Green", "Silver", "Golden", "Iron", "Harbor", "Summit", "Pioneer", "Vertex",
        "Apex", "Nimbus", "Quantum", "Polar", "Orbit", "Cedar", "Maple", "Falcon", "Beacon", "Atlas",
        "Nova", "Lumen", "Crescent", "Evergreen", "Granite", "Horizon", "Keystone", "Lighthouse", "Meridian", "Nexus",
        "Oak", "Pinnacle", "Riverside", "Sterling", "Trident", "Unity", "Vantage", "Westfield", "Zenith", "Bright",
        "Clear", "Swift", "Bold", "True", "Prime", "Core", "Open", "Smart", "Rapid", "Astra",
    ]
    static let companyTails = [
        "Systems", "Analytics", "Labs", "Software", "Logistics", "Health", "Capital", "Dynamics", "Networks", "Robotics",
        "Foods", "Energy", "Media", "Partners", "Solutions", "Technologies", "Consulting", "Manufacturing", "Bio", "Data",
        "Cloud", "Security", "Retail", "Works", "Industries", "Ventures", "Pharma", "Logic", "Metrics", "Motion",
    ]
    static let legalSuffixes = ["Inc", "Inc.", "LLC", "Ltd", "Ltd.", "Corp", "Corporation", "GmbH", "S.A.", "B.V.", "PLC", "Co.", "", "", ""]

    static let titles = [
        "Chief Executive Officer", "CEO", "CTO", "VP Sales", "VP of Marketing", "Head of Growth", "Sales Director",
        "Marketing Manager", "Account Executive", "Software Engineer", "Data Scientist", "Product Manager",
        "Operations Manager", "CFO", "Procurement Lead", "IT Director", "HR Business Partner", "Founder",
        "Customer Success Manager", "Business Development Rep", "Engineering Manager", "Head of Data",
    ]

    /// Countries with the spellings CRMs hold for them, cities, a phone pattern and top-level domains.
    static let countries: [(code: String, spellings: [String], cities: [String], phoneCode: String, trunk: String, nsn: Int, tlds: [String])] = [
        ("US", ["United States", "USA", "US", "U.S.A.", "united states of america"], ["New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle"], "1", "1", 10, ["com", "io", "ai", "co"]),
        ("GB", ["United Kingdom", "UK", "GB", "England", "Great Britain"], ["London", "Manchester", "Edinburgh", "Bristol"], "44", "0", 10, ["co.uk", "com", "io"]),
        ("DE", ["Germany", "Deutschland", "DE", "DEU"], ["Berlin", "München", "Hamburg", "Köln"], "49", "0", 10, ["de", "com"]),
        ("FR", ["France", "FR", "FRA"], ["Paris", "Lyon", "Toulouse"], "33", "0", 9, ["fr", "com"]),
        ("CA", ["Canada", "CA", "CAN"], ["Toronto", "Vancouver", "Montréal"], "1", "1", 10, ["ca", "com"]),
        ("AU", ["Australia", "AU", "AUS"], ["Sydney", "Melbourne", "Brisbane"], "61", "0", 9, ["com.au", "com"]),
        ("NL", ["Netherlands", "The Netherlands", "Holland", "NL"], ["Amsterdam", "Rotterdam", "Utrecht"], "31", "0", 9, ["nl", "com"]),
        ("ES", ["Spain", "España", "ES"], ["Madrid", "Barcelona", "Valencia"], "34", "", 9, ["es", "com"]),
        ("IN", ["India", "IN", "IND"], ["Bengaluru", "Mumbai", "Pune"], "91", "0", 10, ["in", "co.in", "com"]),
        ("JP", ["Japan", "JP", "JPN"], ["Tokyo", "Osaka"], "81", "0", 10, ["co.jp", "jp", "com"]),
        ("BR", ["Brazil", "Brasil", "BR"], ["São Paulo", "Rio de Janeiro"], "55", "0", 11, ["com.br", "com"]),
        ("SE", ["Sweden", "Sverige", "SE"], ["Stockholm", "Göteborg"], "46", "0", 9, ["se", "com"]),
    ]

    static let industries: [(name: String, naics: String)] = [
        ("Software", "511210"), ("IT Services", "541512"), ("Financial Services", "523920"), ("Healthcare", "621111"),
        ("Manufacturing", "332710"), ("Logistics", "488510"), ("Retail", "452210"), ("Media", "519130"),
        ("Energy", "221118"), ("Biotechnology", "541714"), ("Consulting", "541611"), ("Food & Beverage", "311999"),
    ]

    static let freeMail = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de"]
    static let disposable = ["mailinator.com", "10minutemail.com", "guerrillamail.com", "temp-mail.org", "yopmail.com"]
    static let roles = ["info", "sales", "contact", "admin", "support", "hello", "marketing", "noreply"]
    static let typoDomains = ["gmial.com", "gmail.con", "yaho.com", "hotmial.com", "outlok.com", "gmail.co"]
    static let sources = ["crm_export", "webinar_2026_q3", "purchased_list", "trade_show", "inbound_form", "partner_referral"]
}
