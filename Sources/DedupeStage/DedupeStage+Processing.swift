import Dispatch
import Foundation
import LeadRecords
import PipelineSpec

extension DedupeStage.Bound {
    public func processAll(_ records: inout [Record]) throws -> DedupeRun {
        var run = DedupeRun()
        run.fieldCount = settings.fields.count
        run.threshold = settings.threshold
        var clock = PhaseClock()
        progress.phase("reading the record keys")
        let active = records.indices.filter { records[$0].isActive }
        let n = active.count
        let keys = active.map { recordKey(records[$0]) }
        if !inspectedLines.isEmpty {
            var values: [Int: [String]] = [:]
            for index in active where inspectedLines.contains(records[index].line) {
                values[records[index].line] = settings.fields.map { field in
                    field.columns.compactMap { compareColumns[$0].map { records[index][$0] } }.filter { !$0.isEmpty }.joined(separator: " ")
                }
            }
            run.inspectedValues = values
        }
        clock.lap("keys")
        if let request = stepRequest {
            if case .cluster = request.step {} else {
                let snapshot = records, rowIndex = active
                var readers: [String: ColumnReader] = [:]
                for (name, column) in compareColumns { readers[name] = { row in snapshot[rowIndex[row]][column] } }
                return try process(step: request.step, request: request, records: records, active: active, readers: readers)
            }
        }

        var labelRows: [(Int, Int, Bool)] = []
        if let labels {
            var rowOfKey: [String: Int] = [:]
            for (row, key) in keys.enumerated() where rowOfKey[key] == nil { rowOfKey[key] = row }
            labelRows = labels.pairs.compactMap { pair in
                guard let a = rowOfKey[pair.left], let b = rowOfKey[pair.right], a != b else { return nil }
                return (a, b, pair.isMatch)
            }
        }
        // Optional so that the matcher and its pairs can go before the rows are written (below).
        var resolution: EntityResolution?
        do {
            // The matcher reads the values where the records hold them. The snapshot shares the records'
            // storage and is gone when `resolve` returns, before any row is written, so nothing is copied.
            let snapshot = records, rowIndex = active
            var readers: [String: ColumnReader] = [:]
            for (name, column) in compareColumns {
                readers[name] = { row in snapshot[rowIndex[row]][column] }
            }
            if let request = stepRequest, case .cluster(let model, let globals, _) = request.step {
                // Whole components of a distributed run, weighed with the whole list's model and counts.
                resolution = try EntityResolution.resolve(settings: settings, rowCount: n, readers: readers, fitted: model,
                                                          globals: globals, progress: progress)
            } else {
                resolution = try EntityResolution.resolve(settings: settings, rowCount: n, readers: readers,
                                                          labels: labelRows, trainOnLabels: labelsTrain, progress: progress)
            }
        } catch let error as BlockingRuleError {
            throw OptionProblem(option: "blocking", error.description)
        } catch {
            throw OptionProblem(option: "dedupe", "\(error)")
        }
        let clusters = resolution!.clusters
        if keepsResolution {
            run.resolution = resolution
            run.rowLines = active.map { records[$0].line }
        }
        clock.skip()

        // Entities: rows grouped by representative (the entity's first row), in row order.
        progress.phase("naming the entities")
        let members = EntityMembers(representatives: clusters.entity)
        let ids = try { // last week's ids (a million entries in week 2) are not needed once these are assigned
            let previous = try entityIDMemory?.entityIDs(forRecordKeys: keys) ?? [:]
            var ids = EntityIdentifier.assign(entityCount: members.count, recordKeys: { members[$0].lazy.map { keys[Int($0)] } },
                                              previous: previous)
            if let request = stepRequest, case .cluster(_, _, let assigned) = request.step {
                // A task of a distributed run names only its own entities: the driver names them all again.
                let firstLines = (0..<members.count).map { records[active[Int(members[$0][members[$0].startIndex])]].line }
                for (e, line) in firstLines.enumerated() { if let id = assigned[line] { ids[e] = id } }
                ReportedEntity.report(firstLines: firstLines, members: members, keys: keys, previous: previous, ids: ids,
                                      emit: request.emit)
            }
            return ids
        }()
        let shown = showcase(members: members, entityIDs: ids, records: records, active: active, resolution: resolution!)
        clock.lap("entities")

        // Explanations cost a comparison each: build them on all cores first, kept in their chunks
        // (row r is in chunk r / explainChunk) rather than copied into one more array per row.
        var explanations: [[String]] = []
        let explainChunk = 16_384
        if explainColumn != nil {
            progress.phase("explaining matches")
            let matcher = resolution!.matcher, partner = clusters.bestPartner
            explanations = ResultSlots.map((n + explainChunk - 1) / explainChunk) { c in
                (c * explainChunk..<min(n, (c + 1) * explainChunk)).map { row in
                    partner[row] >= 0 ? matcher.explain(row, Int(partner[row])).description : ""
                }
            }
        }
        clock.lap("explain")

        // The review file and the figures are the last readers of the matcher and the scored pairs: with them
        // done, the matcher's prepared values and the pairs (a few hundred MB at a million rows) are freed
        // before the rows grow by the entity columns.
        var reviewCount = 0
        if let reviewPath {
            progress.phase("writing the review file")
            let review = reviewEntries(resolution!, records: records, active: active, keys: keys)
            reviewCount = review.entries.count
            try review.write(to: reviewPath)
            clock.lap("review")
        }
        var figures = makeStatistics(resolution!, rows: n, entities: members.count, reviewCount: reviewCount,
                                     labelRows: labelRows)
        figures.showcase = shown
        if let request = stepRequest, case .cluster(_, let globals, _) = request.step { figures.modelRows = globals.rows }
        let resolutionPhases = resolution!.phases
        resolution = nil

        progress.phase("writing the entity columns", done: 0, of: members.count)
        // Writing the values also widens a row that ends before these columns.
        let added = [entityColumn, probabilityColumn, duplicateColumn] + (explainColumn.map { [$0] } ?? [])
        let explained = explainColumn != nil, explainedText = explanations
        /// Writes entity `e`'s columns into its rows; `survivor` is the row the others name as their duplicate.
        @Sendable func writeColumns(of e: Int, survivor: Int, writer: AddedColumnWriter, into rows: UnsafeMutableBufferPointer<Record>) {
            let values = writer.values, members = members[e]
            for row in members.lazy.map(Int.init) {
                values.start()
                values.appendValue(ids[e])
                if members.count > 1 {
                    values.appendValue(FellegiSunterModel.format(probability: FellegiSunterModel.probability(weight: clusters.bestWeight[row])))
                    values.appendValue(row == survivor ? "" : String(rows[active[survivor]].line))
                    if explained { values.appendValue(explainedText[row / explainChunk][row % explainChunk]) }
                } else {
                    for _ in 1..<added.count { values.endValue() }
                }
                writer.write(into: &rows[active[row]].fields)
            }
        }
        if runMode == .annotate {
            // An entity's rows are its own, and annotating changes nothing else: two threads write disjoint rows (on a
            // million rows, about a second of one core at a moment when nothing else runs).
            let parts = members.count >= 65_536 ? 2 : 1
            records.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let rows = buffer
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let writer = AddedColumnWriter(added)
                    for e in (members.count * part / parts)..<(members.count * (part + 1) / parts) {
                        writeColumns(of: e, survivor: Int(members[e][members[e].startIndex]), writer: writer, into: rows)
                    }
                }
            }
        } else {
            let writer = AddedColumnWriter(added)
            for e in 0..<members.count {
                if e & 4095 == 0 { progress.update(done: e) }
                let rows = members[e]
                var survivor = Int(rows[rows.startIndex])
                if rows.count > 1 {
                    let list = rows.map(Int.init)
                    survivor = survivorRow(list, records: records, active: active)
                    buildGoldenRecord(list, survivor: survivor, records: &records, active: active)
                }
                records.withUnsafeMutableBufferPointer { writeColumns(of: e, survivor: survivor, writer: writer, into: $0) }
                for row in rows.lazy.map(Int.init) where row != survivor { records[active[row]].disposition = .merged(intoLine: records[active[survivor]].line) }
            }
        }
        // In entity order, a key given twice keeping its last entity's id.
        var remembered: [String: String] = [:]
        if entityIDMemory != nil {
            remembered.reserveCapacity(n)
            for e in 0..<members.count { for row in members[e] { remembered[keys[Int(row)]] = ids[e] } }
        }
        if let entityIDMemory { try entityIDMemory.remember(remembered) }
        clock.lap("annotate")

        run.statistics = figures
        run.phases = Array(clock.laps.prefix(1)) + resolutionPhases + clock.laps.dropFirst()
        stage.inspection?.answer(with: run)
        return run
    }

    /// The key that identifies a row across runs: the record_key column, else the email identity, else the row's content.
    func recordKey(_ record: Record) -> String {
        if let recordKeyColumn, !record.isEmpty(recordKeyColumn) { return record[recordKeyColumn] }
        if let emailColumn, let identity = EmailIdentity(record[emailColumn]) { return identity.key }
        return (0..<max(0, entityColumn.position)).map { record.fields[$0] }.joined(separator: "\u{1F}")
    }

    /// The row that carries the golden record: the most recent, then the most complete, then the earliest.
    func survivorRow(_ rows: [Int], records: [Record], active: [Int]) -> Int {
        func recency(_ row: Int) -> String { recencyColumns.map { DedupeStage.recencyKey(records[active[row]][$0.column], $0.format) }.max() ?? "" }
        func filled(_ row: Int) -> Int {
            let fields = records[active[row]].fields
            return (0..<min(entityColumn.position, fields.count)).reduce(0) { $0 + (fields.isEmpty($1) ? 0 : 1) }
        }
        return rows.min { a, b in
            let ra = recency(a), rb = recency(b)
            if ra != rb { return ra > rb }
            let fa = filled(a), fb = filled(b)
            if fa != fb { return fa > fb }
            return a < b
        }!
    }

    /// Writes each column's surviving value into the survivor row.
    func buildGoldenRecord(_ rows: [Int], survivor: Int, records: inout [Record], active: [Int]) {
        let candidates: [(recency: String, rank: Int, line: Int)] = rows.map { row in
            let record = records[active[row]]
            let recency = recencyColumns.map { DedupeStage.recencyKey(record[$0.column], $0.format) }.max() ?? ""
            let source = sourceColumn.map { record[$0] } ?? ""
            return (recency, sourcePriority.firstIndex(of: source) ?? Int.max, record.line)
        }
        for (column, rule) in survivorshipColumns {
            let values = rows.enumerated().map { i, row in
                SurvivorshipRule.Candidate(value: records[active[row]][column], recency: candidates[i].recency,
                                           sourceRank: candidates[i].rank, line: candidates[i].line)
            }
            records[active[survivor]][column] = rule.pick(values)
        }
    }

    func reviewEntries(_ resolution: EntityResolution, records: [Record], active: [Int], keys: [String]) -> ReviewFile {
        let low = FellegiSunterModel.weight(probability: settings.reviewMin)
        let high = FellegiSunterModel.weight(probability: settings.reviewMax)
        let bar = FellegiSunterModel.weight(probability: settings.threshold)
        let refused = Set(resolution.clusters.refused.map { [$0.a, $0.b] })
        var entries: [ReviewFile.Entry] = []
        for pair in resolution.scored where pair.weight >= low && (pair.weight < high || refused.contains([pair.a, pair.b])) {
            let a = Int(pair.a), b = Int(pair.b)
            let decision: String
            if refused.contains([pair.a, pair.b]) { decision = "refused_chain" }
            else if pair.weight >= bar { decision = resolution.clusters.entity[a] == resolution.clusters.entity[b] ? "linked" : "refused_chain" }
            else { decision = resolution.clusters.entity[a] == resolution.clusters.entity[b] ? "linked_through_others" : "below_threshold" }
            entries.append(ReviewFile.Entry(lineA: records[active[a]].line, lineB: records[active[b]].line, keyA: keys[a], keyB: keys[b],
                                            probability: pair.probability, weight: pair.weight, decision: decision,
                                            explanation: resolution.matcher.explain(a, b).description))
        }
        return ReviewFile(entries: entries)
    }

    func makeStatistics(_ resolution: EntityResolution, rows: Int, entities: Int, reviewCount: Int,
                        labelRows: [(Int, Int, Bool)]) -> DedupeStatistics {
        var stats = DedupeStatistics()
        stats.rowsCompared = rows
        stats.pairsPerRule = zip(settings.blocking.map(\.text), resolution.pairsPerRule).map { ($0, $1) }
        stats.oversizedBlocksPerRule = zip(settings.blocking.map(\.text), resolution.oversizedBlocks).map { ($0, $1) }
        stats.links = resolution.links
        stats.refusedLinks = resolution.clusters.refused.count
        stats.entities = entities
        stats.duplicateRows = rows - entities
        stats.entitiesWithDuplicates = resolution.clusters.multiRowEntities
        stats.emIterations = resolution.em.iterations
        stats.emConverged = resolution.em.converged
        stats.emFallbacks = resolution.matcher.trainingFallbacks.map { ($0.0, $0.1.rawValue) }
        stats.prior = resolution.matcher.model.lambda
        stats.reviewPairs = reviewCount
        let model = resolution.matcher.model
        stats.weights = model.fieldNames.indices.map { f in
            (model.fieldNames[f], model.levelNames[f].indices.map { (model.levelNames[f][$0], model.weight(field: f, level: UInt8($0))) })
        }
        if !labelRows.isEmpty && !labelsTrain {
            var score = PairwiseLabelScore(pairs: labelRows.count, truePositives: 0, falsePositives: 0, falseNegatives: 0)
            for (a, b, isMatch) in labelRows {
                let predicted = resolution.clusters.entity[a] == resolution.clusters.entity[b]
                if predicted && isMatch { score.truePositives += 1 }
                else if predicted { score.falsePositives += 1 }
                else if isMatch { score.falseNegatives += 1 }
            }
            stats.labelEvaluation = score
        }
        return stats
    }
}

extension DedupeStage {
    /// A date as sortable text (ISO 8601 in UTC) read in its column's format; empty, the least recent,
    /// when it is no date.
    static func recencyKey(_ text: String, _ format: DateFormat) -> String {
        LeadDate.parse(text, format: format)?.iso ?? ""
    }
}
