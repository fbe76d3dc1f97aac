import LeadFacts
import LeadRecords
import PipelineSpec
import RowExpressions

extension RouteStage {
    /// The stage bound to a run's schema: rule conditions and owner columns found, added columns placed.
    public struct Bound: WholeListStage {
        struct Columns: Sendable {
            let owner: ColumnIndex
            let pool: ColumnIndex
            let rule: ColumnIndex
            let reason: ColumnIndex
            /// The account columns, when the pipeline names an accounts file.
            let account: (id: ColumnIndex, match: ColumnIndex, owner: ColumnIndex)?
            /// Where a lead's domain is read, in order: normalize's, the domain field, the website field.
            let domainSources: [ColumnIndex]
            let email: ColumnIndex?
            let company: ColumnIndex?
            /// What keys a lead across runs, in order: dedupe's entity id, the record id, the email.
            let entity: ColumnIndex?
            let recordID: ColumnIndex?

            /// The three account columns as one run of adjacent columns (id, match, owner), when they are.
            var accountRun: Range<Int>? {
                guard let account, account.match.position == account.id.position + 1,
                      account.owner.position == account.id.position + 2 else { return nil }
                return account.id.position..<(account.id.position + 3)
            }

            /// The four routing columns as one run (owner, pool, rule, reason), when they are adjacent.
            var routeRun: Range<Int>? {
                let first = owner.position
                guard pool.position == first + 1, rule.position == first + 2, reason.position == first + 3 else { return nil }
                return first..<(first + 4)
            }

            /// The account columns then the routing columns as one run of seven (the usual schema), when no
            /// column a lead's key is read from is among them: the rows are then written once, after the
            /// parallel pass, and the rules read the account columns from the decision (``OverlaidRow``).
            var accountAndRouteRun: Range<Int>? {
                guard let accounts = accountRun, let routing = routeRun, accounts.upperBound == routing.lowerBound else { return nil }
                for key in [entity, recordID, email].compactMap(\.self) where accounts.contains(key.position) { return nil }
                return accounts.lowerBound..<routing.upperBound
            }
        }

        enum Target: Sendable {
            case ownerColumn(name: String, index: ColumnIndex)
            case pool(Int)
        }

        struct Rule: Sendable {
            let condition: BoundExpression?
            let target: Target
            let line: Int
            /// `line` as `route_rule` writes it, made once.
            let lineText: String
            /// `route_reason` of a lead an owner column routes, made once.
            let ownerReason: String
        }

        /// A pool's `route_reason` texts, made once rather than per lead.
        struct PoolReasons: Sendable {
            let hashed: String
            let kept: String
            let full: String

            init(_ pool: String) {
                hashed = "pool \(pool): rendezvous hash"
                kept = "pool \(pool): kept last run's owner"
                full = "pool \(pool) full: every member at its cap"
            }
        }

        /// A rule as the per-row loop reads it: plain values, so reading one retains nothing.
        struct RuleStep: Sendable {
            let condition: UnretainedExpression?
            /// The owner column's position, or -1 for a pool rule.
            let ownerColumn: Int
            /// The pool, or -1 for an owner-column rule.
            let pool: Int
        }

        let columns: Columns
        /// ``Columns/accountAndRouteRun``, worked out once.
        let accountAndRouteRun: Range<Int>?
        let rules: [Rule]
        /// ``rules`` as the loop reads them (``rules`` keeps their conditions alive).
        let steps: [RuleStep]
        let pools: [RoutePool]
        let poolReasons: [PoolReasons]
        /// Per pool, whether a member has a cap: only then does where a lead goes depend on the leads before it.
        let cappedPools: [Bool]
        let ranking: PoolRanking
        let fallback: String
        let accounts: AccountBook?
        let memory: (any AssignmentMemory)?
        let companyKey: CompanyKey
        let width: Int
        let texts: RouteTexts
        /// Threads for the work each row does on its own.
        let jobs: Int

