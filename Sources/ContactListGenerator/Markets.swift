/// Name, city and company-word pools per market, ordered roughly from most to least common so a Zipf
/// draw over them gives many Davids and Müllers and a long tail. Written for this generator: common
/// names and city names are public facts, the orderings and pools are its own.
struct Market: Sendable {
    var country: String
    var countryVariants: [String]
    var tld: String
    var phonePrefix: String
    var legalForms: [String]
    var cities: [String]
    var givenNames: [String]
    var familyNames: [String]
    /// Syllables that make up invented family names and company names (the long tail).
    var syllables: [String]
    var personalDomains: [String]
}

enum Markets {
    static let all: [Market] = [
        Market(country: "United States", countryVariants: ["US", "USA", "United States of America"], tld: "com", phonePrefix: "+1",
               legalForms: ["Inc.", "LLC", "Corp.", "Inc", ""],
               cities: ["New York", "Chicago", "Austin", "Boston", "Seattle", "Denver", "Atlanta", "San Jose", "Columbus",
                        "Phoenix", "Raleigh", "Minneapolis", "Portland", "Nashville", "Salt Lake City", "Pittsburgh"],
               givenNames: ["Michael", "Jennifer", "David", "Sarah", "James", "Emily", "Robert", "Jessica", "John", "Ashley",
                            "Christopher", "Amanda", "Daniel", "Megan", "Matthew", "Lauren", "William", "Rachel", "Andrew",
                            "Nicole", "Joshua", "Stephanie", "Brian", "Elizabeth", "Kevin", "Heather", "Jason", "Katherine",
                            "Ryan", "Rebecca", "Thomas", "Amy", "Steven", "Laura", "Eric", "Melissa", "Jonathan", "Kimberly",
                            "Timothy", "Angela", "Anthony", "Susan", "Richard", "Patricia", "Gregory", "Margaret", "Benjamin",
                            "Victoria", "Samuel", "Deborah", "Patrick", "Allison", "Nathan", "Kelly", "Zachary", "Brittany"],
               familyNames: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
                             "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
                             "Hall", "Allen", "Young", "King", "Wright", "Hill", "Scott", "Green", "Adams", "Baker", "Nelson",
                             "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
                             "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed",
                             "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks"],
               syllables: ["ber", "ton", "wick", "ley", "ford", "man", "son", "ridge", "field", "stone", "well", "hart",
                           "dale", "more", "by", "ham", "worth", "ly", "brook", "ing"],
               personalDomains: ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"]),
        Market(country: "United Kingdom", countryVariants: ["UK", "GB", "Great Britain"], tld: "co.uk", phonePrefix: "+44",
               legalForms: ["Ltd", "Limited", "PLC", "Ltd.", ""],
               cities: ["London", "Manchester", "Birmingham", "Leeds", "Bristol", "Edinburgh", "Glasgow", "Cambridge", "Reading",
                        "Nottingham"],
               givenNames: ["Oliver", "Charlotte", "Harry", "Sophie", "George", "Emma", "Jack", "Olivia", "Thomas", "Lucy",
                            "James", "Hannah", "William", "Chloe", "Daniel", "Amelia", "Samuel", "Grace", "Joseph", "Jessica",
                            "Matthew", "Ellie", "Edward", "Rebecca", "Alexander", "Katie", "Benjamin", "Holly", "Luke", "Abigail",
                            "Robert", "Victoria", "Richard", "Eleanor", "Christopher", "Megan"],
               familyNames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
                             "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
                             "Patel", "Hughes", "Edwards", "Lewis", "Harris", "Turner", "Hill", "Cooper", "Ward", "Morris",
                             "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
                             "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly"],
               syllables: ["ash", "bury", "ton", "ford", "well", "wick", "cott", "ham", "shaw", "ley", "brook", "field",
                           "more", "den", "by", "thorpe", "gate", "worth"],
               personalDomains: ["gmail.com", "btinternet.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "sky.com"]),
        Market(country: "France", countryVariants: ["FR", "République française"], tld: "fr", phonePrefix: "+33",
               legalForms: ["SAS", "SA", "SARL", "S.A.S.", ""],
               cities: ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes", "Strasbourg",
                        "Grenoble", "Montpellier", "Nice"],
               givenNames: ["Nicolas", "Marie", "Julien", "Camille", "Thomas", "Julie", "Sébastien", "Aurélie", "Pierre", "Sophie",
                            "Alexandre", "Céline", "Maxime", "Émilie", "Antoine", "Claire", "Guillaume", "Laura", "François",
                            "Sandrine", "Romain", "Nathalie", "Mathieu", "Isabelle", "Olivier", "Élodie", "Vincent", "Anne",
                            "Jérôme", "Caroline", "Hugues", "Mélanie", "Benoît", "Hélène", "Christophe", "Manon"],
               familyNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                             "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
                             "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
                             "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
                             "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Pelletier"],
               syllables: ["bel", "mont", "court", "ville", "champ", "lan", "ois", "rieu", "vert", "roche", "fort", "gnac",
                           "ard", "et", "in", "eau", "ieux", "val"],
               personalDomains: ["gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "sfr.fr", "yahoo.fr"]),
        Market(country: "Germany", countryVariants: ["DE", "Deutschland"], tld: "de", phonePrefix: "+49",
               legalForms: ["GmbH", "AG", "GmbH & Co. KG", "SE", ""],
               cities: ["Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig",
                        "Nürnberg", "Hannover", "Dresden", "Karlsruhe"],
               givenNames: ["Thomas", "Sabine", "Michael", "Julia", "Andreas", "Katrin", "Stefan", "Anna", "Christian", "Nicole",
                            "Markus", "Stefanie", "Alexander", "Claudia", "Tobias", "Laura", "Jan", "Sandra", "Matthias", "Christina",
                            "Florian", "Melanie", "Daniel", "Lena", "Sebastian", "Susanne", "Frank", "Jana", "Jürgen", "Katharina",
                            "Uwe", "Birgit", "Lukas", "Anja", "Felix", "Petra"],
               familyNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
                             "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
                             "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
                             "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
                             "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel"],
               syllables: ["berg", "mann", "hof", "stein", "bach", "feld", "au", "horst", "burg", "wald", "brück", "ling",
                           "er", "sen", "thal", "heim"],
               personalDomains: ["gmail.com", "web.de", "gmx.de", "t-online.de", "gmx.net", "outlook.de"]),
        Market(country: "Spain", countryVariants: ["ES", "España"], tld: "es", phonePrefix: "+34",
               legalForms: ["S.L.", "S.A.", "SL", ""],
               cities: ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga", "Zaragoza", "Alicante"],
               givenNames: ["Antonio", "María", "José", "Carmen", "Manuel", "Laura", "David", "Ana", "Javier", "Lucía",
                            "Daniel", "Marta", "Carlos", "Cristina", "Alejandro", "Elena", "Pablo", "Paula", "Sergio", "Sara",
                            "Jorge", "Raquel", "Alberto", "Beatriz", "Fernando", "Silvia", "Miguel", "Patricia"],
               familyNames: ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
                             "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
                             "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
                             "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz"],
               syllables: ["al", "var", "ez", "ro", "mar", "ca", "dor", "ena", "sol", "tor", "ino", "ar"],
               personalDomains: ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"]),
        Market(country: "Netherlands", countryVariants: ["NL", "Nederland", "The Netherlands"], tld: "nl", phonePrefix: "+31",
               legalForms: ["B.V.", "BV", "N.V.", ""],
               cities: ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Den Haag", "Groningen", "Tilburg", "Breda"],
               givenNames: ["Jan", "Anne", "Pieter", "Sanne", "Daan", "Lotte", "Thijs", "Emma", "Bram", "Lisa", "Ruben",
                            "Fleur", "Joost", "Eva", "Sander", "Iris", "Bas", "Marloes", "Tim", "Femke", "Wouter", "Sophie"],
               familyNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
                             "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
                             "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
                             "de Haan", "Vermeulen", "van den Heuvel"],
               syllables: ["hof", "dijk", "veld", "stra", "hout", "berg", "kamp", "man", "sma", "ink", "huis"],
               personalDomains: ["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "outlook.com"]),
        Market(country: "India", countryVariants: ["IN", "Bharat"], tld: "in", phonePrefix: "+91",
               legalForms: ["Pvt Ltd", "Private Limited", "Ltd", ""],
               cities: ["Bengaluru", "Mumbai", "Pune", "Hyderabad", "Chennai", "New Delhi", "Gurugram", "Noida", "Kolkata"],
               givenNames: ["Rahul", "Priya", "Amit", "Anjali", "Vikram", "Neha", "Rajesh", "Pooja", "Suresh", "Divya",
                            "Arjun", "Kavya", "Sanjay", "Shreya", "Anil", "Deepika", "Karthik", "Sneha", "Ravi", "Meera",
                            "Aditya", "Lakshmi", "Nikhil", "Swati", "Rohan", "Aishwarya"],
               familyNames: ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Rao", "Mehta", "Joshi",
                             "Shah", "Verma", "Menon", "Agarwal", "Chopra", "Das", "Pillai", "Bhat", "Desai", "Kulkarni",
                             "Malhotra", "Banerjee", "Mukherjee", "Chatterjee", "Srinivasan", "Krishnan", "Naidu"],
               syllables: ["an", "tha", "ra", "van", "esh", "ku", "mar", "ppa", "swa", "deep", "ka", "ni"],
               personalDomains: ["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"]),
    ]

