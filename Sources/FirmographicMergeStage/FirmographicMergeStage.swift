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
public struct FirmographicMergeStage: ChunkStage {
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
    public static let ambiguousMatch = "ambiguous"

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
    var plans: [FieldPlan]
    private var compiled: [CompiledPlan] = []
    /// Every compiled plan's waterfall, back to back.
    private var waterfalls: [Int] = []
    /// The highest column position the stage writes, plus one.
    private var width = 0
    private let join: DomainJoinIndex
    private let nameIndex: NameJoinIndex
    /// Per source, whether it joins by name only (`key: name`), and whether any does.
    private let nameOnlySources: [Bool]
    private let anyNameOnlySource: Bool
    private let allSources: [Bool]
    let nameMatchEnabled: Bool
    let nameThreshold: Double
    let ignoredEmailDomains: Set<String>
    /// The run's one company key, for the name join and for comparing company names.
    let companyKey: CompanyKey
    private var normDomain, domain, website, email, company: ColumnIndex?
    private var matchColumn = ColumnIndex(0), scoreColumn = ColumnIndex(0), sourcesColumn = ColumnIndex(0)

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
        compiled = []
        waterfalls = []
        for plan in plans {
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
            compiled.append(CompiledPlan(slot: plan.slot, comparison: comparison, own: plan.own?.position ?? -1,
                                         value: plan.value.position, source: plan.source.position,
                                         waterfallStart: waterfallStart, waterfallCount: waterfall.count,
                                         sourcesStart: sourcesStart, sourcesCount: waterfalls.count - sourcesStart))
        }
        width = schema.count
    }

    public func emptySummary() -> MergeCounts { MergeCounts(sources: sources.count, fields: plans.count) }

    public func process(_ records: inout [Record], counting counts: inout MergeCounts) {
        let sourceCount = sources.count
        var scratch = RowScratch(sources: sourceCount)
        // This chunk's own copy of each source's provenance texts (when they are few, as usual):
        // every merged value of every row stores one, and a string shared by all worker threads
        // would have its reference count bounced between their caches millions of times.
        let provenance = ChunkProvenance(sources)
        compiled.withUnsafeBufferPointer { plans in
            waterfalls.withUnsafeBufferPointer { waterfalls in
                for index in records.indices where records[index].isActive {
                    if records[index].values.count < width {
                        records[index].values.append(contentsOf: repeatElement("", count: width - records[index].values.count))
                    }
                    let line = records[index].line
                    records[index].values.withUnsafeMutableBufferPointer { row in
                        mergeRow(row, line: line, plans: plans, waterfalls: waterfalls, provenance: provenance,
                                 scratch: &scratch, counts: &counts)
                    }
                }
            }
        }
    }

    /// The provenance texts one chunk writes, by source and reference row.
    struct ChunkProvenance {
        /// Every source's texts back to back; source `s` starts at `starts[s]`.
        let texts: [String]
        let starts: [Int]
        let rowNumbers: [UnsafeMutablePointer<Int32>]

        init(_ sources: [ReferenceSource]) {
            var texts: [String] = [], starts: [Int] = []
            for source in sources {
                starts.append(texts.count)
                // A source with thousands of dates keeps sharing them: copying would cost more than it saves.
                texts += source.provenances.count <= 64
                    ? source.provenances.map { String(decoding: Array($0.utf8), as: UTF8.self) } : source.provenances
            }
            self.texts = texts
            self.starts = starts
            rowNumbers = sources.map { $0.table.provenanceOfRow }
        }

        @inline(__always) func text(source: Int, row: Int32) -> String {
            texts[starts[source] + Int(rowNumbers[source][Int(row)])]
        }
    }

    /// Per-chunk buffers for one row's matches, reused from row to row.
    struct RowScratch {
        var rows: [Int32]
        var scores: [Double]
        var byName: [Bool]
        /// Per source, the row whose name key is the lead's, or -1.
        var exactRows: [Int32]
        /// Per source, whether the lead's own value agrees with it for the current field: 0 not yet known, 1 yes, 2 no.
        var agreement: [UInt8]

        init(sources: Int) {
            rows = Array(repeating: -1, count: sources)
            scores = Array(repeating: 0, count: sources)
            byName = Array(repeating: false, count: sources)
            exactRows = Array(repeating: -1, count: sources)
            agreement = Array(repeating: 0, count: sources)
        }
    }

    /// The value at a column position, or empty when the lead has no such column.
    @inline(__always) private static func text(_ row: UnsafeMutableBufferPointer<String>, _ position: Int?) -> String {
        guard let position else { return "" }
        return row[position]
    }

    /// The join key and the position of the column it was read from: normalize's `norm_domain`,
    /// else the domain or website column, else the email's domain unless it is a free-mail provider's
    /// (position -1).
    @inline(__always) private func joinKey(_ row: UnsafeMutableBufferPointer<String>) -> (key: DomainJoinIndex.Key, position: Int)? {
        for column in [normDomain, domain, website] {
            guard let position = column?.position else { continue }
            let value = row[position]
            // norm_domain is already registrable, but keying it the same way keeps one definition of the key.
            if !value.isEmpty, case let key = join.key(ofWebsite: value), key.hasDomain { return (key, position) }
        }
        let address = Self.text(row, email?.position)
        guard !address.isEmpty else { return nil }
        let key = join.key(ofEmail: address)
        return key.hasDomain ? (key, -1) : nil
    }

    private func mergeRow(_ row: UnsafeMutableBufferPointer<String>, line: Int, plans: UnsafeBufferPointer<CompiledPlan>,
                          waterfalls: UnsafeBufferPointer<Int>, provenance: ChunkProvenance, scratch: inout RowScratch,
                          counts: inout MergeCounts) {
        let joined = joinKey(row)
        var first = -1
        var matchedNames = ""
        for s in sources.indices { scratch.rows[s] = -1 }
        if let joined {
            for s in sources.indices where sources[s].joinsByDomain {
                let found = join.row(source: s, key: joined.key)
                if found >= 0 { (scratch.rows[s], scratch.scores[s], scratch.byName[s]) = (found, 1, false) }
            }
        }
        // Without a domain every source may join by name (when name matching is on); with one, only `key: name` sources.
        var ambiguous = false
        if joined == nil ? nameMatchEnabled || anyNameOnlySource : anyNameOnlySource {
            ambiguous = joinByName(row, line: line, eligible: joined == nil && nameMatchEnabled ? allSources : nameOnlySources,
                                   scratch: &scratch, counts: &counts)
        }
        for s in sources.indices {
            if scratch.rows[s] >= 0 {
                counts.matchedPerSource[s] += 1
                matchedNames = matchedNames.isEmpty ? sources[s].name : matchedNames + "," + sources[s].name
                if first < 0 { first = s }
            }
        }
        if first >= 0 {
            if scratch.byName[first] { counts.matchedByName += 1 } else { counts.matchedByDomain += 1 }
            row[matchColumn.position] = scratch.byName[first] ? "name" : "domain"
            row[scoreColumn.position] = scratch.scores[first] == 1 ? "1" : String(format: "%.3f", scratch.scores[first])
            row[sourcesColumn.position] = matchedNames
        } else {
            if ambiguous {
                // Counted (with its sample) where the name join found it ambiguous.
            } else if joined == nil && Self.text(row, company?.position).isEmpty {
                counts.withoutKey += 1
            } else {
                counts.unmatched += 1
            }
            row[matchColumn.position] = ambiguous ? Self.ambiguousMatch : ""
            row[scoreColumn.position] = ""
            row[sourcesColumn.position] = ""
        }
        for p in plans.indices {
            let plan = plans[p]
            let own = plan.own >= 0 ? row[plan.own].trimmedSpaces : ""
            defer {
                if !own.isEmpty { counts.filledBefore[p] += 1 }
                if !row[plan.value].isEmpty { counts.filledAfter[p] += 1 }
            }
            if own.isEmpty {
                // Nothing to keep and nothing to disagree with: the first matched source with a value wins.
                var found = false
                for w in plan.sourcesStart..<(plan.sourcesStart + plan.sourcesCount) {
                    let s = waterfalls[w]
                    let r = scratch.rows[s]
                    guard r >= 0 else { continue }
                    let value = sources[s].table.base[Int(r) * ReferenceTable.rowWidth + plan.slot]
                    guard !value.isEmpty else { continue }
                    row[plan.value] = value
                    row[plan.source] = provenance.text(source: s, row: r)
                    counts.fromReference[p] += 1
                    found = true
                    break
                }
                if !found {
                    row[plan.value] = ""
                    row[plan.source] = ""
                }
            } else {
                mergeWithOwnValue(own, plan: plan, planIndex: p, row: row, line: line, waterfalls: waterfalls,
                                  provenance: provenance, leadDomain: plan.own == joined?.position ? joined?.key : nil,
                                  scratch: &scratch, counts: &counts)
            }
        }
    }

    /// Joins the lead by company name to the best reference company across the `eligible` sources
    /// (an equal key anywhere beats any near name), setting `scratch.rows` for every eligible
    /// source that has that company. Returns whether the name fit two or more companies equally.
    private func joinByName(_ row: UnsafeMutableBufferPointer<String>, line: Int, eligible: [Bool],
                            scratch: inout RowScratch, counts: inout MergeCounts) -> Bool {
        let leadName = Self.text(row, company?.position)
        let key = companyKey.distinctiveKey(leadName) ?? ""
        guard !key.isEmpty else { return false }
        for s in sources.indices { scratch.exactRows[s] = eligible[s] ? sources[s].byNameKey[key] ?? -1 : -1 }
        let fuzzy = nameMatchEnabled && nameThreshold < 1
        switch nameIndex.match(key: key, exactRows: scratch.exactRows, eligible: eligible, fuzzy: fuzzy, threshold: nameThreshold) {
        case .none:
            return false
        case .ambiguous(let candidates):
            var described: [String] = []
            for candidate in candidates {
                let company = nameIndex.companies[Int(candidate)]
                for s in sources.indices where eligible[s] && company.rows[s] >= 0 {
                    described.append(sources[s].value(row: company.rows[s], slot: Self.companyNameSlot) + " (" + sources[s].name + ")")
                    break
                }
            }
            counts.note(AmbiguousName(line: line, leadName: leadName, candidates: described,
                                      reason: candidates.count == 1 ? .sameNameDifferentDomains : .equallyNear))
            return true
        case .company(let number, let kind, let score):
            let company = nameIndex.companies[Int(number)]
            var sample: NameMatchSample?
            for s in sources.indices where eligible[s] {
                let exact = scratch.exactRows[s]
                let r = exact >= 0 && nameIndex.companyOfRow[s][Int(exact)] == number ? exact : company.rows[s]
                guard r >= 0 else { continue }
                (scratch.rows[s], scratch.scores[s], scratch.byName[s]) = (r, score, true)
                if sample == nil {
                    sample = NameMatchSample(line: line, leadName: leadName, referenceName: sources[s].value(row: r, slot: Self.companyNameSlot),
                                             source: sources[s].name, kind: kind, score: score)
                }
            }
            if let sample { counts.note(sample) }
            return false
        }
    }

    private static let companyNameSlot = FirmographicField.all.firstIndex(of: .companyName)!

    /// A field whose lead has its own value: the waterfall decides, and a reference that says
    /// otherwise is a conflict.
    /// - Parameter leadDomain: the lead's join key when the plan's own column is the one it was read from.
    private func mergeWithOwnValue(_ own: String, plan: CompiledPlan, planIndex p: Int, row: UnsafeMutableBufferPointer<String>,
                                   line: Int, waterfalls: UnsafeBufferPointer<Int>, provenance: ChunkProvenance,
                                   leadDomain: DomainJoinIndex.Key?, scratch: inout RowScratch, counts: inout MergeCounts) {
        for s in scratch.agreement.indices { scratch.agreement[s] = 0 }
        var ownNameKey: String?
        func agrees(_ s: Int, _ r: Int32, _ value: String) -> Bool {
            if scratch.agreement[s] == 0 {
                let agreed = agree(own, value, comparison: plan.comparison, source: s, row: r, leadDomain: leadDomain,
                                   ownNameKey: &ownNameKey)
                scratch.agreement[s] = agreed ? 1 : 2
            }
            return scratch.agreement[s] == 1
        }
        var chosen = ""
        var chosenFrom = -2 // -2 none, -1 the lead's own value, else the source
        var conflict = -1
        var conflictValue = ""
        for w in plan.waterfallStart..<(plan.waterfallStart + plan.waterfallCount) {
            let candidate = waterfalls[w]
            let value: String
            if candidate >= 0 {
                let r = scratch.rows[candidate]
                guard r >= 0 else { continue }
                value = sources[candidate].value(row: r, slot: plan.slot)
                if !value.isEmpty, conflict < 0, !agrees(candidate, r, value) {
                    conflict = candidate
                    conflictValue = value
                }
            } else {
                value = own
            }
            if !value.isEmpty, chosenFrom == -2 {
                chosen = value
                chosenFrom = candidate
            }
        }
        // A conflict may sit behind the winner in the waterfall, or with a source it leaves out; look at every matched source.
        if conflict < 0 {
            for s in sources.indices {
                let r = scratch.rows[s]
                guard r >= 0 else { continue }
                let value = sources[s].value(row: r, slot: plan.slot)
                if !value.isEmpty, !agrees(s, r, value) {
                    conflict = s
                    conflictValue = value
                    break
                }
            }
        }
        row[plan.value] = chosen
        switch chosenFrom {
        case -2: row[plan.source] = ""
        case -1: row[plan.source] = MergePolicy.inputName
        default:
            row[plan.source] = provenance.text(source: chosenFrom, row: scratch.rows[chosenFrom])
            counts.fromReference[p] += 1
        }
        if conflict >= 0 {
            counts.conflicts[p] += 1
            let overwritten = chosenFrom >= 0
            if overwritten { counts.overwritten[p] += 1 }
            counts.note(MergeConflict(line: line, field: plans[p].field.name, leadValue: own, referenceValue: conflictValue,
                                      source: sources[conflict].name,
                                      resolution: overwritten ? "overwritten" : "kept_lead_value"))
        }
    }

    /// Whether the lead's value and a reference value say the same thing for a field.
    private func agree(_ lead: String, _ reference: String, comparison: Comparison, source: Int, row: Int32,
                       leadDomain: DomainJoinIndex.Key?, ownNameKey: inout String?) -> Bool {
        if comparison == .registrableDomain {
            // The domain numbers first: equal numbers settle it without reading the reference text,
            // which is usually not in the cache.
            let number = (leadDomain ?? join.key(ofWebsite: lead)).number
            return number >= 0 && number == join.rowDomain(source: source, row: row) || lead.equalsIgnoringCase(reference)
        }
        if lead.equalsIgnoringCase(reference) { return true }
        switch comparison {
        case .registrableDomain:
            return false
        case .companyNameKey:
            if ownNameKey == nil { ownNameKey = companyKey.distinctiveKey(lead) ?? "" }
            return ownNameKey == sources[source].rowNameKeys[Int(row)]
        case .number:
            return Double(lead.filter { $0 != "," }) == Double(reference.filter { $0 != "," })
        case .text:
            return false
        }
    }

    public func report(_ counts: MergeCounts) -> [(String, ReportValue)] {
        var fields: [(String, ReportValue)] = []
        for (p, plan) in plans.enumerated() {
            fields.append((plan.field.name, .object([
                ("policy", .string(plan.policy.label)),
                ("from_reference", .integer(counts.fromReference[p])),
                ("conflicts", .integer(counts.conflicts[p])),
                ("overwritten", .integer(counts.overwritten[p])),
                ("filled_before", .integer(counts.filledBefore[p])),
                ("filled_after", .integer(counts.filledAfter[p])),
            ])))
        }
        let sample = counts.sample.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        return [
            ("matched_by_domain", .integer(counts.matchedByDomain)),
            ("matched_by_name", .integer(counts.matchedByName)),
            ("unmatched", .integer(counts.unmatched)),
            ("without_key", .integer(counts.withoutKey)),
            ("name_match", .object([
                ("kinds", .object(NameJoinIndex.Kind.allCases.map { ($0.rawValue, .integer(counts.nameKinds[$0] ?? 0)) })),
                ("scores", counts.nameScores.report),
                ("weakest", .array(counts.weakestNames.sorted { ($0.score, $0.line) < ($1.score, $1.line) }.map(\.report))),
            ])),
            ("ambiguous", .object([
                ("total", .integer(counts.ambiguous)),
                ("sample", .array(counts.ambiguousSample.sorted { $0.line < $1.line }.map(\.report))),
            ])),
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
