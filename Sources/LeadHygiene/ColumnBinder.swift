import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// Finds, for each canonical field, the input column that holds it: from `columns:` first, then
/// (with `auto_columns: true`) by a matching header name such as `E-mail Address` or `First Name`.
public struct ColumnBinder {
    /// Header spellings that mean a canonical field, compared after lower-casing and dropping
    /// everything but letters and digits.
    ///
    /// Beside the generic spellings, the headers of the exports people bring: HubSpot (`Email Address`,
    /// `Country/Region`, `State/Region`, `Mobile Phone Number`, `Website URL`, `Last Activity Date`, `Record ID`),
    /// Salesforce leads, contacts and reports (`Mailing Country`, `Account Name`, `Lead Source`, `Lead ID`),
    /// Pipedrive (`Person - Email`, `Organization - Name`), Marketo, Apollo (`Company Name for Emails`,
    /// `Person Linkedin Url`), ZoomInfo (`Direct Phone Number`, `ZoomInfo Contact ID`) and LinkedIn Sales
    /// Navigator (`Profile URL`, `Current Company`).
    static let aliases: [CanonicalField: [String]] = [
        .email: ["email", "emailaddress", "mail", "workemail", "businessemail", "emailid", "personemail", "primaryemail",
                 "contactemail", "emailaddresswork", "contactemailaddress", "leademail", "businessemailaddress"],
        .firstName: ["firstname", "givenname", "fname", "forename", "first", "personfirstname", "contactfirstname",
                     "leadfirstname"],
        .lastName: ["lastname", "surname", "familyname", "lname", "last", "personlastname", "contactlastname", "leadlastname"],
        .fullName: ["name", "fullname", "contactname", "contact", "personname", "leadname", "contactfullname"],
        .title: ["title", "jobtitle", "position", "role", "persontitle", "currenttitle", "jobfunction", "currentposition"],
        .company: ["company", "companyname", "organization", "organisation", "account", "accountname", "employer",
                   "organizationname", "organisationname", "companynameforemails", "currentcompany", "associatedcompany",
                   "companyaccount", "personorganization", "leadcompany"],
        .website: ["website", "url", "web", "site", "companywebsite", "websiteurl", "homepage", "companyurl",
                   "companywebsiteurl", "organizationwebsite", "companywebsitedomain"],
        .domain: ["domain", "companydomain", "emaildomain", "companydomainname", "websitedomain"],
        .phone: ["phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "workphone", "directphone",
                 "mobilephonenumber", "directphonenumber", "businessphone", "officephone", "personphone", "workdirectphone",
                 "corporatephone", "phonework", "companyphone", "contactphone"],
        .country: ["country", "countrycode", "countryname", "nation", "countryregion", "mailingcountry", "billingcountry",
                   "personcountry", "companycountry", "contactcountry", "leadcountry", "countryorregion"],
        .region: ["state", "region", "province", "stateprovince", "county", "stateregion", "mailingstate", "mailingstateprovince",
                  "billingstate", "billingstateprovince", "personstate", "companystate", "stateorprovince"],
        .city: ["city", "town", "locality", "mailingcity", "billingcity", "personcity", "companycity", "contactcity"],
        .postcode: ["postcode", "postalcode", "zip", "zipcode", "mailingzip", "mailingpostalcode", "mailingzippostalcode",
                    "billingzip", "billingpostalcode", "zippostalcode", "postalzipcode", "companyzipcode"],
        .linkedinURL: ["linkedin", "linkedinurl", "linkedinprofile", "personlinkedinurl", "linkedinprofileurl",
                       "profileurl", "linkedincontactprofileurl", "linkedinpublicurl"],
        .lastVerifiedAt: ["lastverifiedat", "lastverified", "verifiedat", "verifieddate", "lastverifieddate",
                          "emaillastverified", "emailverifieddate"],
        .lastActivityAt: ["lastactivityat", "lastactivity", "lastactivitydate", "lastengaged", "lastcontacted",
                          "lastengagementdate", "lastcontacteddate", "lastactivitydatetime", "lastinteractiondate"],
        .source: ["source", "leadsource", "originalsource", "recordsource", "personsource", "contactsource", "leadsourcedetail"],
        .recordID: ["id", "recordid", "leadid", "contactid", "personid", "zoominfocontactid", "apolloid", "crmid",
                    "salesforceid", "hubspotid", "marketoid"],
        // HubSpot's "Legal basis for processing contact's data"; Salesforce's Individual and lead opt-out flags.
        .legalBasis: ["legalbasis", "legalbasisforprocessingcontactsdata", "legalbasisforprocessingcontactdata",
                      "legalbasisforprocessing", "lawfulbasis", "gdprlegalbasis", "lawfulbasisforprocessing"],
        .emailConsent: ["emailconsent", "consent", "consentstatus", "marketingconsent", "emailmarketingconsent", "optinstatus",
                        "emailoptinstatus", "emailsubscriptionstatus", "subscriptionstatus", "marketingemailconsent"],
        .consentDate: ["consentdate", "dateofconsent", "consentgivenat", "consenttimestamp", "optindate", "consentcaptureddate",
                       "consentcapturedate", "consentcollecteddate"],
        .consentSource: ["consentsource", "sourceofconsent", "optinsource", "consentcapturesource", "consentmethod",
                         "consentcollectedfrom"],
        .doNotContact: ["donotcontact", "emailoptout", "hasoptedoutofemail", "unsubscribedfromallemail", "donotemail",
                        "optedoutofemail", "dontmarket", "hasoptedoutofsolicit", "unsubscribed", "globalunsubscribe"],
        .ccpaOptOut: ["ccpaoptout", "donotsell", "donotsellorshare", "donotsellorsharemypersonalinformation",
                      "donotsellmypersonalinformation", "cpraoptout"],
    ]