        init(stage: RouteStage, schema: inout Schema, columns bindings: ColumnBindings) throws {
            // The account columns come first so rules can read them (`not account_owner is_missing`).
            var account: (id: ColumnIndex, match: ColumnIndex, owner: ColumnIndex)?
            if stage.hasAccounts {
                account = (schema.addColumn("account_id"), schema.addColumn("account_match"), schema.addColumn("account_owner"))
            }
            let resolver = ColumnResolver(schema: schema, columns: bindings)
            var rules: [Rule] = []
            for (r, rule) in stage.rules.enumerated() {
                let condition = try rule.condition.map { condition throws(OptionProblem) in
                    try BoundExpression.bind(condition, resolver: resolver, option: "rules", textStart: rule.conditionStart, what: "rule \(r + 1)")
                }
                let target: Target
                switch rule.target {
                case .pool(let index):
                    target = .pool(index)
                case .ownerColumn(let name):
                    do {
                        target = .ownerColumn(name: name, index: try resolver.resolve(ColumnReference(name: name, offset: 0)))
                    } catch {
                        throw error.problem(option: "rules", textStart: rule.ownerLocation, what: "rule \(r + 1), owner")
                    }
                }
                var ownerReason = ""
                if case .ownerColumn(let name, _) = target { ownerReason = "owner from " + name }
                rules.append(Rule(condition: condition, target: target, line: rule.line, lineText: String(rule.line), ownerReason: ownerReason))
            }
            let domainSources = [schema.index(of: LeadColumns.normDomain.name), bindings[.domain], bindings[.website]].compactMap { $0 }
            self.columns = Columns(
                owner: schema.addColumn("owner"), pool: schema.addColumn("route_pool"), rule: schema.addColumn("route_rule"),
                reason: schema.addColumn("route_reason"), account: account, domainSources: domainSources,
                email: schema.index(of: LeadColumns.normEmail.name) ?? bindings[.email],
                company: bindings[.company], entity: schema.index(of: LeadColumns.entityID.name), recordID: bindings[.recordID])
            accountAndRouteRun = self.columns.accountAndRouteRun
            self.rules = rules
            steps = rules.map { rule in
                switch rule.target {
                case .ownerColumn(_, let index): RuleStep(condition: rule.condition?.unretained, ownerColumn: index.position, pool: -1)
                case .pool(let p): RuleStep(condition: rule.condition?.unretained, ownerColumn: -1, pool: p)
                }
            }
            pools = stage.pools
            poolReasons = stage.pools.map { PoolReasons($0.name) }
            cappedPools = stage.pools.map { pool in pool.members.contains { $0.cap != nil } }
            ranking = PoolRanking(stage.pools)
            fallback = stage.fallback
            accounts = stage.accounts
            memory = stage.memory
            companyKey = stage.companyKey
            jobs = stage.jobs
            width = schema.count
            texts = RouteTexts(accounts: stage.accounts, pools: stage.pools, poolReasons: stage.pools.map { PoolReasons($0.name) }, rules: rules,
                               fallback: stage.fallback)
        }

        /// What the parallel pass decided for a row: how it met its account, the rule that routes it and, for
        /// a pool, the lead's key hashed and the member ranked first. Caps and last run's owners are settled
        /// after, in input order (`member`, `reason`). Plain values, so the pass copies a decision as bytes;
        /// the key as text, when a store remembers owners by it, is kept beside.
        struct Decision: Sendable {
            var match: AccountBook.Match?
            /// The account the lead met (``AccountBook/accounts``), -1 for none.
            var account: Int32 = -1
            var rule: Int32 = -1
            var first: Int32 = -1
            /// The member the lead went to; -1 when its pool had every member at its cap.
            var member: Int32 = -1
            var reason = PoolReason.hashed
            var keyState = RendezvousAssignment.KeyState()
        }

        /// Which `route_reason` a lead routed to a pool gets.
        enum PoolReason: UInt8, Sendable {
            case hashed, kept, full
            /// A reason naming an owner or a member at its cap, made for the lead (rare).
            case noted
        }

        public func processAll(_ records: inout [Record]) throws -> RouteSummary {
            let previous = try memory?.previousAssignments() ?? [:]
            // Asked once: testing the optional existential copies it.
            let remembers = memory != nil
            // Without caps, last run's owners or owners to remember, a lead's member is the one it ranks first
            // whatever the leads before it: the parallel pass settles it. The rest wait for the in-order pass.
            let settleAll = remembers || !previous.isEmpty
            var (decisions, keys, summary, waiting) = decide(&records, settlingAll: settleAll)
            var assignments: [LeadAssignment] = []
            var scores: [Double] = []
            var notes: [Int: String] = [:]
            // Caps and last run's owners depend on the rows before, so this pass is in input order (blocks in
            // order, each block's rows in order); it only counts and chooses, and the rows it settles are written
            // after it, in parallel (the parallel pass wrote every other row).
            for block in waiting {
                for index in block {
                    let p = steps[Int(decisions[index].rule)].pool
                    settle(&decisions[index], row: index, pool: p, last: previous.isEmpty ? nil : previous[keys[index]],
                           scores: &scores, notes: &notes, summary: &summary)
                    if remembers, decisions[index].member >= 0 {
                        let rep = pools[p].members[Int(decisions[index].member)].rep
                        assignments.append(LeadAssignment(key: keys[index], owner: rep, pool: pools[p].name))
                    }
                }
            }
            for (owner, count) in write(&records, decisions, notes, rows: waiting) { summary.columnOwners[owner, default: 0] += count }
            try memory?.stage(assignments)
            return summary
        }

