import Foundation
import Synchronization
import LeadRecords
import PipelineSpec

/// The `dedupe` stage: finds the rows that describe the same person and marks (or merges) them.
///
/// Candidate pairs come from blocking rules; each pair's fields are compared into agreement levels;
/// Fellegi–Sunter weights learned without labels (EM) turn levels into a match probability; pairs
/// above the threshold are clustered into entities with a guard against chains.
public struct DedupeStage: Stage {
    public static let descriptor = StageDescriptor(
        name: "dedupe",
        summary: "Finds rows describing the same person (blocking, fuzzy comparators, EM-learned Fellegi–Sunter weights, chain-guarded clustering) and annotates or merges them.",
        options: DedupeStageOptions.schema,
        optionalFields: [.recordID, .firstName, .lastName, .fullName, .email, .company, .website, .domain, .phone,
                         .linkedinURL, .city, .postcode, .country, .lastActivityAt, .lastVerifiedAt, .source],
        addedColumns: ["entity_id", "match_probability", "duplicate_of", "match_explain"],
        reasonCodes: [.dedupeMergedDuplicate],
        produces: [LeadColumns.entityID.spec, LeadColumns.matchProbability.spec])

    public var mode: StageMode { .wholeList }

    enum Mode: String { case annotate, merge }

    let runMode: Mode
    var settings: DedupeSettings
    let customFields: Bool
    let explain: Bool
    let reviewPath: String?
    let labels: LabelledPairs?
    let labelsTrain: Bool
    let recordKeyOption: String?
    let survivorship: [String: SurvivorshipRule]
    let survivorshipDefault: SurvivorshipRule
    let sourcePriority: [String]
    /// Remembers entity IDs between runs; the runner sets it when the pipeline names a store.
    public var entityIDMemory: (any EntityIDMemory)?
    /// Where the phases of a run are reported, for the progress line.
    let progress: StageProgress

    // Bound in `bind`.
    var entityColumn = ColumnIndex(0), probabilityColumn = ColumnIndex(0), duplicateColumn = ColumnIndex(0)
    var explainColumn: ColumnIndex?
    var compareColumns: [String: ColumnIndex] = [:]
    var recordKeyColumn: ColumnIndex?
    var emailColumn: ColumnIndex?
    /// The date columns that say which row is most recent, with how each writes its dates.
    var recencyColumns: [(column: ColumnIndex, format: DateFormat)] = []
    var sourceColumn: ColumnIndex?
    var survivorshipColumns: [(ColumnIndex, SurvivorshipRule)] = []

    /// Set to keep the last run's matcher and clusters in ``lastResolution`` (benchmarks and diagnostics).
    public var keepsResolution = false
    /// Input lines whose compared values the run keeps, so ``inspectLastRun(lines:_:)`` can show them.
    public var inspectedLines: Set<Int> = []
    /// The last run's matcher and clusters, when ``keepsResolution`` is set.
    public var lastResolution: EntityResolution? {
        get { results.resolution.withLock { $0 } }
        nonmutating set { results.resolution.withLock { $0 = newValue } }
    }
    /// Seconds and resident memory at the end of each phase of the last run (benchmarks and diagnostics).
    public var lastPhases: [PhaseLap] {
        get { results.phases.withLock { $0 } }
        nonmutating set { results.phases.withLock { $0 = newValue } }
    }
    /// What the last run found, for the report.
    ///
    /// Held by reference: the executor may run `processAll` on a copy of the stage and ask the
    /// original for its ``summary()``, and both must see the same figures.
    public var statistics: DedupeStatistics {
        get { results.statistics.withLock { $0 } }
        nonmutating set { results.statistics.withLock { $0 = newValue } }
    }
    /// Shared between copies of the stage (see ``statistics``).
    let results = RunResults()

