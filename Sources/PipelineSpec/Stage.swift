import Foundation
import LeadFacts
import LeadRecords

/// A step of a pipeline, such as `normalize` or `email_check`.
///
/// Adding a stage means one folder with a type conforming to `Stage` and one line in the registry.
/// A stage never opens input files or the network by itself: what it needs is given to it through
/// its options and the ``StageContext``.
///
/// Lifecycle, once per run: `init(options:context:)` decodes the options (lint stops here), then
/// ``bound(schema:columns:)`` adds the columns the stage writes, finds those it reads, and returns the
/// stage ready to run on that schema: a ``StreamingStage`` the executor hands chunks (possibly from several
/// threads at once), or a ``WholeListStage`` it hands every row once. Either returns its figures as a
/// value, which the executor merges and turns into the report's stage summary.
public protocol Stage: Sendable {
    /// The stage's name, options, reason codes and required fields.
    static var descriptor: StageDescriptor { get }

    /// Builds the stage from its validated options.
    ///
    /// Throw ``OptionProblem`` for options that are well-typed but unusable; lint reports it at the option.
    init(options: OptionValues, context: StageContext) throws

    /// Adds the columns the stage writes to `schema`, resolves the columns it reads, and returns the stage
    /// bound to them (its column indexes known, none a placeholder).
    func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage
}

/// A stage bound to the run's schema, in one of the two shapes the executor schedules.
public enum BoundStage: Sendable {
    /// Handles each chunk on its own: chunks run in parallel and stream through.
    case streaming(any StreamingStage)
    /// Needs every row at once (dedupe, route): the executor gathers the list first.
    case wholeList(any WholeListStage)
    /// Streams chunk by chunk, with steps that see the chunks in input order and a step after the last one
    /// (decay with a store): the executor gathers nothing for it, but its rows cannot be split across processes.
    case streamingInOrder(any InOrderStreamingStage)

    /// Whether the stage must see every row of the run in one process (a whole-list stage, or one with in-order
    /// steps): a distributed run (Spark) runs it on one partition.
    public var isWholeList: Bool {
        switch self {
        case .streaming: false
        case .wholeList, .streamingInOrder: true
        }
    }

    /// Whether the stage streams with in-order steps.
    public var isInOrder: Bool {
        if case .streamingInOrder = self { return true }
        return false
    }

    /// Whether the executor gathers every row before this stage (a barrier): only a whole-list stage.
    public var gathersList: Bool {
        if case .wholeList = self { return true }
        return false
    }

    /// The report's figures from the stage's merged summary; `nil` when no chunk reached it (a failed run).
    public func report(_ summary: AnyStageSummary?) -> [(String, ReportValue)] {
        switch self {
        case .streaming(let stage): stage.report(erased: summary)
        case .wholeList(let stage): stage.report(erased: summary)
        case .streamingInOrder(let stage): stage.report(erased: summary)
        }
    }
}

extension StageDescriptor {
    /// Every added column with its type: the typed ones from ``produces``, the others text.
    public var producedColumns: [ColumnSpec] {
        let typed = Dictionary(produces.map { ($0.name, $0) }) { first, _ in first }
        return addedColumns.map { typed[$0] ?? ColumnSpec($0, .text) }
    }
}

/// What a stage declares about itself; the registry, lint and `leadhygiene stages` read it.
public struct StageDescriptor: Sendable {
    /// The name used in pipeline files.
    public var name: String
    /// One sentence for `leadhygiene stages`.
    public var summary: String
    /// The options the stage accepts.
    public var options: OptionSchema
    /// Canonical fields that must be mapped for the stage to run.
    public var requiredFields: [CanonicalField]
    /// Canonical fields the stage uses when present.
    public var optionalFields: [CanonicalField]
    /// Columns the stage adds, for the README and `leadhygiene stages`.
    public var addedColumns: [String]
    /// Reason codes the stage may reject or flag with.
    public var reasonCodes: [ReasonCode]
    /// The added columns later stages read, with their types (``LeadColumns``); the rest are text.
    public var produces: [ColumnSpec]
    /// Other stages' columns this stage reads when they are there (``LeadColumns``); `lint` says when no
    /// earlier stage writes one.
    public var consumes: [ColumnSpec]

    public init(name: String, summary: String, options: OptionSchema, requiredFields: [CanonicalField] = [],
                optionalFields: [CanonicalField] = [], addedColumns: [String] = [], reasonCodes: [ReasonCode] = [],
                produces: [ColumnSpec] = [], consumes: [ColumnSpec] = []) {
        self.produces = produces
        self.consumes = consumes
        self.name = name
        self.summary = summary
        self.options = options
        self.requiredFields = requiredFields
        self.optionalFields = optionalFields
        self.addedColumns = addedColumns
        self.reasonCodes = reasonCodes
    }
}

/// What the run hands every stage.
public struct StageContext: Sendable {
    /// The pipeline file's path, for messages.
    public var pipelineFile: String
    /// The run's reference time: "now" for ages and decay, fixed once per run so every row sees the same clock.
    public var now: Date
    /// How many worker threads the run uses.
    public var jobs: Int
    /// The run store's path (`store:` in the pipeline file), when the pipeline has one.
    public var storePath: String?
    /// True when the stage is built only to validate its options (`leadhygiene lint`): open nothing.
    public var isLintOnly: Bool
    /// The store's caches and other services the run provides (``StageServices``).
    public var services: StageServices
    /// The run's one company key: the shipped legal forms and normalize's `legal_suffixes`, so every
    /// stage keys a company alike.
    public var companyKey: CompanyKey
    /// Where a long stage reports its phase and how far it is, for the progress line (``StageProgress``).
    public var progress: StageProgress

    public init(pipelineFile: String, now: Date = Date(), jobs: Int = 1, storePath: String? = nil,
                isLintOnly: Bool = false, services: StageServices = StageServices(), companyKey: CompanyKey = .standard,
                progress: StageProgress = .silent) {
        self.progress = progress
        self.companyKey = companyKey
        self.pipelineFile = pipelineFile
        self.now = now
        self.jobs = jobs
        self.storePath = storePath
        self.isLintOnly = isLintOnly
        self.services = services
    }
}

extension BoundStage {
    /// Runs the stage over `records` as the run's only chunk (or as the whole list) and returns its report
    /// figures: for tools and tests that hold one list.
    @discardableResult
    public func run(_ records: inout [Record]) throws -> [(String, ReportValue)] {
        switch self {
        case .streaming(let stage): stage.processReporting(&records)
        case .wholeList(let stage): try stage.processReporting(&records)
        case .streamingInOrder(let stage): try stage.processReporting(&records)
        }
    }
}