        /// The work that does not depend on other rows (account match, rules, the hash order, and the member of
        /// a lead whose pool has no caps unless `settlingAll`), on `jobs` threads; rows are taken in blocks, and
        /// each thread keeps its own caches of the parsed domains and company keys, which leads repeat. A row
        /// settled here is written here, while its bytes are at hand, rather than read again after the in-order
        /// pass.
        /// Returns every row's decision; for a lead a pool rule routes, its key as text when a store remembers
        /// owners (no keys otherwise); the rows counted (owners from columns included); and per block, in
        /// order, the rows the in-order pass settles.
        private func decide(_ records: inout [Record], settlingAll: Bool)
            -> (decisions: [Decision], keys: [String], summary: RouteSummary, waiting: [[Int]]) {
            let count = records.count
            var keys = [String](repeating: "", count: memory == nil ? 0 : count)
            let threads = RowBlocks.threads(rows: count, jobs: jobs)
            var summaries = [RouteSummary](repeating: RouteSummary(pools: pools, rules: rules.count), count: threads)
            var waiting = [[Int]](repeating: [], count: RowBlocks.blocks(rows: count))
            var tallies = [OwnerTally](repeating: OwnerTally(), count: threads)
            // Each thread writes its own blocks' decisions, none made before: the list's worth of them is first
            // touched on the threads, not filled on one.
            let decisions = [Decision](unsafeUninitializedCapacity: count) { decisionBuffer, initialized in
                records.withUnsafeMutableBufferPointer { recordBuffer in
                    keys.withUnsafeMutableBufferPointer { keyBuffer in
                        summaries.withUnsafeMutableBufferPointer { summaryBuffer in
                            waiting.withUnsafeMutableBufferPointer { waitingBuffer in
                                tallies.withUnsafeMutableBufferPointer { tallyBuffer in
                                nonisolated(unsafe) let rows = recordBuffer
                                nonisolated(unsafe) let out = decisionBuffer
                                nonisolated(unsafe) let keysOut = keyBuffer
                                nonisolated(unsafe) let counted = summaryBuffer
                                nonisolated(unsafe) let waitingOut = waitingBuffer
                                nonisolated(unsafe) let talliesOut = tallyBuffer
                                RowBlocks.run(rows: rows.count, threads: threads) { thread, nextBlock in
                                    // Once per thread, not once per row.
                                    var matcher = LeadAccountMatcher(companyKey: companyKey)
                                    var scratch = RowScratch(width: width)
                                    let values = ColumnValues()
                                    let book = accounts.map(SharedAccountBook.init)
                                    var summary = RouteSummary(pools: pools, rules: rules.count)
                                    var tally = OwnerTally()
                                    while let block = nextBlock() {
                                        var settleLater: [Int] = []
                                        for index in block {
                                            guard rows[index].isActive else {
                                                (out.baseAddress! + index).initialize(to: Decision())
                                                continue
                                            }
                                            scratch.nextRow()
                                            var decision = decide(&rows[index], matcher: &matcher, book: book, scratch: &scratch,
                                                                  values: values)
                                            let settled = countDecision(&decision, row: index, settlingAll: settlingAll,
                                                                        summary: &summary, settleLater: &settleLater)
                                            (out.baseAddress! + index).initialize(to: decision)
                                            if !keysOut.isEmpty, decision.rule >= 0, steps[Int(decision.rule)].pool >= 0 {
                                                keysOut[index] = leadKey(rows[index])
                                            }
                                            if settled { write(&rows[index], decision, note: nil, values: values, tally: &tally) }
                                        }
                                        waitingOut[block.lowerBound / RowBlocks.size] = settleLater
                                    }
                                    counted[thread] = summary
                                    talliesOut[thread] = tally
                                }
                                }
                            }
                        }
                    }
                }
                initialized = count
            }
            var summary = RouteSummary(pools: pools, rules: rules.count)
            for counted in summaries { summary.add(counted) }
            for tally in tallies {
                for (owner, count) in zip(tally.owners, tally.counts) { summary.columnOwners[owner, default: 0] += count }
            }
            return (decisions, keys, summary, waiting)
        }

