import LeadRecords

/// The fields and blocking rules `dedupe: {}` uses on a lead list.
///
/// Prefers normalize's `norm_*` columns when they exist, falls back to the mapped canonical fields,
/// and leaves out whatever the list lacks.
enum LeadDefaults {
    static func fields(schema: Schema, columns: ColumnBindings) -> [FieldSpec] {
        func column(_ normalized: String?, _ field: CanonicalField) -> String? {
            if let normalized, schema.index(of: normalized) != nil { return normalized }
            return columns[field].map { schema.columns[$0.position] }
        }
        var specs: [FieldSpec] = []
        let first = column("norm_first_name", .firstName), last = column("norm_last_name", .lastName)
        if let first {
            specs.append(FieldSpec(name: "first_name", columns: [first], comparator: .name, termFrequency: true,
                                   swapWith: last == nil ? nil : "last_name"))
        }
        if let last { specs.append(FieldSpec(name: "last_name", columns: [last], comparator: .name, termFrequency: true)) }
        if first == nil, last == nil, let full = column(nil, .fullName) {
            specs.append(FieldSpec(name: "full_name", columns: [full], comparator: .string, termFrequency: true))
        }
        let company = column("norm_company", .company)
        let email = column("norm_email", .email)
        if let email {
            specs.append(FieldSpec(name: "email", columns: [email], comparator: .email,
                                   conditionalOn: company == nil ? nil : "company"))
        }
        if let company {
            specs.append(FieldSpec(name: "company", columns: [company], comparator: .company, termFrequency: true,
                                   impliedBy: email == nil ? nil : "email"))
        }
        // Company and domain say the same thing (the employer); comparing both would count it twice.
        if !specs.contains(where: { $0.name == "company" }), let domain = column("norm_domain", .domain) ?? column("norm_website", .website) {
            specs.append(FieldSpec(name: "domain", columns: [domain], comparator: .domain, termFrequency: true))
        }
        // A switchboard number is shared by many colleagues: weigh an agreement by the number's rarity. A number
        // one digit from another is a neighbouring extension when the employer agrees, not a typo.
        if let phone = column("norm_phone", .phone) {
            specs.append(FieldSpec(name: "phone", columns: [phone], comparator: .phone, termFrequency: true,
                                   impliedBy: company == nil ? nil : "company"))
        }
        if let linkedin = column(nil, .linkedinURL) {
            specs.append(FieldSpec(name: "linkedin_url", columns: [linkedin], comparator: .exact))
        }
        if let city = column(nil, .city) {
            // Most of an account's people share its home city: once the employer agrees, so does the city.
            specs.append(FieldSpec(name: "city", columns: [city], comparator: .exact, termFrequency: true,
                                   conditionalOn: company == nil ? nil : "company", impliedBy: company == nil ? email.map { _ in "email" } : "company"))
        }
        if let postcode = column(nil, .postcode) {
            specs.append(FieldSpec(name: "postcode", columns: [postcode], comparator: .exact, termFrequency: true,
                                   impliedBy: company == nil ? email.map { _ in "email" } : "company"))
        }
        if let country = column("norm_country", .country) {
            specs.append(FieldSpec(name: "country", columns: [country], comparator: .exact,
                                   impliedBy: company == nil ? email.map { _ in "email" } : "company"))
        }
        return specs
    }

    /// Rules over the default fields: same mailbox, same phone, same profile, and a shared name at the same employer
    /// (family name, nickname-folded given name, or both names in either order).
    ///
    /// There is deliberately no rule on the name alone: on a large list a common name blocks thousands of
    /// different people, and a name with nothing else in common is not enough evidence to link.
    static func blocking(for fields: [FieldSpec]) -> [BlockingRule] {
        let names = Set(fields.map(\.name))
        let candidates: [(needs: [String], unless: String?, rule: String)] = [
            (["email"], nil, "email"),
            (["phone"], nil, "phone"),
            (["linkedin_url"], nil, "linkedin_url"),
            // A shared name at one employer, with the other name's initial: on an account with thousands of
            // contacts a family name or a given name alone blocks hundreds of colleagues.
            (["last_name", "first_name", "company"], nil, "last_name + company + first_name.initial"),
            (["first_name", "last_name", "company"], nil, "first_name.nickname + company + last_name.initial"),
            (["last_name", "company"], "first_name", "last_name + company"),
            (["first_name", "last_name", "company"], nil, "first_name & last_name & company"),
            (["last_name", "domain"], nil, "last_name + domain"),
            (["full_name", "company"], nil, "full_name.sorted + company"),
        ]
        return candidates.filter { $0.needs.allSatisfy(names.contains) && !($0.unless.map(names.contains) ?? false) }
            .map { try! BlockingRule($0.rule) }
    }
}
