import Foundation
import LeadRecords

/// The history decay compares a run with and adds the run to: a pipeline history's last recorded run with
/// its leads' comparable snapshots, and a place to keep this run's snapshots.
///
/// The run store provides it (`leadhygiene run` with a `store:`; `RunStoreCaches` in the LeadHygiene module);
/// a test hands decay a real temporary store through the same service. decay itself never opens the store.
public protocol LeadHistory: Sendable {
    /// The latest recorded run of `history`, or `nil` before its first run.
    func lastRun(of history: String) throws -> PreviousLeadRun?

    /// Starts reading what ``lastRun(of:)`` returns for `history` on another thread, for that call to take. decay
    /// asks as it is set up, so that the read overlaps the stages before it (after a whole-list stage, the second
    /// core had nothing else to do while decay waited for it).
    func readAhead(lastRunOf history: String)

    /// Whether the kept run is recorded by the history itself (the stage used on its own), so the run row
    /// needs the input's checksum from the stage; under `leadhygiene run` the runner records it.
    var recordsRunItself: Bool { get }

    /// Starts keeping this run's snapshots and enrichment values, which `extractor` takes from the records
    /// prepared (``LeadRunKeeping/prepare(_:)``) and added (``LeadRunKeeping/add(prepared:)``) in input order (a snapshot of each record it gives one, the enriched
    /// values of each keyed record); ``LeadRunKeeping/finish(_:)`` then stages them for the runner, which records
    /// them with the run once its outputs are published (or drops them when the run fails), or records them now
    /// when there is no runner.
    func beginKeeping(extractor: SnapshotExtractor) throws -> any LeadRunKeeping
}

/// This run's snapshots and enrichment values being kept, chunk by chunk in input order.
///
/// The records themselves, not snapshots: the store encodes each value from the record's bytes, without making
/// a ``LeadSnapshot`` or ``EnrichmentValue`` per lead, and holds no record after ``prepare(_:)`` returns.
public protocol LeadRunKeeping: AnyObject, Sendable {
    /// Encodes what ``add(prepared:)`` keeps of `records`, which must not change before it is added; any thread,
    /// several at once (decay prepares a chunk in its parallel step, so the in-order step only appends it).
    func prepare(_ records: [Record]) -> any Sendable
    /// Keeps what ``prepare(_:)`` encoded, after what was added before. Called from one thread at a time.
    func add(prepared: any Sendable) throws
    /// Ends the run: staged for the runner, or recorded with the run row from `run` when the history records it itself.
    func finish(_ run: LeadRunFacts) throws -> any KeptLeadRun
}

extension LeadHistory {
    /// Reads nothing ahead: ``lastRun(of:)`` reads when asked.
    public func readAhead(lastRunOf history: String) {}

    /// Keeps the snapshots and enrichment values of a whole list at once (``beginKeeping(extractor:)``, one chunk).
    public func keep(_ run: LeadRunFacts, records: [Record], extractor: SnapshotExtractor) throws -> any KeptLeadRun {
        let keeping = try beginKeeping(extractor: extractor)
        try keeping.add(prepared: keeping.prepare(records))
        return try keeping.finish(run)
    }
}

/// A pipeline history's last recorded run, as decay compares with it.
public struct PreviousLeadRun: Sendable {
    public var id: Int64
    /// The run's reference clock.
    public var referenceTime: Date
    /// decay's figures stored with the run (``DecayCounts/summaryJSON``).
    public var summaryJSON: String
    /// The run's leads, reduced to what decay compares.
    public var snapshots: ComparableSnapshots

    public init(id: Int64, referenceTime: Date, summaryJSON: String, snapshots: ComparableSnapshots) {
        self.id = id
        self.referenceTime = referenceTime
        self.summaryJSON = summaryJSON
        self.snapshots = snapshots
    }
}

/// What decay knows of its run for the history's run row.
public struct LeadRunFacts: Sendable {
    /// The history's name (decay's `history`).
    public var history: String
    public var summaryJSON: String
    /// The input's checksum (only when ``LeadHistory/recordsRunItself``; empty otherwise).
    public var inputChecksum: String
    public var referenceTime: Date
    public var startedAt: Date
    public var rowsIn: Int
    public var rowsActive: Int
    public var rowsRejected: Int
    public var rowsMerged: Int
    /// How many threads keeping the run may use (the run's `--jobs`).
    public var jobs: Int

    public init(history: String, summaryJSON: String, inputChecksum: String, referenceTime: Date, startedAt: Date,
                rowsIn: Int, rowsActive: Int, rowsRejected: Int, rowsMerged: Int, jobs: Int = 1) {
        self.history = history
        self.summaryJSON = summaryJSON
        self.inputChecksum = inputChecksum
        self.referenceTime = referenceTime
        self.startedAt = startedAt
        self.rowsIn = rowsIn
        self.rowsActive = rowsActive
        self.rowsRejected = rowsRejected
        self.rowsMerged = rowsMerged
        self.jobs = jobs
    }
}

/// This run's snapshots as the history kept them: staged (recorded once the runner commits) or recorded.
public protocol KeptLeadRun: Sendable {
    /// The id of the run row they went to; `nil` while staged and not yet committed.
    var recordedRunID: Int64? { get }
    /// Seconds the runner's commit took (0 when the history recorded the run itself, or before the commit).
    var commitSeconds: Double { get }
}