    /// Share of companies per market (US and the large European markets dominate most B2B lists).
    static let marketWeights: [Double] = [0.36, 0.14, 0.16, 0.14, 0.07, 0.05, 0.08]

    /// Formal given names and the short forms people use in email signatures and CRMs.
    static let shortForms: [String: [String]] = [
        "Michael": ["Mike"], "Jennifer": ["Jen", "Jenny"], "David": ["Dave"], "James": ["Jim", "Jamie"],
        "Robert": ["Bob", "Rob"], "Jessica": ["Jess"], "John": ["Jack"], "Christopher": ["Chris"],
        "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "William": ["Bill", "Will"], "Andrew": ["Andy", "Drew"],
        "Joshua": ["Josh"], "Stephanie": ["Steph"], "Elizabeth": ["Liz", "Beth"], "Katherine": ["Kate", "Katie"],
        "Rebecca": ["Becky"], "Thomas": ["Tom"], "Steven": ["Steve"], "Jonathan": ["Jon"], "Timothy": ["Tim"],
        "Anthony": ["Tony"], "Richard": ["Rick", "Rich"], "Patricia": ["Pat", "Trish"], "Gregory": ["Greg"],
        "Margaret": ["Maggie", "Peggy"], "Benjamin": ["Ben"], "Victoria": ["Vicky", "Tori"], "Samuel": ["Sam"],
        "Deborah": ["Debbie", "Deb"], "Patrick": ["Pat"], "Nathan": ["Nate"], "Zachary": ["Zach"], "Alexander": ["Alex"],
        "Edward": ["Ed", "Ted"], "Joseph": ["Joe"], "Abigail": ["Abby"], "Eleanor": ["Ellie"], "Kimberly": ["Kim"],
        "Nicholas": ["Nick"], "Nicolas": ["Nico"], "Alejandro": ["Alex"], "Francisco": ["Paco"], "José": ["Pepe"],
        "Manuel": ["Manolo"], "Katharina": ["Kathi"], "Matthias": ["Matze"], "Sebastian": ["Basti"],
    ]

    static let titles: [String] = [
        "Account Executive", "Sales Manager", "VP Sales", "Chief Executive Officer", "CFO", "Head of Marketing",
        "Marketing Manager", "Software Engineer", "Senior Software Engineer", "Engineering Manager", "CTO",
        "Product Manager", "Operations Manager", "Procurement Lead", "Buyer", "HR Business Partner", "Office Manager",
        "Data Analyst", "IT Director", "Customer Success Manager", "Finance Director", "Legal Counsel", "Consultant",
        "Project Manager", "Business Development Representative", "Managing Director", "Director of Operations",
    ]

    /// Words that make up invented company names next to the syllable-built ones.
    static let companyWords: [String] = [
        "Systems", "Solutions", "Logistics", "Analytics", "Partners", "Industries", "Software", "Labs", "Consulting",
        "Technologies", "Foods", "Energy", "Health", "Capital", "Media", "Networks", "Robotics", "Materials", "Group",
        "Digital", "Pharma", "Engineering", "Retail", "Security", "Mobility", "Data", "Cloud", "Bio", "Works", "Design",
    ]
}
