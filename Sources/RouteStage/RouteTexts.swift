import LeadRecords

/// Every text route writes into rows, made once as bytes when the stage is bound: a lead's account id
/// and owner, its match, its rep, pool, rule line and reason are copied from here into the row.
struct RouteTexts: Sendable {
    /// Account `a`'s id is text `2a`, its owner `2a + 1`.
    let accounts: ByteTexts
    /// The three account columns of a lead by the account it met and how, read in place.
    let accountCells: AccountCells
    /// `account_match` by ``AccountBook/Match/slot``.
    let matches: ByteTexts
    /// Pool `p`'s member `m`'s rep is text `firstMember[p] + m`.
    let reps: ByteTexts
    let firstMember: [Int]
    /// Pool `p`'s name, then its `route_reason` for a hashed, a kept and a full assignment: texts `4p ..< 4p + 4`.
    let pools: ByteTexts
    /// Rule `r`'s line as `route_rule` writes it, then its reason when an owner column routes: texts `2r`, `2r + 1`.
    let rules: ByteTexts
    /// The pool of an unrouted lead, then `no rule matched`.
    let unrouted: ByteTexts
    /// Room for a row's routing columns (their offsets and texts, an owner read from a column allowed
    /// 32 bytes), reserved when the account columns are written so the later write happens in place.
    let routingRoom: Int

    init(accounts book: AccountBook?, pools: [RoutePool], poolReasons: [RouteStage.Bound.PoolReasons],
         rules: [RouteStage.Bound.Rule], fallback: String) {
        accounts = ByteTexts((book?.accounts ?? []).flatMap { [$0.id, $0.owner] })
        accountCells = AccountCells(accounts: (book?.accounts ?? []).map { ($0.id, $0.owner) })
        matches = ByteTexts(AccountBook.Match.allCases.map(\.rawValue))
        var firstMember: [Int] = []
        var reps: [String] = []
        for pool in pools {
            firstMember.append(reps.count)
            reps += pool.members.map(\.rep)
        }
        self.reps = ByteTexts(reps)
        self.firstMember = firstMember
        self.pools = ByteTexts(zip(pools, poolReasons).flatMap { [$0.name, $1.hashed, $1.kept, $1.full] })
        self.rules = ByteTexts(rules.flatMap { [$0.lineText, $0.ownerReason] })
        unrouted = ByteTexts([fallback, "no rule matched"])
        func longest(_ texts: [String]) -> Int { texts.map(\.utf8.count).max() ?? 0 }
        routingRoom = 4 * 4 + max(32, longest(reps)) + longest(pools.map(\.name) + [fallback]) + longest(rules.map(\.lineText))
            + longest(poolReasons.flatMap { [$0.hashed, $0.kept, $0.full] } + rules.map(\.ownerReason) + ["no rule matched"])
    }
}
