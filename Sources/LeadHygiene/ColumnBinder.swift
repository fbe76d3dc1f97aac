import LeadRecords
import PipelineSpec

/// Finds, for each canonical field, the input column that holds it: from `columns:` first, then
/// (with `auto_columns: true`) by a matching header name such as `E-mail Address` or `First Name`.
public struct ColumnBinder {
    /// Header spellings that mean a canonical field, compared after lower-casing and dropping
    /// everything but letters and digits.
    static let aliases: [CanonicalField: [String]] = [
        .email: ["email", "emailaddress", "mail", "workemail", "businessemail", "emailid"],
        .firstName: ["firstname", "givenname", "fname", "forename", "first"],
        .lastName: ["lastname", "surname", "familyname", "lname", "last"],
        .fullName: ["name", "fullname", "contactname", "contact"],
        .title: ["title", "jobtitle", "position", "role"],
        .company: ["company", "companyname", "organization", "organisation", "account", "accountname", "employer"],
        .website: ["website", "url", "web", "site", "companywebsite", "websiteurl", "homepage", "companyurl"],
        .domain: ["domain", "companydomain", "emaildomain"],
        .phone: ["phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "workphone", "directphone"],
        .country: ["country", "countrycode", "countryname", "nation"],
        .region: ["state", "region", "province", "stateprovince", "county"],
        .city: ["city", "town", "locality"],
        .postcode: ["postcode", "postalcode", "zip", "zipcode"],
        .linkedinURL: ["linkedin", "linkedinurl", "linkedinprofile"],
        .lastVerifiedAt: ["lastverifiedat", "lastverified", "verifiedat", "verifieddate", "lastverifieddate"],
        .lastActivityAt: ["lastactivityat", "lastactivity", "lastactivitydate", "lastengaged", "lastcontacted"],
        .source: ["source", "leadsource"],
        .recordID: ["id", "recordid", "leadid", "contactid"],
    ]

    public struct Binding {
        public var columns: ColumnBindings
        /// Field → (column, whether it was matched by name rather than written under `columns:`).
        public var mapped: [(field: CanonicalField, column: String, automatic: Bool)]
        public var diagnostics: [Diagnostic]
    }

    public static func bind(pipeline: PipelineFile, header: [String], schema: Schema) -> Binding {
        var bindings = ColumnBindings()
        var mapped: [(CanonicalField, String, Bool)] = []
        var diagnostics: [Diagnostic] = []
        for mapping in pipeline.columns {
            if let index = schema.index(of: mapping.column) {
                bindings[mapping.field] = index
                mapped.append((mapping.field, mapping.column, false))
            } else {
                diagnostics.append(Diagnostic(
                    file: pipeline.path, location: mapping.location ?? .start,
                    message: "column '\(mapping.column)' (for \(mapping.field.name)) is not in the input header"
                        + NearestName.hint(for: mapping.column, among: header)
                        + "; the header has: \(header.joined(separator: ", "))"))
            }
        }
        if pipeline.autoColumns {
            let explicit = Set(pipeline.columns.map(\.field))
            let used = Set(pipeline.columns.map(\.column))
            for field in CanonicalField.all where !explicit.contains(field) {
                let wanted = Set(aliases[field] ?? [squash(field.name)])
                if let column = header.first(where: { !used.contains($0) && wanted.contains(squash($0)) }),
                   let index = schema.index(of: column) {
                    bindings[field] = index
                    mapped.append((field, column, true))
                }
            }
        }
        return Binding(columns: bindings, mapped: mapped.map { (field: $0.0, column: $0.1, automatic: $0.2) },
                       diagnostics: diagnostics)
    }

    static func squash(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") })
    }
}
