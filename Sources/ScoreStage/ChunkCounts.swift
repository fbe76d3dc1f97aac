/// What score counts per row for a chunk (per group: judged, missing, matched; per tier: rows and gate
/// drops), in one buffer merged into the ``ScoreSummary`` once per chunk: counting straight into the
/// summary's arrays checked each array's uniqueness on every row.
final class ChunkCounts {
    let judged: UnsafeMutableBufferPointer<Int>
    let missing: UnsafeMutableBufferPointer<Int>
    let matched: UnsafeMutableBufferPointer<Int>
    /// Rows per tier, and last the rows no tier admitted.
    let tierRows: UnsafeMutableBufferPointer<Int>
    let gateDrops: UnsafeMutableBufferPointer<Int>
    private let all: UnsafeMutableBufferPointer<Int>

    init(groups: Int, tiers: Int) {
        let all = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * groups + 2 * tiers + 1)
        all.initialize(repeating: 0)
        self.all = all
        func part(_ start: Int, _ count: Int) -> UnsafeMutableBufferPointer<Int> {
            UnsafeMutableBufferPointer(rebasing: all[start..<(start + count)])
        }
        judged = part(0, groups)
        missing = part(groups, groups)
        matched = part(2 * groups, groups)
        tierRows = part(3 * groups, tiers + 1)
        gateDrops = part(3 * groups + tiers + 1, tiers)
    }

    deinit { all.deallocate() }

    /// Adds the counts to `summary`'s.
    func merge(into summary: inout ScoreSummary) {
        for g in judged.indices {
            summary.groupJudged[g] += judged[g]
            summary.groupMissing[g] += missing[g]
            summary.groupMatched[g] += matched[g]
        }
        for t in tierRows.indices { summary.tierRows[t] += tierRows[t] }
        for t in gateDrops.indices { summary.gateDrops[t] += gateDrops[t] }
    }
}
