import DomainNames
import Foundation
import LeadIO
import LeadRecords
import PipelineSpec

/// `firmographic_merge`: joins each lead to reference company data by registrable domain (or,
/// without a domain, by a fuzzy company-name match) and merges the fields per policy, recording
/// where every value came from.
///
/// Input columns are never modified: resolved values go to `firmo_<field>` columns with a
/// `firmo_<field>__source` provenance column each (`<source>@<as_of>`, or `input` when the lead's
/// own value stands). Disagreements between the lead's value and a reference are counted per
/// field and sampled in the report.
public struct FirmographicMergeStage: Stage {
    static let sourceSchema = OptionSchema([
        OptionSpec("name", .string, required: true, "Name of the source, used in prefer: lists and __source columns."),
        OptionSpec("path", .path, required: true, "CSV, TSV or JSONL file of company records."),
        OptionSpec("as_of", .string, default: .string(""), "Date the source's data is valid for (YYYY-MM-DD), recorded with each value."),
        OptionSpec("key", .choice(["domain", "name"]), default: .string("domain"),
                   "Join by registrable domain (name fallback for leads without one) or by company name only."),
        OptionSpec("format", .choice(["auto", "csv", "tsv", "jsonl"]), default: .string("auto"), "File format; auto uses the extension."),
        OptionSpec("columns", .map(.string), "Field (or as_of) → the file's column name, for columns not named like the field or a known alias."),
    ])

    static let fieldSchema = OptionSchema([
        OptionSpec("policy", .choice(["fill", "overwrite", "prefer"]), default: .string("fill"),
                   "fill: only empty fields; overwrite: references win; prefer: the prefer: list's order."),
        OptionSpec("prefer", .list(.string), "Sources in waterfall order (implies policy prefer); `input` is the lead's own value."),
        OptionSpec("column", .string, "Input column holding the lead's own value for this field (company_name and domain default to the mapped company and domain/website)."),
    ])

    static let nameMatchSchema = OptionSchema([
        OptionSpec("enabled", .bool, default: .bool(true), "Match leads without a domain by company name."),
        OptionSpec("threshold", .number, default: .number(0.92), "Minimum Jaro–Winkler similarity of normalized names (1 = exact key only)."),
    ])

    public static let descriptor = StageDescriptor(
        name: "firmographic_merge",
        summary: "Joins leads to firmographic reference files by domain or company name and merges fields with provenance.",
        options: OptionSchema([
            OptionSpec("sources", .list(.object(sourceSchema)), required: true, "Reference files, in default waterfall order."),
            OptionSpec("fields", .map(.object(fieldSchema)),
                       "Field → merge policy; unset merges every field with fill. Fields: "
                           + FirmographicField.all.map(\.name).joined(separator: ", ") + "."),
            OptionSpec("name_match", .object(nameMatchSchema), "Fuzzy company-name join for leads without a domain."),
            OptionSpec("ignore_email_domains", .list(.string),
                       default: .list(["gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
                                       "msn.com", "aol.com", "icloud.com", "me.com", "proton.me", "protonmail.com", "gmx.de",
                                       "gmx.net", "web.de", "yandex.ru", "mail.ru", "qq.com", "163.com"].map(OptionValue.string)),
                       "Email domains that say nothing about the employer, so never used as the join key."),
        ]),
        optionalFields: [.company, .domain, .website, .email],
        addedColumns: ["firmo_<field>", "firmo_<field>__source", "firmo_match", "firmo_match_score", "firmo_match_sources"])

    /// One configured field.
    struct FieldPlan: Sendable {
        var field: FirmographicField
        var slot: Int
        var policy: MergePolicy
        var waterfall: [Int?]
        var ownColumnName: String?
        var own: ColumnIndex?
        var value = ColumnIndex(0)
        var source = ColumnIndex(0)
    }

    /// A configured field bound to its columns; a class so the per-row loop reads it without copying.
    final class BoundPlan: Sendable {
        let field: FirmographicField
        let slot: Int
        let policy: MergePolicy
        /// Source indices in waterfall order; -1 is the lead's own value.
        let waterfall: [Int]
        let own: ColumnIndex?
        let value: ColumnIndex
        let source: ColumnIndex

        init(_ plan: FieldPlan) {
            field = plan.field
            slot = plan.slot
            policy = plan.policy
            waterfall = plan.waterfall.map { $0 ?? -1 }
            own = plan.own
            value = plan.value
            source = plan.source
        }
    }