    /// Words that make a header look like a canonical field: an input column holding one of them that
    /// maps to nothing is listed by lint, the summary and the report (`Country/Region not mapped`).
    static let lookAlikeWords: [(word: String, field: CanonicalField)] = [
        ("email", .email), ("mail", .email), ("phone", .phone), ("mobile", .phone), ("country", .country),
        ("firstname", .firstName), ("lastname", .lastName), ("surname", .lastName), ("title", .title),
        ("company", .company), ("account", .company), ("organization", .company), ("organisation", .company),
        ("website", .website), ("url", .website), ("domain", .domain), ("state", .region), ("region", .region),
        ("province", .region), ("city", .city), ("zip", .postcode), ("postal", .postcode), ("postcode", .postcode),
        ("linkedin", .linkedinURL), ("activity", .lastActivityAt), ("verified", .lastVerifiedAt), ("source", .source),
    ]

    public struct Binding {
        public var columns: ColumnBindings
        /// Field → (column, whether it was matched by name rather than written under `columns:`).
        public var mapped: [(field: CanonicalField, column: String, automatic: Bool)]
        public var diagnostics: [Diagnostic]
        /// Input columns mapped to nothing whose names look like a canonical field, with that field:
        /// `Country/Region` when the country is in another column, or a header the aliases do not know.
        package var unmappedLookAlikes: [(column: String, field: CanonicalField)] = []

        /// `unmapped columns that look like canonical fields: "Secondary Email" (email?), …`, or `nil`.
        package var unmappedNote: String? {
            guard !unmappedLookAlikes.isEmpty else { return nil }
            return "input columns not mapped to any field although their names look like one: "
                + unmappedLookAlikes.map { "'\($0.column)' (\($0.field.name)?)" }.joined(separator: ", ")
                + "; map one with `columns: { FIELD: \"Column\" }` if it is the field"
        }
    }

    public static func bind(pipeline: PipelineFile, header: [String], schema: Schema) -> Binding {
        var bindings = ColumnBindings()
        var mapped: [(CanonicalField, String, Bool)] = []
        var diagnostics: [Diagnostic] = []
        for mapping in pipeline.columns {
            if let index = schema.index(ofInputColumn: mapping.column) {
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
        let usedColumns = Set(mapped.map { $0.1 })
        var lookAlikes: [(column: String, field: CanonicalField)] = []
        // Only for fields left unmapped, and not written under `columns:` (a wrong name there has its own
        // error): a second email column beside the mapped one is no surprise.
        let mappedFields = Set(mapped.map { $0.0 } + pipeline.columns.map(\.field))
        for column in header where !usedColumns.contains(column) {
            let squashed = squash(column)
            if let match = lookAlikeWords.first(where: { squashed.contains($0.word) && !mappedFields.contains($0.field) }) {
                lookAlikes.append((column, match.field))
            }
        }
        return Binding(columns: bindings, mapped: mapped.map { (field: $0.0, column: $0.1, automatic: $0.2) },
                       diagnostics: diagnostics, unmappedLookAlikes: lookAlikes)
    }

    static func squash(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") })
    }
}
