import DomainNames
import Foundation
import LeadFacts
import LeadIO
import LeadRecords
import PipelineSpec

/// `firmographic_merge`: joins each lead to reference company data by registrable domain (or,
/// without a domain, by company name: every distinctive word of both names paired, typos allowed
/// in long words) and merges the fields per policy, recording where every value came from.
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
        OptionSpec("threshold", .number, default: .number(0.85), range: 0...1,
                   "Minimum Jaro–Winkler similarity of the distinctive words for a name match that is not an equal key, after every word has paired (1 = equal key only)."),
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

    /// What `firmo_match` says for a lead left unjoined because its name fits two or more companies.
    package static let ambiguousMatch = "ambiguous"

    /// One configured field.
    struct FieldPlan: Sendable {
        var field: FirmographicField
        var slot: Int
        var policy: MergePolicy
        var waterfall: [Int?]
        var ownColumnName: String?
    }

    /// How the lead's own value is compared with a reference value of the field.
    enum Comparison: Sendable {
        case registrableDomain, companyNameKey, number, text
    }

    /// A configured field bound to column positions, plain values only, so the per-row loop reads
    /// it without retaining anything.
    struct CompiledPlan: Sendable {
        var slot: Int
        var comparison: Comparison
        /// Positions in the record's values; `own` is -1 when the lead has no own value for the field.
        var own: Int
        var value: Int
        var source: Int
        /// The waterfall in ``waterfalls`` (`start..<start+count`; -1 is the lead's own value) and
        /// the same without the own value, for leads whose own value is empty.
        var waterfallStart: Int, waterfallCount: Int
        var sourcesStart: Int, sourcesCount: Int
    }

    let sources: [ReferenceSource]
    let plans: [FieldPlan]
    let join: DomainJoinIndex
    let nameIndex: NameJoinIndex
    /// Per source, whether it joins by name only (`key: name`), and whether any does.
    let nameOnlySources: [Bool]
    let anyNameOnlySource: Bool
    let allSources: [Bool]
    let nameMatchEnabled: Bool
    let nameThreshold: Double
    let ignoredEmailDomains: Set<String>
    /// The run's one company key, for the name join and for comparing company names.
    let companyKey: CompanyKey

    public init(options: OptionValues, context: StageContext) throws {
        companyKey = context.companyKey
        let sourceOptions = options.objects("sources")
        guard !sourceOptions.isEmpty else { throw OptionProblem(option: "sources", "name at least one reference source") }
        var names: [String] = []
        for source in sourceOptions {
            let name = source.defaultedString("name")
            guard !name.isEmpty, name != MergePolicy.inputName else {
                throw OptionProblem(option: "sources", "a source needs a name other than '\(MergePolicy.inputName)'")
            }
            guard !names.contains(name) else { throw OptionProblem(option: "sources", "two sources are named '\(name)'") }
            names.append(name)
            let path = source.defaultedString("path")
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
        nameThreshold = nameMatch.defaultedNumber("threshold")
        guard (0...1).contains(nameThreshold) else {
            throw OptionProblem(option: "name_match", "threshold must be between 0 and 1")
        }
        ignoredEmailDomains = Set(options.strings("ignore_email_domains").map { $0.lowercased() })

        if context.isLintOnly {
            sources = []
            join = DomainJoinIndex(sources: [], ignoredEmailDomains: [])
            nameIndex = NameJoinIndex(sources: [])
            (nameOnlySources, anyNameOnlySource, allSources) = ([], false, [])
            return
        }
        var loaded: [ReferenceSource] = []
        for source in sourceOptions {
            let name = source.string("name")!, path = source.string("path")!
            let formatName = source.defaultedString("format")
            let format = RecordFormat.resolve(name: formatName, path: path, delimiter: nil)
            do {
                loaded.append(try ReferenceSource(
                    name: name, path: path, asOf: source.defaultedString("as_of"), joinsByDomain: source.string("key") != "name",
                    format: format, companyKey: context.companyKey, columns: Dictionary(source.stringMap("columns").map { ($0.key, $0.value) }) { a, _ in a }))
            } catch {
                throw OptionProblem(option: "sources", "source '\(name)': \(error)")
            }
        }
        sources = loaded
        join = DomainJoinIndex(sources: loaded, ignoredEmailDomains: ignoredEmailDomains)
        nameIndex = NameJoinIndex(sources: loaded)
        nameOnlySources = loaded.map { !$0.joinsByDomain }
        anyNameOnlySource = nameOnlySources.contains(true)
        allSources = loaded.map { _ in true }
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .streaming(try bind(schema: &schema, columns: columns))
    }

    /// The stage bound to the schema, as its own type (tests and benchmarks run its chunks themselves).
    public func bind(schema: inout Schema, columns: ColumnBindings) throws -> RowMerger {
        let normDomain = schema.index(of: "norm_domain")
        let email = schema.index(of: "norm_email") ?? columns[.email]
        let company = schema.index(of: "norm_company") ?? columns[.company]
        let match = schema.addColumn("firmo_match"), score = schema.addColumn("firmo_match_score")
        let matchSources = schema.addColumn("firmo_match_sources")
        var compiled: [CompiledPlan] = []
        var waterfalls: [Int] = []
        for plan in plans {
            let own: ColumnIndex?
            if let name = plan.ownColumnName {
                guard let column = schema.index(of: name) else {
                    throw OptionProblem(option: "fields", "field '\(plan.field.name)': input has no column '\(name)'")
                }
                own = column
            } else if plan.field == .companyName {
                own = columns[.company]
            } else if plan.field == .domain {
                own = columns[.domain] ?? columns[.website]
            } else {
                own = nil
            }
            let value = schema.addColumn(plan.field.column), source = schema.addColumn(plan.field.sourceColumn)
            let comparison: Comparison = switch plan.field {
            case .domain: .registrableDomain
            case .companyName: .companyNameKey
            case .employeeCount, .foundedYear: .number
            default: .text
            }
            let waterfall = plan.waterfall.map { $0 ?? -1 }
            let waterfallStart = waterfalls.count
            waterfalls += waterfall
            let sourcesStart = waterfalls.count
            waterfalls += waterfall.filter { $0 >= 0 }
            compiled.append(CompiledPlan(slot: plan.slot, comparison: comparison, own: own?.position ?? -1,
                                         value: value.position, source: source.position,
                                         waterfallStart: waterfallStart, waterfallCount: waterfall.count,
                                         sourcesStart: sourcesStart, sourcesCount: waterfalls.count - sourcesStart))
        }
        // The columns the stage writes, in the order it writes them for a row.
        let written = [match, score, matchSources] + compiled.flatMap { [ColumnIndex($0.value), ColumnIndex($0.source)] }
        // A row's writes are gathered and made at once, unless the stage reads a column it writes (a field's own
        // column named as one of its outputs): then a later read must see an earlier write, so they go one by one.
        let readsWhatItWrites = compiled.contains { $0.own >= 0 && written.contains(ColumnIndex($0.own)) }
        return RowMerger(stage: self, compiled: compiled, waterfalls: waterfalls, width: schema.count,
                                    normDomain: normDomain, domain: columns[.domain], website: columns[.website], email: email,
                                    company: company, matchColumn: match, scoreColumn: score, sourcesColumn: matchSources,
                                    writtenColumns: readsWhatItWrites ? nil : written)
    }
}

extension FirmographicMergeStage: ReadsReferenceFiles {
    public var referenceNotes: [String] {
        sources.flatMap { source in source.readNotes.map { "firmographic_merge source '\(source.name)': \($0)" } }
    }
}
