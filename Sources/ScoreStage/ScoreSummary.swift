import PipelineSpec

/// What a score run counted, per chunk, merged in input order.
public struct ScoreSummary: StageSummary {
    var rowsScored = 0
    /// Rows per tier, in tier order, and last the rows no tier admitted.
    var tierRows: [Int]
    /// Rows a tier's threshold admitted but its gate sent down.
    var gateDrops: [Int]
    /// Per group: rows with at least one rule judged, rows where none could be (missing), rows that got points.
    var groupJudged: [Int]
    var groupMissing: [Int]
    var groupMatched: [Int]
    /// Rows rejected, per exclude code (in ``ScoreStage/Bound/excludeCodes`` order).
    var excluded: [Int]
    /// Per tier slot: leads with a known outcome, and those won.
    var labelled: [Int]
    var won: [Int]
    var scoreTotal = 0
    var lowest: Int?
    var highest: Int?

    init(tiers: Int, groups: Int, excludeCodes: Int) {
        tierRows = Array(repeating: 0, count: tiers + 1)
        gateDrops = Array(repeating: 0, count: tiers)
        groupJudged = Array(repeating: 0, count: groups)
        groupMissing = Array(repeating: 0, count: groups)
        groupMatched = Array(repeating: 0, count: groups)
        excluded = Array(repeating: 0, count: excludeCodes)
        labelled = Array(repeating: 0, count: tiers + 1)
        won = Array(repeating: 0, count: tiers + 1)
    }

    public mutating func merge(_ later: ScoreSummary) {
        rowsScored += later.rowsScored
        scoreTotal += later.scoreTotal
        Self.add(&tierRows, later.tierRows)
        Self.add(&gateDrops, later.gateDrops)
        Self.add(&groupJudged, later.groupJudged)
        Self.add(&groupMissing, later.groupMissing)
        Self.add(&groupMatched, later.groupMatched)
        Self.add(&excluded, later.excluded)
        Self.add(&labelled, later.labelled)
        Self.add(&won, later.won)
        if let low = later.lowest { lowest = min(lowest ?? low, low) }
        if let high = later.highest { highest = max(highest ?? high, high) }
    }

    private static func add(_ counts: inout [Int], _ more: [Int]) {
        for i in counts.indices { counts[i] += more[i] }
    }
}
