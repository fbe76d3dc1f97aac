import LeadFacts
import LeadRecords
import PipelineSpec
import RowExpressions

extension RouteStage {
    /// The stage bound to a run's schema: rule conditions and owner columns found, added columns placed.
    struct Bound: Sendable {
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
        }

        enum Target: Sendable {
            case ownerColumn(name: String, index: ColumnIndex)
            case pool(Int)
        }

        struct Rule: Sendable {
            let condition: BoundExpression?
            let target: Target
            let line: Int
        }

        let columns: Columns
        let rules: [Rule]
        let pools: [RoutePool]
        let fallback: String
        let accounts: AccountBook?
        let memory: (any AssignmentMemory)?
        let companyKey: CompanyKey
        let width: Int

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
                rules.append(Rule(condition: condition, target: target, line: rule.line))
            }
            let domainSources = [schema.index(of: LeadColumns.normDomain.name), bindings[.domain], bindings[.website]].compactMap { $0 }
            self.columns = Columns(
                owner: schema.addColumn("owner"), pool: schema.addColumn("route_pool"), rule: schema.addColumn("route_rule"),
                reason: schema.addColumn("route_reason"), account: account, domainSources: domainSources,
                email: schema.index(of: LeadColumns.normEmail.name) ?? bindings[.email],
                company: bindings[.company], entity: schema.index(of: LeadColumns.entityID.name), recordID: bindings[.recordID])
            self.rules = rules
            pools = stage.pools
            fallback = stage.fallback
            accounts = stage.accounts
            memory = stage.memory
            companyKey = stage.companyKey
            width = schema.count
        }

        /// The key a lead keeps across runs: `entity:` dedupe's id, else `record:` the source's id, else
        /// `email:` the address lower-cased, else `line:` its input line (stable only for an unchanged file).
        func leadKey(_ record: Record) -> String {
            if let entity = columns.entity, case let value = record.values[entity.position], !value.isEmpty { return "entity:" + value }
            if let id = columns.recordID, case let value = record.values[id.position].trimmingSpaces, !value.isEmpty { return "record:" + value }
            if let email = columns.email, case let value = record.values[email.position].trimmingSpaces, !value.isEmpty {
                return "email:" + value.lowercased()
            }
            return "line:" + String(record.line)
        }

        func processAll(_ records: inout [Record]) throws -> RouteSummary {
            var summary = RouteSummary(pools: pools, rules: rules.count)
            let previous = try memory?.previousAssignments() ?? [:]
            var assignments: [LeadAssignment] = []
            var scores: [Double] = []
            for index in records.indices where records[index].isActive {
                if records[index].values.count < width {
                    records[index].values.append(contentsOf: repeatElement("", count: width - records[index].values.count))
                }
                summary.rows += 1
                if let accounts, let account = columns.account {
                    matchAccount(&records[index], accounts, account, &summary)
                }
                route(&records[index], previous: previous, scores: &scores, assignments: &assignments, summary: &summary)
            }
            try memory?.stage(assignments)
            return summary
        }

        private func matchAccount(_ record: inout Record, _ accounts: AccountBook,
                                  _ columns: (id: ColumnIndex, match: ColumnIndex, owner: ColumnIndex), _ summary: inout RouteSummary) {
            var domain: String?
            for source in self.columns.domainSources {
                domain = AccountBook.registrableDomain(ofWebsite: record.values[source.position])
                if domain != nil { break }
            }
            if domain == nil, let email = self.columns.email {
                domain = AccountBook.registrableDomain(ofEmail: record.values[email.position])
            }
            let key = self.columns.company.flatMap { companyKey.distinctiveKey(record.values[$0.position]) } ?? ""
            let (match, found) = accounts.match(domain: domain, companyKey: key)
            summary.accountMatches[match, default: 0] += 1
            record.values[columns.match.position] = match.rawValue
            record.values[columns.id.position] = found.map { accounts.accounts[$0].id } ?? ""
            record.values[columns.owner.position] = found.map { accounts.accounts[$0].owner } ?? ""
        }

        private func route(_ record: inout Record, previous: [String: PreviousAssignment], scores: inout [Double],
                           assignments: inout [LeadAssignment], summary: inout RouteSummary) {
            for (r, rule) in rules.enumerated() {
                if let condition = rule.condition, condition.evaluate(record.values) != .yes { continue }
                switch rule.target {
                case .ownerColumn(let name, let index):
                    let owner = record.values[index.position].trimmingSpaces
                    // An empty owner cannot route the lead: the next rule may.
                    if owner.isEmpty { continue }
                    summary.ruleRows[r] += 1
                    summary.columnOwners[owner, default: 0] += 1
                    write(&record, owner: owner, pool: "", line: rule.line, reason: "owner from " + name)
                    return
                case .pool(let p):
                    summary.ruleRows[r] += 1
                    let key = leadKey(record)
                    let pool = pools[p]
                    let last = previous[key]
                    guard let (member, spilled) = choose(in: p, key: key, keeping: last?.owner, scores: &scores, summary: summary) else {
                        summary.poolFull += 1
                        write(&record, owner: "", pool: fallback, line: rule.line, reason: "pool \(pool.name) full: every member at its cap")
                        return
                    }
                    let rep = pool.members[member].rep
                    summary.memberRows[p][member] += 1
                    summary.poolRows[p] += 1
                    var reason: String
                    if let last, last.owner == rep {
                        summary.kept += 1
                        reason = "pool \(pool.name): kept last run's owner"
                    } else {
                        if last == nil { summary.new += 1 } else { summary.moved += 1 }
                        reason = "pool \(pool.name): rendezvous hash"
                        if last != nil { reason += "; last run's owner \(last!.owner) is no longer in the pool" }
                    }
                    if let spilled { reason += "; \(spilled) at cap" }
                    write(&record, owner: rep, pool: pool.name, line: rule.line, reason: reason)
                    if memory != nil { assignments.append(LeadAssignment(key: key, owner: rep, pool: pool.name)) }
                    return
                }
            }
            summary.noRule += 1
            write(&record, owner: "", pool: fallback, line: 0, reason: "no rule matched")
        }

        /// The member that gets the lead: last run's owner if still a member with room, else the
        /// member ranked first by rendezvous hashing with room. Returns the first member passed over
        /// for its cap, for the reason; `nil` when every member is at its cap.
        private func choose(in p: Int, key: String, keeping last: String?, scores: inout [Double],
                            summary: RouteSummary) -> (member: Int, spilled: String?)? {
            let members = pools[p].members
            func hasRoom(_ m: Int) -> Bool { members[m].cap.map { summary.memberRows[p][m] < $0 } ?? true }
            if let last, let kept = members.firstIndex(where: { $0.rep == last }), hasRoom(kept) { return (kept, nil) }
            scores.removeAll(keepingCapacity: true)
            for member in members { scores.append(RendezvousAssignment.score(key: key, member: member.rep, weight: member.weight)) }
            var spilled: String?
            while true {
                var best = -1
                for m in members.indices where scores[m] > -1 && (best < 0 || scores[m] > scores[best]) { best = m }
                guard best >= 0 else { return nil }
                if hasRoom(best) { return (best, spilled) }
                if spilled == nil { spilled = members[best].rep }
                scores[best] = -1 // scores are positive: -1 marks a member passed over
            }
        }

        private func write(_ record: inout Record, owner: String, pool: String, line: Int, reason: String) {
            record.values[columns.owner.position] = owner
            record.values[columns.pool.position] = pool
            record.values[columns.rule.position] = line > 0 ? String(line) : ""
            record.values[columns.reason.position] = reason
        }

        func report(_ summary: RouteSummary) -> [(String, ReportValue)] {
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
                    let count = summary.accountMatches[match] ?? 0
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

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" { view.removeLast() }
        return String(view)
    }
}