    let sources: [ReferenceSource]
    var plans: [FieldPlan]
    private var bound: [BoundPlan] = []
    let nameMatchEnabled: Bool
    let nameThreshold: Double
    let ignoredEmailDomains: Set<String>
    let tally: MergeTally
    private var normDomain, domain, website, email, company: ColumnIndex?
    private var matchColumn = ColumnIndex(0), scoreColumn = ColumnIndex(0), sourcesColumn = ColumnIndex(0)

    public init(options: OptionValues, context: StageContext) throws {
        let sourceOptions = options.objects("sources")
        guard !sourceOptions.isEmpty else { throw OptionProblem(option: "sources", "name at least one reference source") }
        var names: [String] = []
        for source in sourceOptions {
            let name = source.string("name") ?? ""
            guard !name.isEmpty, name != MergePolicy.inputName else {
                throw OptionProblem(option: "sources", "a source needs a name other than '\(MergePolicy.inputName)'")
            }
            guard !names.contains(name) else { throw OptionProblem(option: "sources", "two sources are named '\(name)'") }
            names.append(name)
            let path = source.string("path") ?? ""
            guard FileManager.default.fileExists(atPath: path) else {
                throw OptionProblem(option: "sources", "source '\(name)': file '\(path)' does not exist")
            }
            for entry in source.stringMap("columns") where FirmographicField.named(entry.key) == nil && entry.key != "as_of" {
                throw OptionProblem(option: "sources", "source '\(name)': unknown field '\(entry.key)' in columns"
                                    + NearestName.hint(for: entry.key, among: FirmographicField.all.map(\.name)))
            }
        }

        var plans: [FieldPlan] = []
        let configured = options.entries("fields")
        if configured.isEmpty {
            for (slot, field) in FirmographicField.all.enumerated() {
                plans.append(FieldPlan(field: field, slot: slot, policy: .fill, waterfall: MergePolicy.fill.waterfall(sourceNames: names)))
            }
        }
        for entry in configured {
            guard let field = FirmographicField.named(entry.key), let slot = FirmographicField.all.firstIndex(of: field) else {
                throw OptionProblem(option: "fields", "unknown field '\(entry.key)'"
                                    + NearestName.hint(for: entry.key, among: FirmographicField.all.map(\.name)))
            }
            guard case .object(let fieldOptions) = entry.value else { continue }
            let preferred = fieldOptions.strings("prefer")
            let policy: MergePolicy
            switch (fieldOptions.isSet("policy") ? fieldOptions.string("policy") : nil, preferred.isEmpty) {
            case ("overwrite"?, true): policy = .overwrite
            case ("fill"?, true), (nil, true): policy = .fill
            case ("prefer"?, true):
                throw OptionProblem(option: "fields", "field '\(field.name)': policy prefer needs a prefer: [source, …] list")
            case ("fill"?, false), ("overwrite"?, false):
                throw OptionProblem(option: "fields", "field '\(field.name)': prefer: goes with policy prefer (or no policy)")
            default: policy = .prefer(preferred)
            }
            for name in preferred where name != MergePolicy.inputName && !names.contains(name) {
                throw OptionProblem(option: "fields", "field '\(field.name)': prefer names unknown source '\(name)'"
                                    + NearestName.hint(for: name, among: names + [MergePolicy.inputName]))
            }
            plans.append(FieldPlan(field: field, slot: slot, policy: policy, waterfall: policy.waterfall(sourceNames: names),
                                   ownColumnName: fieldOptions.string("column")))
        }
        self.plans = plans

        let nameMatch = options.object("name_match")
        nameMatchEnabled = nameMatch.bool("enabled")
        nameThreshold = nameMatch.number("threshold") ?? 0.92
        guard (0...1).contains(nameThreshold) else {
            throw OptionProblem(option: "name_match", "threshold must be between 0 and 1")
        }
        ignoredEmailDomains = Set(options.strings("ignore_email_domains").map { $0.lowercased() })
        tally = MergeTally(sources: names.count, fields: plans.count)

        if context.isLintOnly {
            sources = []
            return
        }
        var loaded: [ReferenceSource] = []
        for source in sourceOptions {
            let name = source.string("name")!, path = source.string("path")!
            let formatName = source.string("format") ?? "auto"
            let format = RecordFormat.resolve(name: formatName, path: path, delimiter: nil)
            do {
                loaded.append(try ReferenceSource(
                    name: name, path: path, asOf: source.string("as_of") ?? "", joinsByDomain: source.string("key") != "name",
                    format: format, columns: Dictionary(source.stringMap("columns").map { ($0.key, $0.value) }) { a, _ in a }))
            } catch {
                throw OptionProblem(option: "sources", "source '\(name)': \(error)")
            }
        }
        sources = loaded
    }

