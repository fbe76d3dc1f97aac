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
    /// Remembers entity IDs between runs: the store's, when the run has one (``StageServices``).
    package var entityIDMemory: (any EntityIDMemory)?
    /// Where the phases of a run are reported, for the progress line.
    let progress: StageProgress
    /// Set to keep the run's matcher and clusters in its ``DedupeRun`` (benchmarks, `explain-match`).
    package var keepsResolution = false
    /// Input lines whose compared values the run keeps, so ``DedupeRun/inspect(lines:_:)`` can show them.
    package var inspectedLines: Set<Int> = []
    /// `explain-match`'s request, answered with the run.
    let inspection: PairInspectionRequest?
    /// One step of a distributed run (`leadhygiene dedupe …`), done instead of the whole stage.
    let stepRequest: DedupeStepRequest?

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
        // The store's entity-id memory, when the run has a store; lint opens nothing. `explain-match` asks
        // for two lines instead: it keeps the resolution and writes no entity ids.
        inspection = try context.services.open(PairInspectionRequest.self)
        stepRequest = context.isLintOnly ? nil : try context.services.open(DedupeStepRequest.self)
        if let inspection {
            keepsResolution = true
            inspectedLines = inspection.lines
        } else if !context.isLintOnly {
            entityIDMemory = try context.services.open((any EntityIDMemory).self)
        }
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .wholeList(try bind(schema: &schema, columns: columns))
    }

    /// The stage bound to the schema, as its own type (benchmarks read its columns and resolution).
    public func bind(schema: inout Schema, columns: ColumnBindings) throws -> Bound {
        var settings = self.settings
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
        var compareColumns: [String: ColumnIndex] = [:]
        for name in needed {
            guard let index = schema.index(of: name) else {
                throw OptionProblem(option: "fields", "column '\(name)' is not in the input" )
            }
            compareColumns[name] = index
        }
        if let option = recordKeyOption, schema.index(of: option) == nil {
            throw OptionProblem(option: "record_key", "column '\(option)' is not in the input")
        }
        let inputColumns = schema.columns
        return Bound(
            stage: self, settings: settings, compareColumns: compareColumns,
            recordKeyColumn: recordKeyOption.flatMap { schema.index(of: $0) } ?? columns[.recordID],
            emailColumn: columns[.email],
            recencyColumns: [CanonicalField.lastActivityAt, .lastVerifiedAt].compactMap { field in
                columns[field].map { ($0, columns.dateFormat(of: field)) }
            },
            sourceColumn: columns[.source],
            survivorshipColumns: runMode == .merge
                ? inputColumns.enumerated().map { i, name in (ColumnIndex(i), survivorship[name] ?? survivorshipDefault) } : [],
            entityColumn: schema.addColumn("entity_id"), probabilityColumn: schema.addColumn("match_probability"),
            duplicateColumn: schema.addColumn("duplicate_of"), explainColumn: explain ? schema.addColumn("match_explain") : nil)
    }

    /// dedupe bound to the run's schema: the settings with the default fields of this input, and the columns
    /// it compares, reads and writes.
    public struct Bound: WholeListStage {
        let stage: DedupeStage
        let settings: DedupeSettings
        let compareColumns: [String: ColumnIndex]
        let recordKeyColumn: ColumnIndex?
        let emailColumn: ColumnIndex?
        /// The date columns that say which row is most recent, with how each writes its dates.
        let recencyColumns: [(column: ColumnIndex, format: DateFormat)]
        let sourceColumn: ColumnIndex?
        let survivorshipColumns: [(ColumnIndex, SurvivorshipRule)]
        public let entityColumn: ColumnIndex
        let probabilityColumn, duplicateColumn: ColumnIndex
        let explainColumn: ColumnIndex?

        var runMode: Mode { stage.runMode }
        var reviewPath: String? { stage.reviewPath }
        var labels: LabelledPairs? { stage.labels }
        var labelsTrain: Bool { stage.labelsTrain }
        var sourcePriority: [String] { stage.sourcePriority }
        var entityIDMemory: (any EntityIDMemory)? { stage.entityIDMemory }
        var keepsResolution: Bool { stage.keepsResolution }
        var inspectedLines: Set<Int> { stage.inspectedLines }
        var progress: StageProgress { stage.progress }
        var stepRequest: DedupeStepRequest? { stage.stepRequest }

        public func report(_ run: DedupeRun) -> [(String, ReportValue)] { run.statistics.report() }
    }
}

/// `explain-match`'s question, handed to dedupe through ``StageServices``: keep the resolution and these
/// lines' compared values, remember no entity ids, and leave the run here for the asker.
public final class PairInspectionRequest: Sendable {
    public let lines: Set<Int>
    private let answered = Mutex<DedupeRun?>(nil)

    public init(lines: Set<Int>) { self.lines = lines }

    /// The dedupe run that answered, once it ran.
    public var answer: DedupeRun? { answered.withLock { $0 } }

    func answer(with run: DedupeRun) { answered.withLock { $0 = run } }
}

/// What one dedupe run found: its figures for the report and, when asked, the matcher and clusters.
public struct DedupeRun: Sendable {
    public var statistics = DedupeStatistics()
    /// Seconds and resident memory at the end of each phase (benchmarks and diagnostics).
    public var phases: [PhaseLap] = []
    /// The matcher and clusters, when the stage ``DedupeStage/keepsResolution``.
    public var resolution: EntityResolution?
    /// The input line of each row the resolution compared.
    var rowLines: [Int] = []
    /// Per inspected input line, each compared field's raw value (its columns joined by a space).
    var inspectedValues: [Int: [String]] = [:]
    /// The settings the run used (fields and threshold), to explain a pair.
    var fieldCount = 0
    var threshold = 0.0
}

extension ReasonCode {
    /// A row folded into its entity's golden record in merge mode (written to the merged file, counted as rows_merged).
    package static let dedupeMergedDuplicate = ReasonCode(
        "dedupe_merged_duplicate", "The row describes the same person as another row and was merged into its golden record.")
}

