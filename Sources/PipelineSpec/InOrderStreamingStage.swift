import LeadRecords

/// A bound stage that streams, but part of whose work must see the chunks one at a time in input order, and that
/// ends with a step after the last chunk: decay with a store (the first row with a lead's key is the one compared
/// with last run's snapshot; this run's snapshots are staged in input order; the leads no row had vanished).
///
/// The executor runs one ``InOrderPass`` per run (``beginPass(expectedRows:)``). Per chunk, on any thread:
/// ``InOrderPass/prepare(_:)``, then, in input order and one chunk at a time, ``InOrderPass/admit(_:)``, then
/// ``InOrderPass/process(_:admitted:)``, then, again in input order, ``InOrderPass/absorb(_:_:)``; the stages
/// after it see the chunk only then. After the last chunk, ``InOrderPass/finish()`` returns the stage's figures.
/// No chunk is held for another, so memory stays bounded by the chunks in flight.
public protocol InOrderStreamingStage: Sendable {
    associatedtype Pass: InOrderPass

    /// Starts the run's pass, before the first chunk (decay loads the last run here).
    /// - Parameter expectedRows: how many rows will come, when the executor holds them already (after a
    ///   whole-list stage); `nil` while they are still being read.
    func beginPass(expectedRows: Int?) throws -> Pass
    /// The report's figures for what ``InOrderPass/finish()`` returned.
    func report(_ summary: Pass.Summary) -> [(String, ReportValue)]
}

/// One run of an ``InOrderStreamingStage``: the state its in-order steps keep across chunks.
///
/// The executor calls ``admit(_:)`` and ``absorb(_:_:)`` for one chunk at a time, in input order (the pass need
/// not lock what only they touch); ``prepare(_:)`` and ``process(_:admitted:)`` may run on several threads at once.
public protocol InOrderPass: AnyObject, Sendable {
    /// What ``prepare(_:)`` finds in a chunk for ``admit(_:)`` (decay: each row's key and its place in last run).
    associatedtype Prepared: Sendable
    /// What ``admit(_:)`` decides for a chunk (decay: which rows are the first with their key).
    associatedtype Admission: Sendable
    /// What ``process(_:admitted:)`` counted in a chunk, for ``absorb(_:_:)``.
    associatedtype Processed: Sendable
    associatedtype Summary: Sendable

    /// Reads a chunk before it is admitted; any thread.
    func prepare(_ records: [Record]) -> Prepared
    /// Decides for a chunk, in input order.
    func admit(_ prepared: Prepared) -> Admission
    /// Processes a chunk (inactive records left alone); any thread.
    func process(_ records: inout [Record], admitted: Admission) -> Processed
    /// Takes in a processed chunk, in input order, before any later stage sees it (decay stages its snapshots).
    /// A throw fails the run.
    func absorb(_ records: [Record], _ processed: Processed) throws
    /// Ends the pass after the last chunk and returns the stage's figures. A throw fails the run.
    func finish() throws -> Summary
}

extension InOrderStreamingStage {
    /// Runs a pass over one list as its only chunk and returns the figures (tools, tests, a whole-list caller).
    public func processAll(asOneChunk records: inout [Record]) throws -> Pass.Summary {
        let pass = try beginPass(expectedRows: records.count)
        let admission = pass.admit(pass.prepare(records))
        let processed = pass.process(&records, admitted: admission)
        try pass.absorb(records, processed)
        return try pass.finish()
    }

    /// Runs a pass over one list as its only chunk and returns its report figures (tools and tests).
    package func processReporting(_ records: inout [Record]) throws -> [(String, ReportValue)] {
        report(try processAll(asOneChunk: &records))
    }

    /// Starts a pass whose figures the executor does not know the type of.
    public func beginErasedPass(expectedRows: Int?) throws -> AnyInOrderPass {
        AnyInOrderPass(try beginPass(expectedRows: expectedRows))
    }

    /// The report for this stage's erased figures; nothing when the pass never finished (the run failed before).
    public func report(erased: AnyStageSummary?) -> [(String, ReportValue)] {
        guard let erased else { return [] }
        guard let summary = erased.value as? Pass.Summary else { preconditionFailure("another stage's summary") }
        return report(summary)
    }
}

/// An ``InOrderPass`` whose associated types the executor does not know: each step hands the next its value.
public struct AnyInOrderPass: Sendable {
    private let prepareChunk: @Sendable ([Record]) -> any Sendable
    private let admitChunk: @Sendable (any Sendable) -> any Sendable
    private let processChunk: @Sendable (inout [Record], any Sendable) -> any Sendable
    private let absorbChunk: @Sendable ([Record], any Sendable) throws -> Void
    private let finishPass: @Sendable () throws -> AnyStageSummary

    init<Pass: InOrderPass>(_ pass: Pass) {
        prepareChunk = { pass.prepare($0) }
        admitChunk = { pass.admit($0 as! Pass.Prepared) }
        processChunk = { pass.process(&$0, admitted: $1 as! Pass.Admission) }
        absorbChunk = { try pass.absorb($0, $1 as! Pass.Processed) }
        finishPass = { AnyStageSummary(try pass.finish()) }
    }

    /// ``InOrderPass/prepare(_:)``.
    public func prepare(_ records: [Record]) -> any Sendable { prepareChunk(records) }
    /// ``InOrderPass/admit(_:)``, with what ``prepare(_:)`` returned.
    public func admit(_ prepared: any Sendable) -> any Sendable { admitChunk(prepared) }
    /// ``InOrderPass/process(_:admitted:)``, with what ``admit(_:)`` returned.
    public func process(_ records: inout [Record], admitted: any Sendable) -> any Sendable { processChunk(&records, admitted) }
    /// ``InOrderPass/absorb(_:_:)``, with what ``process(_:admitted:)`` returned.
    public func absorb(_ records: [Record], _ processed: any Sendable) throws { try absorbChunk(records, processed) }
    /// ``InOrderPass/finish()``.
    public func finish() throws -> AnyStageSummary { try finishPass() }
}