    public mutating func bind(schema: inout Schema, columns: ColumnBindings) throws {
        normDomain = schema.index(of: "norm_domain")
        domain = columns[.domain]
        website = columns[.website]
        email = schema.index(of: "norm_email") ?? columns[.email]
        company = schema.index(of: "norm_company") ?? columns[.company]
        matchColumn = schema.addColumn("firmo_match")
        scoreColumn = schema.addColumn("firmo_match_score")
        sourcesColumn = schema.addColumn("firmo_match_sources")
        for i in plans.indices {
            if let name = plans[i].ownColumnName {
                guard let own = schema.index(of: name) else {
                    throw OptionProblem(option: "fields", "field '\(plans[i].field.name)': input has no column '\(name)'")
                }
                plans[i].own = own
            } else if plans[i].field == .companyName {
                plans[i].own = columns[.company]
            } else if plans[i].field == .domain {
                plans[i].own = columns[.domain] ?? columns[.website]
            }
            plans[i].value = schema.addColumn(plans[i].field.column)
            plans[i].source = schema.addColumn(plans[i].field.sourceColumn)
        }
        bound = plans.map(BoundPlan.init)
    }

    /// The lead's join domain: normalize's `norm_domain`, else the domain or website column, else
    /// the email's domain unless it is a free-mail provider.
    func leadDomain(_ record: Record) -> String? { leadDomainAndColumn(record)?.domain }

    /// The join domain and the column it was read from.
    private func leadDomainAndColumn(_ record: Record) -> (domain: String, column: ColumnIndex?)? {
        // norm_domain is already registrable, but running it through the same function costs little and
        // keeps one definition of the key.
        if let normDomain, let registrable = JoinDomain.registrable(record[normDomain]) { return (registrable, normDomain) }
        if let domain, let registrable = JoinDomain.registrable(record[domain]) { return (registrable, domain) }
        if let website, let registrable = JoinDomain.registrable(record[website]) { return (registrable, website) }
        let address = record[email]
        guard let at = address.lastIndex(of: "@") else { return nil }
        guard let registrable = JoinDomain.registrable(String(address[at...])) else { return nil }
        return ignoredEmailDomains.contains(registrable) ? nil : (registrable, nil)
    }

    public func process(_ records: inout [Record]) {
        var counts = MergeCounts(sources: sources.count, fields: plans.count)
        var matches = [(row: Int32, score: Double, byName: Bool)?](repeating: nil, count: sources.count)
        for index in records.indices where records[index].isActive {
            let joined = leadDomainAndColumn(records[index])
            let leadDomain = joined?.domain
            var nameKey: String?
            var first: (score: Double, byName: Bool)?
            var matchedNames = ""
            for (s, source) in sources.enumerated() {
                matches[s] = nil
                if source.joinsByDomain, let leadDomain {
                    if let row = source.row(forDomain: leadDomain) { matches[s] = (row, 1, false) }
                } else if nameMatchEnabled || !source.joinsByDomain {
                    if nameKey == nil { nameKey = CompanyNameKey.key(records[index][company]) }
                    if let nameKey, !nameKey.isEmpty,
                       let found = source.row(forNameKey: nameKey, threshold: nameMatchEnabled ? nameThreshold : 1) {
                        matches[s] = (found.row, found.score, true)
                    }
                }
                if let match = matches[s] {
                    counts.matchedPerSource[s] += 1
                    matchedNames += matchedNames.isEmpty ? source.name : "," + source.name
                    if first == nil { first = (match.score, match.byName) }
                }
            }
            if let first {
                if first.byName { counts.matchedByName += 1 } else { counts.matchedByDomain += 1 }
                records[index][matchColumn] = first.byName ? "name" : "domain"
                records[index][scoreColumn] = first.score == 1 ? "1" : String(format: "%.3f", first.score)
                records[index][sourcesColumn] = matchedNames
            } else {
                if leadDomain == nil && records[index][company].isEmpty { counts.withoutKey += 1 } else { counts.unmatched += 1 }
                records[index][matchColumn] = ""
                records[index][scoreColumn] = ""
                records[index][sourcesColumn] = ""
            }
            for (p, plan) in bound.enumerated() {
                merge(plan, planIndex: p, record: &records[index], matches: matches, counts: &counts,
                      leadDomain: plan.own != nil && plan.own == joined?.column ? leadDomain : nil)
            }
        }
        tally.add(counts)
    }

