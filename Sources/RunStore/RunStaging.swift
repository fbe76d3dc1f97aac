import Synchronization

/// The one place the stages of one pipeline run leave their writes to the run store (decay's snapshots
/// and enrichment values, route's assignments, dedupe's entity ids), for the runner to commit with the run row and the run's
/// output files in one transaction once the outputs are in place (``RunStore/commit(_:staging:outputs:)``),
/// or to drop when the run fails or is not recorded (``discard()``).
///
/// The run hands it to the store's services when the pipeline has a store; a stage used on its own has
/// none (decay then records its run itself, route keeps nothing).
public final class RunStagingArea: Sendable {
    private struct Contents {
        var runs: [StagedRun] = []
        var routeAssignments: [RouteAssignmentEntry]?
        var entityKeys: [StagedEntityKeys] = []
    }

    private let staged = Mutex(Contents())

    public init() {}

    /// Leaves a staged run for the runner.
    public func add(_ run: StagedRun) { staged.withLock { $0.runs.append(run) } }

    /// Leaves route's assignments for the runner (replacing any left before: a run routes once).
    public func stageRouteAssignments(_ entries: [RouteAssignmentEntry]) {
        staged.withLock { $0.routeAssignments = entries }
    }

    /// Leaves dedupe's record key → entity id for the runner (a later dedupe's ids win over an earlier one's).
    public func stageEntityKeys(_ keys: StagedEntityKeys) {
        staged.withLock { $0.entityKeys.append(keys) }
    }

    /// dedupe's staged entity ids, in the order staged.
    public var entityKeys: [StagedEntityKeys] { staged.withLock { $0.entityKeys } }

    /// The staged runs, in the order they were staged.
    public var runs: [StagedRun] { staged.withLock { $0.runs } }

    /// route's assignments, when a route stage staged them.
    public var routeAssignments: [RouteAssignmentEntry]? { staged.withLock { $0.routeAssignments } }

    /// Drops everything staged (the run failed, was a retry of a recorded run, or is not recorded): the
    /// store stays as it was.
    public func discard() {
        let contents = staged.withLock { contents in
            defer { contents = Contents() }
            return contents
        }
        for run in contents.runs { run.discardRows() }
    }
}
