import LeadRecords
import PipelineSpec
import RowExpressions

extension ScoreStage {
    /// The stage bound to a run's schema: every condition's columns found, the added columns placed.
    public struct Bound: StreamingStage {
        /// The columns the stage writes, and the address the labels join on.
        struct Columns: Sendable {
            let score: ColumnIndex
            let tier: ColumnIndex
            let reasons: ColumnIndex
            let missing: ColumnIndex
            let email: ColumnIndex?

            /// The four added columns as one run of adjacent columns, score first, when they are (the usual case:
            /// a schema that already had one of them keeps it where it was).
            var run: Range<Int>? {
                let first = score.position
                guard tier.position == first + 1, reasons.position == first + 2, missing.position == first + 3 else { return nil }
                return first..<(first + 4)
            }
        }

        struct Rule: Sendable {
            let condition: BoundExpression
            let effect: ScoreRule.Effect
            let label: String?
            /// The position of the rule's code in ``Bound/excludeCodes`` (exclude rules only).
            let excludeSlot: Int
        }

        struct Group: Sendable {
            let name: String
            let cap: Int?
            let rules: [Rule]
        }

        struct Tier: Sendable {
            let spec: ScoreTier
            let gate: BoundExpression?
        }

        let columns: Columns
        let groups: [Group]
        let tiers: [Tier]
        /// Every code the exclude rules name, each once, in the order first written.
        let excludeCodes: [ReasonCode]
        let labels: OutcomeLabels?
        let width: Int
        /// The rules and texts as the per-row loop reads them.
        let plan: ScoringPlan

        init(stage: ScoreStage, schema: inout Schema, columns bindings: ColumnBindings) throws {
            // Conditions are bound before the stage adds its own columns: a rule cannot read the score it makes.
            let resolver = ColumnResolver(schema: schema, columns: bindings)
            var codes: [ReasonCode] = []
            var groups: [Group] = []
            for group in stage.groups {
                var rules: [Rule] = []
                for (r, rule) in group.rules.enumerated() {
                    let condition = try BoundExpression.bind(rule.condition, resolver: resolver, option: "groups",
                                                             textStart: rule.conditionStart,
                                                             what: "group '\(group.name)', rule \(r + 1)")
                    var slot = -1
                    if case .exclude(let code) = rule.effect {
                        if let known = codes.firstIndex(of: code) { slot = known } else {
                            codes.append(code)
                            slot = codes.count - 1
                        }
                    }
                    rules.append(Rule(condition: condition, effect: rule.effect, label: rule.label, excludeSlot: slot))
                }
                groups.append(Group(name: group.name, cap: group.cap, rules: rules))
            }
            var tiers: [Tier] = []
            for tier in stage.tiers {
                let gate = try tier.gate.map { gate throws(OptionProblem) in
                    try BoundExpression.bind(gate, resolver: resolver, option: "gates", textStart: tier.gateStart,
                                             what: "gate of tier '\(tier.name)'")
                }
                tiers.append(Tier(spec: tier, gate: gate))
            }
            let prefix = stage.name
            self.columns = Columns(score: schema.addColumn(prefix + "_score"), tier: schema.addColumn(prefix + "_tier"),
                                   reasons: schema.addColumn(prefix + "_reasons"), missing: schema.addColumn(prefix + "_missing"),
                                   email: schema.index(of: LeadColumns.normEmail.name) ?? bindings[.email])
            self.groups = groups
            self.tiers = tiers
            excludeCodes = codes
            labels = stage.labels
            width = schema.count
            plan = ScoringPlan(groups: groups.map { group in
                (group.name, group.cap, group.rules.map { ($0.condition, $0.effect, $0.label) })
            }, tiers: tiers.map { ($0.spec, $0.gate) })
        }

        public func emptySummary() -> ScoreSummary {
            ScoreSummary(tiers: tiers.count, groups: groups.count, excludeCodes: excludeCodes.count)
        }

