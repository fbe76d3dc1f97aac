import LeadFacts
import LeadRecords
import RowExpressions

extension RouteStage.Bound {
    /// Writes the `owner`, `route_pool`, `route_rule` and `route_reason` of the rows `rows` lists per block
    /// (those the in-order pass settled), on `jobs` threads: each row's four values go in at once, from texts
    /// made once, so the pass that must run in input order only chooses. Returns the owners taken from
    /// columns, counted.
    func write(_ records: inout [Record], _ decisions: [Decision], _ notes: [Int: String], rows waiting: [[Int]]) -> [String: Int] {
        guard waiting.contains(where: { !$0.isEmpty }) else { return [:] }
        let threads = RowBlocks.threads(rows: records.count, jobs: jobs)
        var tallies = [OwnerTally](repeating: OwnerTally(), count: threads)
        records.withUnsafeMutableBufferPointer { recordBuffer in
            decisions.withUnsafeBufferPointer { decisionBuffer in
                tallies.withUnsafeMutableBufferPointer { tallyBuffer in
                    nonisolated(unsafe) let rows = recordBuffer
                    nonisolated(unsafe) let decided = decisionBuffer
                    nonisolated(unsafe) let counted = tallyBuffer
                    RowBlocks.run(rows: rows.count, threads: threads) { thread, nextBlock in
                        let values = ColumnValues()
                        var tally = OwnerTally()
                        while let block = nextBlock() {
                            for index in waiting[block.lowerBound / RowBlocks.size] {
                                write(&rows[index], decided[index], note: decided[index].reason == .noted ? notes[index] : nil,
                                      values: values, tally: &tally)
                            }
                        }
                        counted[thread] = tally
                    }
                }
            }
        }
        var owners: [String: Int] = [:]
        for tally in tallies {
            for (owner, count) in zip(tally.owners, tally.counts) { owners[owner, default: 0] += count }
        }
        return owners
    }

    /// Writes one row's routing columns (and its account columns, when they go in with them).
    func write(_ record: inout Record, _ decision: Decision, note: String?, values: ColumnValues, tally: inout OwnerTally) {
        values.start()
        let run = accountAndRouteRun
        if run != nil, let match = decision.match {
            appendAccountValues(match, decision.account >= 0 ? Int(decision.account) : nil, to: values)
        }
        if decision.rule < 0 {
            values.endValue()
            texts.unrouted.append(0, to: values)
            values.endValue()
            values.endValue()
            texts.unrouted.append(1, to: values)
            values.endValue()
        } else {
            let r = Int(decision.rule)
            switch rules[r].target {
            case .ownerColumn(_, let column):
                withOwnerCell(column.position, of: record, decision) { cell in
                    let owner = values.count
                    Self.appendTrimmed(cell, to: values)
                    tally.count(values.written(from: owner))
                }
                values.endValue()
                values.endValue()
                texts.rules.append(2 * r, to: values)
                values.endValue()
                texts.rules.append(2 * r + 1, to: values)
                values.endValue()
            case .pool(let p):
                if decision.member >= 0 {
                    texts.reps.append(texts.firstMember[p] + Int(decision.member), to: values)
                    values.endValue()
                    texts.pools.append(4 * p, to: values)
                } else {
                    values.endValue()
                    texts.unrouted.append(0, to: values)
                }
                values.endValue()
                texts.rules.append(2 * r, to: values)
                values.endValue()
                switch decision.reason {
                case .hashed: texts.pools.append(4 * p + 1, to: values)
                case .kept: texts.pools.append(4 * p + 2, to: values)
                case .full: texts.pools.append(4 * p + 3, to: values)
                case .noted: values.append(note ?? "")
                }
                values.endValue()
            }
        }
        if let run, decision.match != nil {
            values.write(into: &record.fields, run: run)
        } else if let run = columns.routeRun {
            values.write(into: &record.fields, run: run)
        } else {
            values.write(into: &record.fields, columns: [columns.owner, columns.pool, columns.rule, columns.reason].map(\.position))
        }
    }

    /// Calls `body` with the bytes of the owner column at `position`: from the account the lead met when the
    /// column is one of the account columns not written yet (``Columns/accountAndRouteRun``), else the row's.
    private func withOwnerCell(_ position: Int, of record: Record, _ decision: Decision, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let run = accountAndRouteRun, let match = decision.match, position < run.lowerBound + 3,
              position >= run.lowerBound else {
            record.fields.withUTF8(position, body)
            return
        }
        texts.accountCells.withCell(position - run.lowerBound, match, account: decision.account >= 0 ? Int(decision.account) : nil, body)
    }

    /// Appends `cell` as ``Swift/String/trimmingSpaces`` leaves it: for ASCII, whose characters are its
    /// bytes (a CR LF pair is one character, and neither end trims it), the bytes between the spaces; other
    /// text through the string.
    static func appendTrimmed(_ cell: UnsafeBufferPointer<UInt8>, to values: ColumnValues) {
        var start = 0, end = cell.count
        for b in cell where b >= 0x80 {
            values.append(String(decoding: cell, as: UTF8.self).trimmingSpaces)
            return
        }
        while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
        while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 || cell[end - 1] == 0x0D { end -= 1 }
        values.append(UnsafeBufferPointer(rebasing: cell[start..<end]))
    }
}

/// The owners one thread took from a column, counted by their text without a string per row.
struct OwnerTally {
    private var slots = ByteKeyedMemo<Int>()
    private(set) var owners: [String] = []
    private(set) var counts: [Int] = []

    mutating func count(_ owner: UnsafeBufferPointer<UInt8>) {
        let slot = owners.count
        var added = false
        let found = slots.value(utf8: owner) {
            added = true
            return slot
        }
        if added {
            owners.append(String(decoding: owner, as: UTF8.self))
            counts.append(0)
        }
        counts[found] += 1
    }
}
