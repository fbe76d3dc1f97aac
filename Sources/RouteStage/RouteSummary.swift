/// What a route run counted.
public struct RouteSummary: Sendable {
    var rows = 0
    /// Rows per pool, in pool order.
    var poolRows: [Int]
    /// Rows per member of each pool.
    var memberRows: [[Int]]
    /// Rows each rule routed, in rule order.
    var ruleRows: [Int]
    /// Rows per owner taken from a column (`owner: account_owner`).
    var columnOwners: [String: Int] = [:]
    /// Rows per ``AccountBook/Match``, in `allCases` order.
    var accountMatches = Array(repeating: 0, count: AccountBook.Match.allCases.count)
    /// Rows no rule matched, and rows whose pool had every member at its cap.
    var noRule = 0
    var poolFull = 0
    /// Leads that kept last run's owner, that moved to another owner, and that had none before.
    var kept = 0
    var moved = 0
    var new = 0

    /// Adds the counts of `other`, made for the same pools and rules (one thread's share of the rows).
    mutating func add(_ other: RouteSummary) {
        rows += other.rows
        for p in poolRows.indices {
            poolRows[p] += other.poolRows[p]
            for m in memberRows[p].indices { memberRows[p][m] += other.memberRows[p][m] }
        }
        for r in ruleRows.indices { ruleRows[r] += other.ruleRows[r] }
        for (owner, count) in other.columnOwners { columnOwners[owner, default: 0] += count }
        for slot in accountMatches.indices { accountMatches[slot] += other.accountMatches[slot] }
        noRule += other.noRule
        poolFull += other.poolFull
        kept += other.kept
        moved += other.moved
        new += other.new
    }

    init(pools: [RoutePool], rules: Int) {
        poolRows = Array(repeating: 0, count: pools.count)
        memberRows = pools.map { Array(repeating: 0, count: $0.members.count) }
        ruleRows = Array(repeating: 0, count: rules)
    }
}
