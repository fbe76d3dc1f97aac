import LeadRecords

/// Figures a streaming stage counts, as a value: each chunk's work fills one, and the executor merges
/// them in input order, so a stage holds no locked counters and its figures do not depend on how many
/// threads ran it.
public protocol StageSummary: Sendable {
    /// Adds a later chunk's figures (`other` comes after `self` in the input).
    mutating func merge(_ other: Self)
}

/// A stage that streams chunk by chunk and counts what it did as a ``StageSummary`` value.
///
/// The executor calls ``process(_:counting:)`` on every chunk (possibly from several threads), merges the
/// summaries, and asks ``report(_:)`` for the run's figures.
public protocol ChunkStage: Stage {
    associatedtype Summary: StageSummary

    /// The figures before any chunk.
    func emptySummary() -> Summary
    /// Processes one chunk and counts what it did into `summary`. Inactive records must be left alone.
    func process(_ records: inout [Record], counting summary: inout Summary)
    /// The report's figures for the run's merged summary.
    func report(_ summary: Summary) -> [(String, ReportValue)]
}

extension ChunkStage {
    /// Processes a chunk whose figures nobody reads (explain-match's stages before dedupe).
    public func process(_ records: inout [Record]) {
        var summary = emptySummary()
        process(&records, counting: &summary)
    }

    /// Processes one list as the run's only chunk and returns its report figures (tools and tests).
    public func processReporting(_ records: inout [Record]) -> [(String, ReportValue)] {
        var summary = emptySummary()
        process(&records, counting: &summary)
        return report(summary)
    }
}

/// A summary whose type the executor does not know: merged and reported through its stage.
public struct AnyStageSummary: Sendable {
    public let value: any StageSummary

    public init(_ value: any StageSummary) { self.value = value }

    /// `self` followed by `later`, both of one stage.
    public func merged(with later: AnyStageSummary) -> AnyStageSummary {
        func merge<S: StageSummary>(_ first: S) -> AnyStageSummary {
            var first = first
            guard let second = later.value as? S else { preconditionFailure("summaries of two different stages merged") }
            first.merge(second)
            return AnyStageSummary(first)
        }
        return merge(value)
    }
}

extension ChunkStage {
    /// Processes a chunk and returns its figures without the caller knowing their type.
    public func processErasingSummary(_ records: inout [Record]) -> AnyStageSummary {
        var summary = emptySummary()
        process(&records, counting: &summary)
        return AnyStageSummary(summary)
    }

    /// The report for a merged erased summary of this stage (the empty summary when no chunk ran).
    public func report(erased: AnyStageSummary?) -> [(String, ReportValue)] {
        guard let erased else { return report(emptySummary()) }
        guard let summary = erased.value as? Summary else { preconditionFailure("another stage's summary") }
        return report(summary)
    }
}
