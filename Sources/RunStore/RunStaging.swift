/// A stage that writes rows of the run (snapshots, enrichment values) into the run store.
///
/// Used on its own, such a stage records a complete run itself. The pipeline runner records every
/// run after the outputs are committed, so before running it sets ``stagesForRunner``; the stage
/// then only stages its rows (``RunStore/stageRun(pipeline:summaryJSON:snapshots:enrichments:)``)
/// and the runner commits them with the run row, or discards them when the run fails.
public protocol RunStaging {
    /// Whether the runner records the run (stage, don't record).
    var stagesForRunner: Bool { get set }
    /// What the stage staged during the run, if anything.
    var stagedRun: StagedRun? { get }
}