        /// Counts a decided row, and settles it when its pool has no caps (and not `settlingAll`): it goes to
        /// the member it ranks first, as ``settle(_:row:pool:last:scores:notes:summary:)`` would send it. Rows
        /// left to settle in input order are added to `settleLater`; returns whether the row is settled.
        private func countDecision(_ decision: inout Decision, row: Int, settlingAll: Bool, summary: inout RouteSummary,
                                   settleLater: inout [Int]) -> Bool {
            summary.rows += 1
            if let match = decision.match { summary.accountMatches[match.slot] += 1 }
            guard decision.rule >= 0 else {
                summary.noRule += 1
                return true
            }
            let r = Int(decision.rule)
            summary.ruleRows[r] += 1
            let p = steps[r].pool
            guard p >= 0 else { return true }
            if settlingAll || cappedPools[p] {
                settleLater.append(row)
                return false
            }
            let member = Int(decision.first)
            summary.memberRows[p][member] += 1
            summary.poolRows[p] += 1
            summary.new += 1
            decision.member = decision.first
            decision.reason = .hashed
            return true
        }

        private func decide(_ record: inout Record, matcher: inout LeadAccountMatcher, book: SharedAccountBook?,
                            scratch: inout RowScratch, values: ColumnValues) -> Decision {
            record.pad(to: width)
            var decision = Decision()
            if let book, let account = columns.account {
                let (match, found) = findAccount(record.fields, &matcher, book)
                decision.match = match
                decision.account = Int32(found ?? -1)
                if let run = accountAndRouteRun {
                    // Written with the routing columns after the pass; the rules read them from the texts meanwhile.
                    let row = texts.accountCells.overlaying(record.fields, run: run.lowerBound..<(run.lowerBound + 3), match, account: found)
                    return applyRules(decision, record, row, &scratch)
                }
                values.start()
                appendAccountValues(match, found, to: values)
                if let run = columns.accountRun {
                    values.write(into: &record.fields, run: run, reserving: texts.routingRoom)
                } else {
                    values.write(into: &record.fields, columns: [account.id.position, account.match.position, account.owner.position])
                }
            }
            return applyRules(decision, record, OverlaidRow(record.fields, run: 0..<0, text: UnsafeBufferPointer(start: nil, count: 0),
                                                             ends: UnsafeBufferPointer(start: nil, count: 0)), &scratch)
        }

        /// The first rule that routes the lead, and for a pool the lead's key and the member it ranks first.
        private func applyRules(_ decided: Decision, _ record: Record, _ row: OverlaidRow, _ scratch: inout RowScratch) -> Decision {
            var decision = decided
            for r in steps.indices {
                let step = steps[r]
                if let condition = step.condition, condition.evaluate(row: row, scratch: &scratch) != .yes {
                    continue
                }
                if step.pool < 0 {
                    // An empty owner cannot route the lead: the next rule may.
                    if row.withUTF8(step.ownerColumn, isBlank) { continue }
                } else {
                    decision.keyState = leadKeyState(record)
                    decision.first = Int32(ranking.first(of: step.pool, key: decision.keyState))
                }
                decision.rule = Int32(r)
                return decision
            }
            return decision
        }

        /// The account a lead belongs to, from its domain (its websites, then its work address), then its company key.
        private func findAccount(_ fields: PackedFields, _ matcher: inout LeadAccountMatcher,
                                 _ book: SharedAccountBook) -> (match: AccountBook.Match, account: Int?) {
            var domain = AccountBook.LeadDomain.none
            for source in self.columns.domainSources {
                domain = fields.withUTF8(source.position) { matcher.domain(ofWebsite: $0, in: book) }
                if domain != .none { break }
            }
            if domain == .none, let email = self.columns.email {
                domain = fields.withUTF8(email.position) { matcher.domain(ofEmail: $0, in: book) }
            }
            return book.book.match(domain: domain) {
                self.columns.company.map { company in fields.withUTF8(company.position) { matcher.nameKey($0, in: book) } } ?? .none
            }
        }

        /// Appends `account_id`, `account_match` and `account_owner`, each ended.
        func appendAccountValues(_ match: AccountBook.Match, _ found: Int?, to values: ColumnValues) {
            if let found { texts.accounts.append(2 * found, to: values) }
            values.endValue()
            texts.matches.append(match.slot, to: values)
            values.endValue()
            if let found { texts.accounts.append(2 * found + 1, to: values) }
            values.endValue()
        }