    public init(options: OptionValues, context: StageContext) throws {
        runMode = options.choice("mode", as: Mode.self)
        progress = context.progress
        var fields: [FieldSpec] = []
        for object in options.objects("fields") {
            let name = object.defaultedString("name")
            let columns = object.strings("columns")
            guard !name.isEmpty, !columns.isEmpty else { throw OptionProblem(option: "fields", "each field needs a name and columns") }
            guard !fields.contains(where: { $0.name == name }) else {
                throw OptionProblem(option: "fields", "field '\(name)' is defined twice")
            }
            fields.append(FieldSpec(name: name, columns: columns,
                                    comparator: object.choice("comparator", as: ComparatorKind.self),
                                    termFrequency: object.bool("term_frequency"), swapWith: object.string("swap_with"),
                                    conditionalOn: object.string("conditional_on"), impliedBy: object.string("implied_by")))
        }
        guard fields.count <= ComparisonPattern.maxFields else {
            throw OptionProblem(option: "fields", "at most \(ComparisonPattern.maxFields) compared fields, found \(fields.count)")
        }
        for field in fields {
            for (option, other) in [("swap_with", field.swapWith), ("conditional_on", field.conditionalOn), ("implied_by", field.impliedBy)] {
                if let other, !fields.contains(where: { $0.name == other }) {
                    throw OptionProblem(option: "fields", "field '\(field.name)' has \(option): '\(other)', which is not a field")
                }
            }
        }
        customFields = !fields.isEmpty
        var rules: [BlockingRule] = []
        if case .list(let items)? = options.value("blocking"), options.isSet("blocking") {
            for item in items {
                guard case .list(let terms) = item else { continue }
                let text = terms.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: " + ")
                do { rules.append(try BlockingRule(text)) } catch { throw OptionProblem(option: "blocking", error.description) }
            }
            guard !rules.isEmpty else { throw OptionProblem(option: "blocking", "give at least one blocking rule") }
            guard rules.count <= 16 else { throw OptionProblem(option: "blocking", "at most 16 blocking rules, found \(rules.count)") }
        }
        if customFields {
            if rules.isEmpty { rules = fields.map { try! BlockingRule($0.name) } }
        }
        settings = DedupeSettings(fields: fields, blocking: rules)
        settings.companyKey = context.companyKey
        settings.threshold = options.defaultedNumber("threshold")
        guard settings.threshold > 0, settings.threshold < 1 else {
            throw OptionProblem(option: "threshold", "threshold is a probability strictly between 0 and 1")
        }
        settings.maxBlockSize = max(2, options.defaultedInteger("max_block_size"))
        settings.randomPairs = max(1000, options.defaultedInteger("random_pairs"))
        settings.maxIterations = max(1, options.defaultedInteger("em_iterations"))
        settings.coherence = options.defaultedNumber("cluster_coherence")
        guard (0...1).contains(settings.coherence) else {
            throw OptionProblem(option: "cluster_coherence", "cluster_coherence is a share between 0 and 1")
        }
        settings.reviewMin = options.defaultedNumber("review_min")
        settings.reviewMax = options.defaultedNumber("review_max")
        explain = options.bool("explain")
        reviewPath = options.string("review")
        labelsTrain = options.string("labels_use") != "evaluate"
        recordKeyOption = options.string("record_key")
        survivorshipDefault = options.choice("survivorship_default", as: SurvivorshipRule.self)
        var rulesByColumn: [String: SurvivorshipRule] = [:]
        for (column, rule) in options.stringMap("survivorship") { rulesByColumn[column] = SurvivorshipRule(rawValue: rule) }
        survivorship = rulesByColumn
        sourcePriority = options.strings("source_priority")
        if let path = options.string("labels"), !context.isLintOnly {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw OptionProblem(option: "labels", "cannot read labelled pairs file '\(path)'")
            }
            do { labels = try LabelledPairs(csv: text) } catch { throw OptionProblem(option: "labels", "\(path): \(error.description)") }
        } else {
            labels = nil
        }
        // The store's entity-id memory, when the run has a store; lint opens nothing.
        if !context.isLintOnly {
            entityIDMemory = try context.services.open((any EntityIDMemory).self)
        }
    }

    public mutating func bind(schema: inout Schema, columns: ColumnBindings) throws {
        if !customFields {
            settings.fields = LeadDefaults.fields(schema: schema, columns: columns)
            if settings.blocking.isEmpty { settings.blocking = LeadDefaults.blocking(for: settings.fields) }
            guard !settings.fields.isEmpty else {
                throw OptionProblem(option: "fields", "no lead fields are mapped (email, names, company, phone…); configure `fields:`")
            }
            guard !settings.blocking.isEmpty else { throw OptionProblem(option: "blocking", "no default blocking rule applies; configure `blocking:`") }
        }
        settings.distinctMailboxes = DistinctMailboxRule.derived(from: settings.fields)
        var needed: [String] = settings.fields.flatMap(\.columns)
        let fieldNames = Set(settings.fields.map(\.name))
        for rule in settings.blocking {
            for term in rule.terms where !fieldNames.contains(term.source)
                && !(term.source.hasSuffix("_key") && fieldNames.contains(String(term.source.dropLast(4)))) {
                guard schema.index(of: term.source) != nil else {
                    throw OptionProblem(option: "blocking", "blocking rule '\(rule.text)' names '\(term.source)', which is neither a field nor a column")
                }
                needed.append(term.source)
            }
        }
        compareColumns = [:]
        for name in needed {
            guard let index = schema.index(of: name) else {
                throw OptionProblem(option: "fields", "column '\(name)' is not in the input" )
            }
            compareColumns[name] = index
        }
        recordKeyColumn = recordKeyOption.flatMap { schema.index(of: $0) } ?? columns[.recordID]
        if let option = recordKeyOption, schema.index(of: option) == nil {
            throw OptionProblem(option: "record_key", "column '\(option)' is not in the input")
        }
        emailColumn = columns[.email]
        recencyColumns = [CanonicalField.lastActivityAt, .lastVerifiedAt].compactMap { field in
            columns[field].map { ($0, columns.dateFormat(of: field)) }
        }
        sourceColumn = columns[.source]
        let inputColumns = schema.columns
        entityColumn = schema.addColumn("entity_id")
        probabilityColumn = schema.addColumn("match_probability")
        duplicateColumn = schema.addColumn("duplicate_of")
        explainColumn = explain ? schema.addColumn("match_explain") : nil
        if runMode == .merge {
            survivorshipColumns = inputColumns.enumerated().map { i, name in
                (ColumnIndex(i), survivorship[name] ?? survivorshipDefault)
            }
        }
    }

    public func summary() -> [(String, ReportValue)] { statistics.report() }
}

extension ReasonCode {
    /// A row folded into its entity's golden record in merge mode (written to the merged file, counted as rows_merged).
    public static let dedupeMergedDuplicate = ReasonCode(
        "dedupe_merged_duplicate", "The row describes the same person as another row and was merged into its golden record.")
}

/// The figures of a run, shared by every copy of a ``DedupeStage``.
final class RunResults: Sendable {
    let statistics = Mutex(DedupeStatistics())
    let resolution = Mutex<EntityResolution?>(nil)
    /// The input line of each row the last resolution compared, kept with it.
    let rowLines = Mutex<[Int]>([])
    let phases = Mutex<[PhaseLap]>([])
    /// Per inspected input line, each compared field's raw value (its columns joined by a space).
    let inspectedValues = Mutex<[Int: [String]]>([:])
}