        public func process(_ records: inout [Record], counting summary: inout ScoreSummary) {
            // Buffers for every row's reasons and added columns, reused: a row's four values are copied out of
            // `out` into the row at once.
            let reasons = ColumnValues()
            let out = ColumnValues()
            // The chunk's per-group and per-tier counts, merged into the summary once at the end.
            let counts = ChunkCounts(groups: groups.count, tiers: tiers.count)
            defer { counts.merge(into: &summary) }
            var scratch = RowScratch(width: width)
            plan.groups.withUnsafeBufferPointer { groups in
            plan.rules.withUnsafeBufferPointer { rules in
                plan.unretainedConditions.withUnsafeBufferPointer { conditions in
                    plan.parts.withUnsafeBufferPointer { parts in
                        plan.texts.withUnsafeBufferPointer { texts in
                            let plan = PlanBuffers(groups: groups, rules: rules, conditions: conditions, parts: parts, texts: texts)
                            for index in records.indices where records[index].isActive {
                                records[index].pad(to: width)
                                scratch.nextRow()
                                score(&records[index], &summary, counts, plan, reasons, out, &scratch)
                            }
                        }
                    }
                }
            }
            }
        }

        /// The plan's arrays as the loop reads them, without retaining them per row.
        struct PlanBuffers {
            let groups: UnsafeBufferPointer<ScoringPlan.Group>
            let rules: UnsafeBufferPointer<ScoringPlan.Rule>
            let conditions: UnsafeBufferPointer<UnretainedExpression>
            let parts: UnsafeBufferPointer<ScoringPlan.Part>
            let texts: UnsafeBufferPointer<UInt8>

            func append(_ start: Int, _ count: Int, to values: ColumnValues) {
                values.append(UnsafeBufferPointer(rebasing: texts[start..<(start + count)]))
            }
        }

        private func score(_ record: inout Record, _ summary: inout ScoreSummary, _ counts: ChunkCounts, _ buffers: PlanBuffers,
                           _ reasons: ColumnValues, _ out: ColumnValues, _ scratch: inout RowScratch) {
            reasons.start()
            var total = 0
            // The unjudged groups as bits (the first 64 groups; any after them listed in `moreMissing`).
            var missing: UInt64 = 0
            var moreMissing: [Int] = []
            var exclusion: (group: Int, rule: Int)?
            // The row's values read in place by every condition and explanation of the row.
            do {
                let values = record.fields
                for g in buffers.groups.indices {
                    let group = buffers.groups[g]
                    var points = 0
                    var judged = false
                    // The rules that earned points, as bits (a group's first 64 rules are explained).
                    var matchedRules: UInt64 = 0
                    var matched = false
                    for r in group.firstRule..<group.endRule {
                        let truth = buffers.conditions[r].evaluate(row: values, scratch: &scratch)
                        if truth == .unknown { continue }
                        judged = true
                        guard truth == .yes else { continue }
                        let rule = buffers.rules[r]
                        if rule.excludes {
                            if exclusion == nil { exclusion = (g, rule.positionInGroup) }
                        } else {
                            points += rule.points
                            matched = true
                            if rule.positionInGroup < 64 { matchedRules |= 1 << UInt64(rule.positionInGroup) }
                        }
                    }
                    if let cap = group.cap, points > cap { points = cap }
                    if judged { counts.judged[g] += 1 } else {
                        counts.missing[g] += 1
                        if g < 64 { missing |= 1 << UInt64(g) } else { moreMissing.append(g) }
                    }
                    guard matched else { continue }
                    counts.matched[g] += 1
                    total += points
                    if reasons.count > 0 {
                        reasons.append(byte: UInt8(ascii: ";"))
                        reasons.append(byte: UInt8(ascii: " "))
                    }
                    ScoreExplanation.appendSigned(points, to: reasons)
                    buffers.append(group.headerStart, group.headerCount, to: reasons)
                    var first = true
                    for r in group.firstRule..<group.endRule {
                        let rule = buffers.rules[r]
                        guard rule.positionInGroup < 64, matchedRules & (1 << UInt64(rule.positionInGroup)) != 0 else { continue }
                        if !first {
                            reasons.append(byte: UInt8(ascii: ","))
                            reasons.append(byte: UInt8(ascii: " "))
                        }
                        first = false
                        for p in rule.firstPart..<(rule.firstPart + rule.partCount) {
                            let part = buffers.parts[p]
                            buffers.append(part.textStart, part.textCount, to: reasons)
                            if let column = part.column {
                                values.withUTF8(column) { ScoreExplanation.appendDisplay(cell: $0, to: reasons) }
                            }
                        }
                    }
                }
            }
            if let exclusion, case .exclude(let code) = groups[exclusion.group].rules[exclusion.rule].effect {
                let rule = groups[exclusion.group].rules[exclusion.rule]
                summary.excluded[rule.excludeSlot] += 1
                let why = ScoreExplanation.describe(label: rule.label, columns: rule.condition.columns, values: record.values)
                record.reject(code, stage: ScoreStage.descriptor.name, detail: groups[exclusion.group].name + ": " + why)
                return
            }
            var slot = tiers.count
            for t in plan.tierThresholds.indices where plan.tierThresholds[t].admits(total) {
                if let gate = plan.tierGates[t],
                   gate.evaluate(row: record.fields, scratch: &scratch) != .yes {
                    counts.gateDrops[t] += 1
                    continue
                }
                slot = t
                break
            }
            out.start()
            plan.appendScoreText(total, to: out)
            out.endValue()
            if slot < plan.tierNames.count { plan.tierNames.append(slot, to: out) }
            out.endValue()
            out.append(reasons.written(from: 0))
            out.endValue()
            if missing != 0 || !moreMissing.isEmpty { plan.appendMissingText(missing, more: moreMissing, to: out) }
            out.endValue()
            if let run = columns.run {
                out.write(into: &record.fields, run: run, reserving: Self.roomForLaterColumns(record.fields.count - run.upperBound))
            } else {
                out.write(into: &record.fields, columns: [columns.score, columns.tier, columns.reasons, columns.missing].map(\.position))
            }
            summary.rowsScored += 1
            counts.tierRows[slot] += 1
            summary.scoreTotal += total
            summary.lowest = min(summary.lowest ?? total, total)
            summary.highest = max(summary.highest ?? total, total)
            if let labels, let email = columns.email, let won = labels.outcome(email: record.fields[email.position]) {
                summary.labelled[slot] += 1
                if won { summary.won[slot] += 1 }
            }
        }

