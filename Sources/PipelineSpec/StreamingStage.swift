import LeadRecords

/// Figures a streaming stage counts, as a value: each chunk's work fills one, and the executor merges
/// them in input order, so a stage holds no locked counters and its figures do not depend on how many
/// threads ran it.
public protocol StageSummary: Sendable {
    /// Adds a later chunk's figures (`other` comes after `self` in the input).
    mutating func merge(_ other: Self)
}

/// A bound stage that streams chunk by chunk and counts what it did as a ``StageSummary`` value.
///
/// The executor calls ``process(_:counting:)`` on every chunk (possibly from several threads), merges the
/// summaries, and asks ``report(_:)`` for the run's figures.
public protocol StreamingStage: Sendable {
    associatedtype Summary: StageSummary

    /// The figures before any chunk.
    func emptySummary() -> Summary
    /// Processes one chunk and counts what it did into `summary`. Inactive records must be left alone.
    func process(_ records: inout [Record], counting summary: inout Summary)
    /// The report's figures for the run's merged summary.
    func report(_ summary: Summary) -> [(String, ReportValue)]
}

/// A bound stage that needs every row at once: it runs once over the whole list and returns its figures.
public protocol WholeListStage: Sendable {
    associatedtype Summary: Sendable

    /// Processes the whole list. Rows are never added or removed: a stage marks them rejected or merged.
    func processAll(_ records: inout [Record]) throws -> Summary
    /// The report's figures for what ``processAll(_:)`` returned.
    func report(_ summary: Summary) -> [(String, ReportValue)]
    /// The columns the stage reads or writes, so the executor can set a held row's other values aside while it
    /// runs; `nil` (the default) when it may touch any.
    var touchedColumns: TouchedColumns? { get }
}

/// Figures for a stage that counts nothing beyond the rows the executor counts for every stage.
public struct NoFigures: StageSummary {
    public init() {}
    public mutating func merge(_ other: NoFigures) {}
}

extension StreamingStage {
    /// Processes a chunk whose figures nobody reads (explain-match's stages before dedupe, tests).
    public func process(_ records: inout [Record]) {
        var summary = emptySummary()
        process(&records, counting: &summary)
    }

    /// Processes one list as the run's only chunk and returns its report figures (tools and tests).
    package func processReporting(_ records: inout [Record]) -> [(String, ReportValue)] {
        var summary = emptySummary()
        process(&records, counting: &summary)
        return report(summary)
    }
}

extension WholeListStage {
    /// Every column: a stage that declares nothing holds its rows whole.
    public var touchedColumns: TouchedColumns? { nil }

    /// Processes the list and returns its report figures (tools and tests).
    package func processReporting(_ records: inout [Record]) throws -> [(String, ReportValue)] {
        report(try processAll(&records))
    }
}

/// A summary whose type the executor does not know: merged and reported through its stage.
public struct AnyStageSummary: Sendable {
    public let value: any Sendable

    public init(_ value: any Sendable) { self.value = value }
}

extension StreamingStage {
    /// Processes a chunk and returns its figures without the caller knowing their type.
    public func processErasingSummary(_ records: inout [Record]) -> AnyStageSummary {
        var summary = emptySummary()
        process(&records, counting: &summary)
        return AnyStageSummary(summary)
    }

    /// `earlier` followed by `later`, both this stage's.
    public func merge(_ earlier: AnyStageSummary, _ later: AnyStageSummary) -> AnyStageSummary {
        guard var first = earlier.value as? Summary, let second = later.value as? Summary else {
            preconditionFailure("summaries of two different stages merged")
        }
        first.merge(second)
        return AnyStageSummary(first)
    }

    /// The report for a merged erased summary of this stage (the empty summary when no chunk ran).
    public func report(erased: AnyStageSummary?) -> [(String, ReportValue)] {
        guard let erased else { return report(emptySummary()) }
        guard let summary = erased.value as? Summary else { preconditionFailure("another stage's summary") }
        return report(summary)
    }
}

extension WholeListStage {
    /// Processes the list and returns its figures without the caller knowing their type.
    public func processAllErasingSummary(_ records: inout [Record]) throws -> AnyStageSummary {
        AnyStageSummary(try processAll(&records))
    }

    /// The report for this stage's erased summary; nothing when the stage never ran (the run failed before it).
    public func report(erased: AnyStageSummary?) -> [(String, ReportValue)] {
        guard let erased else { return [] }
        guard let summary = erased.value as? Summary else { preconditionFailure("another stage's summary") }
        return report(summary)
    }
}
