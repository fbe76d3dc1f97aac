
/// Builds a run's ``LeadSnapshot``s and ``EnrichmentValue``s from its records.
///
/// It reads the canonical columns (email, names, title, company, domain or website) plus the
/// columns other stages add (`email_status`, `web_status`, `web_redirect_domain`, `decay_status`,
/// `decay_score`), and every column that has a `<column>__source` provenance companion
/// (written by firmographic_merge) as an enrichment value.
public struct SnapshotExtractor: Sendable {
    public let entityKey: EntityKey
    // Internal, not private: the staging extension (SnapshotExtractor+Staging.swift) reads them too.
    let email, firstName, lastName, title, company, domain, website, normDomain: ColumnIndex?
    let emailStatus, webStatus, webRedirectDomain, decayStatus, decayScore: ColumnIndex?
    let enriched: [(name: String, value: ColumnIndex, source: ColumnIndex)]

    public init(schema: Schema, columns: ColumnBindings) {
        entityKey = EntityKey(schema: schema, columns: columns)
        email = schema.index(of: "norm_email") ?? columns[.email]
        firstName = schema.index(of: "norm_first_name") ?? columns[.firstName]
        lastName = schema.index(of: "norm_last_name") ?? columns[.lastName]
        title = columns[.title]
        company = schema.index(of: "norm_company") ?? columns[.company]
        domain = columns[.domain]
        website = columns[.website]
        normDomain = schema.index(of: "norm_domain")
        emailStatus = schema.index(of: "email_status")
        webStatus = schema.index(of: "web_status")
        webRedirectDomain = schema.index(of: "web_redirect_domain")
        decayStatus = schema.index(of: "decay_status")
        decayScore = schema.index(of: "decay_score")
        var enriched: [(String, ColumnIndex, ColumnIndex)] = []
        for name in schema.columns where name.hasSuffix("__source") {
            let base = String(name.dropLast("__source".count))
            if let value = schema.index(of: base), let source = schema.index(of: name) { enriched.append((base, value, source)) }
        }
        self.enriched = enriched
    }

    /// The snapshot of a record, or `nil` for merged rows and rows without a stable id.
    public func snapshot(of record: Record) -> LeadSnapshot? {
        let disposition: String
        switch record.disposition {
        case .active: disposition = "active"
        case .rejected(let rejection) where rejection.reason == .erasedSubject:
            return nil // erased with `leadhygiene forget`: the store keeps nothing about the person again
        case .rejected(let rejection): disposition = "rejected:" + rejection.reason.code
        case .merged: return nil // the surviving record stands for it
        }
        guard let key = entityKey.key(of: record) else { return nil }
        var domainValue = record[normDomain]
        if domainValue.isEmpty { domainValue = record[domain] }
        if domainValue.isEmpty { domainValue = record[website] }
        return LeadSnapshot(
            entityID: key, line: record.line, email: record[email], firstName: record[firstName],
            lastName: record[lastName], title: record[title], company: record[company], domain: domainValue,
            emailStatus: record[emailStatus], webStatus: record[webStatus], webRedirectDomain: record[webRedirectDomain],
            decayStatus: record[decayStatus], decayScore: Double(record[decayScore]), disposition: disposition)
    }

    /// The enriched values of an active record, with their provenance (`source@as_of` in the `__source` column).
    public func enrichments(of record: Record, entityID: String) -> [EnrichmentValue] {
        guard record.isActive else { return [] }
        var values: [EnrichmentValue] = []
        for column in enriched {
            let value = record[column.value]
            let provenance = record[column.source]
            guard !value.isEmpty, !provenance.isEmpty else { continue }
            let parts = provenance.split(separator: "@", maxSplits: 1)
            values.append(EnrichmentValue(entityID: entityID, field: column.name, value: value, source: String(parts[0]),
                                          asOf: parts.count > 1 ? String(parts[1]) : ""))
        }
        return values
    }
}
