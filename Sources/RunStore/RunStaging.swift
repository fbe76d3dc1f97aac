import Synchronization

/// Where the stages of one pipeline run leave the rows they staged for the run store (decay's snapshots
/// and enrichment values), for the runner to commit with the run row once the outputs are in place, or to
/// drop when the run fails.
///
/// The run hands it to the store's services when the pipeline has a store (decay's lead history stages into
/// it); a stage used on its own has none and records its run itself.
public final class RunStagingArea: Sendable {
    private let staged = Mutex<[StagedRun]>([])

    public init() {}

    /// Leaves a staged run for the runner.
    public func add(_ run: StagedRun) { staged.withLock { $0.append(run) } }

    /// The staged runs, in the order they were staged.
    public var runs: [StagedRun] { staged.withLock { $0 } }
}