        /// Settles a lead a rule sends to pool `p`: the member it goes to, and its reason.
        private func settle(_ decision: inout Decision, row: Int, pool p: Int, last: PreviousAssignment?, scores: inout [Double],
                            notes: inout [Int: String], summary: inout RouteSummary) {
            guard let (member, spilled) = choose(in: p, first: Int(decision.first), key: decision.keyState, keeping: last?.owner,
                                                 scores: &scores, summary: summary) else {
                summary.poolFull += 1
                decision.reason = .full
                return
            }
            summary.memberRows[p][member] += 1
            summary.poolRows[p] += 1
            decision.member = Int32(member)
            var note: String?
            if let last, last.owner == pools[p].members[member].rep {
                summary.kept += 1
                decision.reason = .kept
            } else if let last {
                summary.moved += 1
                note = poolReasons[p].hashed + "; last run's owner \(last.owner) is no longer in the pool"
            } else {
                summary.new += 1
                decision.reason = .hashed
            }
            if let spilled { note = (note ?? (decision.reason == .kept ? poolReasons[p].kept : poolReasons[p].hashed)) + "; \(spilled) at cap" }
            if let note {
                decision.reason = .noted
                notes[row] = note
            }
        }

        /// The member that gets the lead: last run's owner if still a member with room, else the member
        /// ranked first by rendezvous hashing if it has room, else the next in the lead's order with room.
        /// Returns the first member passed over for its cap, for the reason; `nil` when all are at cap.
        private func choose(in p: Int, first: Int, key: RendezvousAssignment.KeyState, keeping last: String?, scores: inout [Double],
                            summary: RouteSummary) -> (member: Int, spilled: String?)? {
            func hasRoom(_ m: Int) -> Bool { pools[p].members[m].cap.map { summary.memberRows[p][m] < $0 } ?? true }
            if let last, let kept = pools[p].members.firstIndex(where: { $0.rep == last }), hasRoom(kept) { return (kept, nil) }
            if hasRoom(first) { return (first, nil) }
            let members = pools[p].members
            // The first choice is full: rank the rest (rare, so only now).
            ranking.scores(of: p, key: key, into: &scores)
            let spilled = members[first].rep
            scores[first] = -1 // scores are positive: -1 marks a member passed over
            while true {
                var best = -1
                for m in members.indices where scores[m] > -1 && (best < 0 || scores[m] > scores[best]) { best = m }
                guard best >= 0 else { return nil }
                if hasRoom(best) { return (best, spilled) }
                scores[best] = -1
            }
        }

        public func report(_ summary: RouteSummary) -> [(String, ReportValue)] {
            func rate(_ count: Int) -> ReportValue {
                summary.rows == 0 ? .null : .number((Double(count) / Double(summary.rows) * 10_000).rounded() / 10_000)
            }
            var figures: [(String, ReportValue)] = [("rows_routed", .integer(summary.rows - summary.noRule - summary.poolFull))]
            figures.append(("pools", .object(pools.enumerated().map { p, pool in
                (pool.name, .object([
                    ("rows", .integer(summary.poolRows[p])),
                    ("members", .array(pool.members.enumerated().map { m, member in
                        .object([("rep", .string(member.rep)), ("rows", .integer(summary.memberRows[p][m])),
                                 ("weight", .number(member.weight)), ("cap", member.cap.map(ReportValue.integer) ?? .null),
                                 ("at_cap", .bool(member.cap.map { summary.memberRows[p][m] >= $0 } ?? false))])
                    })),
                ]))
            })))
            figures.append(("owners_from_columns", .counts(summary.columnOwners)))
            figures.append(("rules", .array(rules.enumerated().map { r, rule in
                .object([("line", .integer(rule.line)), ("rows", .integer(summary.ruleRows[r]))])
            })))
            if accounts != nil {
                figures.append(("account_match", .object(AccountBook.Match.allCases.map { match in
                    let count = summary.accountMatches[match.slot]
                    return (match.rawValue, .object([("rows", .integer(count)), ("rate", rate(count))]))
                })))
                figures.append(("accounts", .object([("rows", .integer(accounts!.rowsRead)), ("skipped", .integer(accounts!.rowsSkipped))])))
            }
            figures.append(("unrouted", .object([("no_rule", .integer(summary.noRule)), ("pool_full", .integer(summary.poolFull))])))
            if memory != nil {
                figures.append(("stability", .object([("kept", .integer(summary.kept)), ("moved", .integer(summary.moved)),
                                                      ("new", .integer(summary.new))])))
            }
            return figures
        }
    }
}
