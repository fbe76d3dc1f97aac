import LeadFacts
import LeadRecords
import PipelineSpec

/// One segment's pass of a stage with in-order steps (``InOrderStreamingStage``), run inside each chunk's work:
/// the parallel steps on the chunk's thread, the in-order ones through a turnstile each.
struct InOrderRun: Sendable {
    let pass: AnyInOrderPass
    /// ``InOrderPass/admit(_:)`` and ``InOrderPass/absorb(_:_:)`` each see the chunks one at a time in input
    /// order; two turnstiles, so one chunk can be admitted while an earlier one is still being processed.
    private let admitting = InputOrderTurnstile()
    private let absorbing = InputOrderTurnstile()

    init(pass: AnyInOrderPass) { self.pass = pass }

    /// Runs the pass's steps on the chunk at `order` and returns its row counts and seconds (waits for the
    /// turnstiles not counted); `nil` when an earlier chunk's in-order step failed.
    func process(_ records: inout [Record], order: Int) throws -> StageStatistics? {
        var stats = StageStatistics(name: "")
        let before = PipelineExecutor.tally(records)
        var start = MonotonicClock.now()
        let prepared = pass.prepare(records)
        var seconds = MonotonicClock.now() - start
        let admission: (any Sendable)? = try admitting.pass(order) { () -> any Sendable in
            start = MonotonicClock.now()
            defer { seconds += MonotonicClock.now() - start }
            return pass.admit(prepared)
        }
        guard let admission else { return nil }
        start = MonotonicClock.now()
        let processed = pass.process(&records, admitted: admission)
        seconds += MonotonicClock.now() - start
        let after = PipelineExecutor.tally(records)
        let absorbed: Void? = try absorbing.pass(order) { () throws -> Void in
            start = MonotonicClock.now()
            defer { seconds += MonotonicClock.now() - start }
            try pass.absorb(records, processed)
        }
        guard absorbed != nil else { return nil }
        stats.seconds = seconds
        stats.rowsIn = before.active
        stats.rowsOut = after.active
        stats.rowsRejected = after.rejected - before.rejected
        stats.rowsMerged = after.merged - before.merged
        return stats
    }

    /// Stops every wait: the run failed.
    func close() {
        admitting.close()
        absorbing.close()
    }
}
