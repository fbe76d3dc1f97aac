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

    init(pools: [RoutePool], rules: Int) {
        poolRows = Array(repeating: 0, count: pools.count)
        memberRows = pools.map { Array(repeating: 0, count: $0.members.count) }
        ruleRows = Array(repeating: 0, count: rules)
    }
}
