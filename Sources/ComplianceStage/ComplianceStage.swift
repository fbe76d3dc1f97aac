import Foundation
import LeadRecords
import PipelineSpec

/// `compliance`: decides per lead whether it may be emailed, by the lead's country and a contact policy
/// file, the lead's own consent fields, and do-not-contact lists, and rejects people erased with
/// `leadhygiene forget` as `erased_subject`.
///
/// Writes `contact_allowed` (yes/no), `compliance_reasons` (`;`-separated codes), `compliance_country` and
/// `compliance_country_source` (lead, company_hq, email_tld or empty). Each reason is flagged (the row
/// stays, not contactable) or rejected, per `actions:`. The report counts blocked rows by country and reason.
public struct ComplianceStage: Stage {
    public static let descriptor = StageDescriptor(
        name: "compliance",
        summary: "Decides who may be emailed per country (consent, legal basis, CASL implied-consent dates) and per do-not-contact list, "
            + "and rejects people erased with `leadhygiene forget`.",
        options: ComplianceOptions.schema,
        requiredFields: [.email],
        optionalFields: [.country, .title, .legalBasis, .emailConsent, .consentDate, .consentSource, .doNotContact, .ccpaOptOut],
        addedColumns: ColumnNames.all,
        reasonCodes: ReasonCode.complianceCodes,
        produces: [LeadColumns.contactAllowed.spec, LeadColumns.complianceReasons.spec])

    /// The columns the stage adds, in order.
    package enum ColumnNames {
        public static let allowed = LeadColumns.contactAllowed.name
        public static let reasons = LeadColumns.complianceReasons.name
        public static let country = "compliance_country"
        package static let countrySource = "compliance_country_source"
        public static let all = [allowed, reasons, country, countrySource]
    }

    let settings: ComplianceOptions.Settings
    /// The store's erased people, when the run has a store.
    let erased: (any ErasedSubjects)?
    let now: Date

    public init(options: OptionValues, context: StageContext) throws {
        settings = try ComplianceOptions.settings(from: options)
        erased = context.isLintOnly ? nil : try context.services.open((any ErasedSubjects).self)
        now = context.now
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .streaming(Bound(settings: settings, erased: erased, now: now, columns: Columns(schema: &schema, columns: columns)))
    }

    /// Where the stage reads and writes, resolved once against the run's schema.
    struct Columns: Sendable {
        let email: ColumnIndex?
        let country: ColumnIndex?
        let companyHQ: ColumnIndex?
        let title: ColumnIndex?
        let legalBasis: ColumnIndex?
        let emailConsent: ColumnIndex?
        let consentDate: ColumnIndex?
        let consentDateFormat: DateFormat
        let doNotContact: ColumnIndex?
        let ccpaOptOut: ColumnIndex?
        let allowed: ColumnIndex
        let reasons: ColumnIndex
        let resolvedCountry: ColumnIndex
        let countrySource: ColumnIndex

        init(schema: inout Schema, columns: ColumnBindings) {
            email = schema.index(of: LeadColumns.normEmail.name) ?? columns[.email]
            country = columns[.country]
            companyHQ = schema.index(of: LeadColumns.firmoHQCountry.name)
            title = columns[.title]
            legalBasis = columns[.legalBasis]
            emailConsent = columns[.emailConsent]
            consentDate = columns[.consentDate]
            consentDateFormat = columns.dateFormat(of: .consentDate)
            doNotContact = columns[.doNotContact]
            ccpaOptOut = columns[.ccpaOptOut]
            allowed = schema.addColumn(ColumnNames.allowed)
            reasons = schema.addColumn(ColumnNames.reasons)
            resolvedCountry = schema.addColumn(ColumnNames.country)
            countrySource = schema.addColumn(ColumnNames.countrySource)
        }
    }

    /// The stage bound to one run's schema: settings and column positions, no optionals left to check.
    struct Bound: StreamingStage {
        let settings: ComplianceOptions.Settings
        let erased: (any ErasedSubjects)?
        let now: Date
        let columns: Columns

        func emptySummary() -> ComplianceCounts { ComplianceCounts() }

        func report(_ counts: ComplianceCounts) -> [(String, ReportValue)] { counts.report }

        func process(_ records: inout [Record], counting counts: inout ComplianceCounts) {
            for index in records.indices where records[index].isActive {
                assess(&records[index], counts: &counts)
            }
        }

        private func assess(_ record: inout Record, counts: inout ComplianceCounts) {
            let facts = self.facts(of: record)
            counts.assessed += 1
            let found = CountryEvidence.resolve(settings.policy.countryFrom, lead: record[columns.country],
                                                companyHQ: record[columns.companyHQ], address: facts.address)
            let countryName = found?.country ?? "unknown"
            counts.countrySources[found?.source.rawValue ?? "none", default: 0] += 1
            record[columns.resolvedCountry] = found?.country ?? ""
            record[columns.countrySource] = found?.source.rawValue ?? ""

            var findings: [ContactFinding]
            if let address = facts.address, let erased, erased.isErased(identityKey: address.identityKey) {
                findings = [ContactFinding(code: .erasedSubject, detail: "this person was erased from the store with `leadhygiene forget`")]
                counts.erased += 1
            } else {
                findings = ContactDecision.findings(facts, rule: settings.policy.rule(for: found?.country), country: countryName,
                                                    dnc: settings.doNotContact, now: now)
            }
            record[columns.allowed] = findings.isEmpty ? "yes" : "no"
            record[columns.reasons] = ReasonCodeList(findings.map(\.code.code)).columnText
            guard !findings.isEmpty else {
                counts.allowed += 1
                return
            }
            counts.noteBlocked(country: countryName, reasons: findings.map(\.code))
            if let rejecting = findings.first(where: { settings.rejects.contains($0.code) }) {
                counts.actions["reject", default: 0] += 1
                record.reject(rejecting.code, stage: ComplianceStage.descriptor.name,
                              detail: "\(countryName): " + findings.map { "\($0.code.code): \($0.detail)" }.joined(separator: "; "))
            } else {
                counts.actions["flag", default: 0] += 1
            }
        }

        private func facts(of record: Record) -> ContactFacts {
            var facts = ContactFacts()
            facts.address = SubjectAddress(record[columns.email])
            facts.legalBasis = LegalBasis.read(record[columns.legalBasis])
            facts.emailConsent = EmailConsent.read(record[columns.emailConsent])
            let dateText = record[columns.consentDate].trimmingCharacters(in: .whitespaces)
            facts.consentDateText = dateText
            facts.consentDate = LeadDate.parse(dateText, format: columns.consentDateFormat).map { Date(timeIntervalSince1970: $0.secondsSince1970) }
            facts.doNotContact = ConsentFlag.read(record[columns.doNotContact])
            facts.ccpaOptOut = ConsentFlag.read(record[columns.ccpaOptOut])
            facts.hasTitle = !record[columns.title].trimmingCharacters(in: .whitespaces).isEmpty
            return facts
        }
    }
}

extension ComplianceStage: ReadsReferenceFiles {
    public var referenceNotes: [String] { settings.doNotContact.readNotes.map { "compliance do-not-contact list: \($0)" } }
}