    /// - Parameter leadDomain: the lead's registrable domain when the plan's own column is the one it was read from.
    private func merge(_ plan: BoundPlan, planIndex p: Int, record: inout Record,
                       matches: [(row: Int32, score: Double, byName: Bool)?], counts: inout MergeCounts, leadDomain: String?) {
        let own = plan.own.map { record[$0].trimmedSpaces } ?? ""
        var chosen = ""
        var chosenFrom: Int?? = .none
        var conflict: (source: Int, value: String)?
        for candidate in plan.waterfall {
            let value: String
            if candidate >= 0 {
                guard let match = matches[candidate] else { continue }
                value = sources[candidate].value(row: match.row, slot: plan.slot)
                if !own.isEmpty, !value.isEmpty, conflict == nil,
                   !agree(own, value, field: plan.field, source: candidate, row: match.row, leadDomain: leadDomain) {
                    conflict = (candidate, value)
                }
            } else {
                value = own
            }
            if !value.isEmpty, chosenFrom == .none {
                chosen = value
                chosenFrom = .some(candidate >= 0 ? candidate : nil)
            }
        }
        // A conflict may sit behind the winner in the waterfall; look at every matched source.
        if conflict == nil, !own.isEmpty {
            for (s, match) in matches.enumerated() {
                guard let match else { continue }
                let value = sources[s].value(row: match.row, slot: plan.slot)
                if !value.isEmpty, !agree(own, value, field: plan.field, source: s, row: match.row, leadDomain: leadDomain) {
                    conflict = (s, value)
                    break
                }
            }
        }
        record[plan.value] = chosen
        switch chosenFrom {
        case .some(.some(let s)):
            record[plan.source] = sources[s].provenance(row: matches[s]!.row)
            counts.fromReference[p] += 1
        case .some(.none): record[plan.source] = MergePolicy.inputName
        case .none: record[plan.source] = ""
        }
        if let conflict {
            counts.conflicts[p] += 1
            let overwritten: Bool
            if case .some(.some) = chosenFrom { overwritten = true } else { overwritten = false }
            if overwritten { counts.overwritten[p] += 1 }
            counts.note(MergeConflict(line: record.line, field: plan.field.name, leadValue: own, referenceValue: conflict.value,
                                      source: sources[conflict.source].name,
                                      resolution: overwritten ? "overwritten" : "kept_lead_value"))
        }
    }

    /// Whether the lead's value and a reference value say the same thing for a field.
    private func agree(_ lead: String, _ reference: String, field: FirmographicField, source: Int, row: Int32,
                       leadDomain: String?) -> Bool {
        if lead.equalsIgnoringCase(reference) { return true }
        switch field {
        case .domain:
            return (leadDomain ?? JoinDomain.registrable(lead)) == sources[source].rowDomains[Int(row)]
        case .companyName:
            return CompanyNameKey.key(lead) == sources[source].rowNameKeys[Int(row)]
        case .employeeCount, .foundedYear:
            return Double(lead.filter { $0 != "," }) == Double(reference.filter { $0 != "," })
        default:
            return false
        }
    }

    public func summary() -> [(String, ReportValue)] {
        let counts = tally.snapshot
        var fields: [(String, ReportValue)] = []
        for (p, plan) in plans.enumerated() {
            fields.append((plan.field.name, .object([
                ("policy", .string(plan.policy.label)),
                ("from_reference", .integer(counts.fromReference[p])),
                ("conflicts", .integer(counts.conflicts[p])),
                ("overwritten", .integer(counts.overwritten[p])),
            ])))
        }
        let sample = counts.sample.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        return [
            ("matched_by_domain", .integer(counts.matchedByDomain)),
            ("matched_by_name", .integer(counts.matchedByName)),
            ("unmatched", .integer(counts.unmatched)),
            ("without_key", .integer(counts.withoutKey)),
            ("sources", .array(sources.enumerated().map { s, source in
                .object([("name", .string(source.name)), ("as_of", .string(source.asOf)), ("rows", .integer(source.rowsRead)),
                         ("rows_skipped", .integer(source.rowsSkipped)), ("duplicate_domains", .integer(source.duplicateDomains)),
                         ("matched_leads", .integer(counts.matchedPerSource[s]))])
            })),
            ("fields", .object(fields)),
            ("conflicts", .object([
                ("total", .integer(counts.conflicts.reduce(0, +))),
                ("sample", .array(sample.map(\.report))),
            ])),
        ]
    }
}