        /// Room a row keeps for `count` columns that later stages add after score's, when score's write must
        /// grow it anyway (the reader sizes a row for its own text): each one's end offset and a short value,
        /// so route's account and routing columns go in without moving the row to a larger buffer again.
        static func roomForLaterColumns(_ count: Int) -> Int { max(0, count) * (4 + 16) }

        public func report(_ summary: ScoreSummary) -> [(String, ReportValue)] {
            let rows = summary.rowsScored
            func share(_ count: Int, of total: Int) -> ReportValue {
                total == 0 ? .null : .number((Double(count) / Double(total) * 10_000).rounded() / 10_000)
            }
            var tierRows: [(String, ReportValue)] = tiers.enumerated().map { ($1.spec.name, .integer(summary.tierRows[$0])) }
            if summary.tierRows[tiers.count] > 0 || tiers.isEmpty { tierRows.append(("none", .integer(summary.tierRows[tiers.count]))) }
            var figures: [(String, ReportValue)] = [
                ("rows_scored", .integer(rows)),
                ("tiers", .object(tierRows)),
                ("gate_drops", .object(tiers.enumerated().filter { $1.gate != nil }.map { ($1.spec.name, .integer(summary.gateDrops[$0])) })),
                ("score", .object([
                    ("mean", rows == 0 ? .null : .number((Double(summary.scoreTotal) / Double(rows) * 100).rounded() / 100)),
                    ("lowest", summary.lowest.map(ReportValue.integer) ?? .null),
                    ("highest", summary.highest.map(ReportValue.integer) ?? .null),
                    // The rows' scores summed: a distributed run's report merge gets the whole list's mean from it.
                    ("total", .integer(summary.scoreTotal)),
                ])),
                ("groups", .array(groups.enumerated().map { g, group in
                    .object([
                        ("name", .string(group.name)),
                        ("judged", .integer(summary.groupJudged[g])), ("share_judged", share(summary.groupJudged[g], of: rows)),
                        ("missing", .integer(summary.groupMissing[g])), ("share_missing", share(summary.groupMissing[g], of: rows)),
                        ("matched", .integer(summary.groupMatched[g])),
                    ])
                })),
                ("excluded", .object(excludeCodes.enumerated().map { ($1.code, .integer(summary.excluded[$0])) })),
            ]
            if let labels {
                let slots = tiers.map(\.spec.name) + ["none"]
                figures.append(("conversion", .object([
                    ("labels", .string(labels.path)),
                    ("labelled_contacts", .integer(labels.outcomes.count)),
                    ("tiers", .object(slots.enumerated().compactMap { t, name in
                        if name == "none", summary.tierRows[t] == 0 { return nil }
                        return (name, .object([
                            ("labelled", .integer(summary.labelled[t])), ("won", .integer(summary.won[t])),
                            ("rate", share(summary.won[t], of: summary.labelled[t])),
                        ]))
                    })),
                ])))
            }
            return figures
        }
    }
}
