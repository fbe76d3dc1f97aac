import CSystem
import LeadIO
import LeadRecords
import PipelineSpec
import LeadFacts

/// Where rendered chunks go, in input order.
public protocol ChunkWriter {
    func write(_ rendered: OutputRenderer.Rendered) throws
}

/// Streams records through a pipeline's stages in parallel chunks, keeping input order.
///
/// Per-record stages run on `jobs` threads, the calling thread (which also reads and writes) and
/// `jobs - 1` Dispatch workers, each taking whole chunks: parse, every stage in turn, then render
/// to bytes. A whole-list stage is a barrier: the records
/// before it are gathered, it runs once over all of them, and the stages after it stream again.
/// A stage with in-order steps (``InOrderStreamingStage``) streams too: its steps that need input order run
/// inside the chunk's work, one chunk at a time in input order (``InputOrderTurnstile``), and its last step
/// after the segment's last chunk. Between barriers memory stays bounded by the number of chunks in flight.
public struct PipelineExecutor {
    /// The bound stages, in pipeline order.
    public let stages: [BoundStage]
    /// Each stage's name, for phases, messages and the report.
    public let names: [String]
    public let jobs: Int
    public let chunkSize: Int
    /// Called on the calling thread after each chunk is written, with the rows read so far and input bytes consumed.
    public var progress: ((_ rowsIn: Int, _ bytesRead: Int) -> Void)?
    /// Called on the calling thread when the run enters a phase the reading progress cannot show:
    /// `dedupe (whole list)`, `writing`.
    public var phaseChanged: ((_ phase: String) -> Void)?
    /// The memory the run may use, checked while rows are gathered for a whole-list stage; `nil` checks nothing.
    public var memoryBudget: MemoryBudget?
    /// Reads only this many rows (`--limit`); `nil` reads them all.
    public var rowLimit: Int?
    /// The input's size in bytes, for projecting memory; `nil` for a pipe.
    public var inputBytes: Int?

    public init(stages: [BoundStage], names: [String], jobs: Int, chunkSize: Int) {
        precondition(stages.count == names.count, "a name per stage")
        self.stages = stages
        self.names = names
        self.jobs = max(1, jobs)
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads every record from `reader`, runs the stages, and writes through `writer`.
    /// - Returns: the run's totals; the caller checks ``RunTotals/accountingHolds``.
    public func run(reader: any RecordSource, parser: RecordParser, width: Int, renderer: OutputRenderer,
                             writer: some ChunkWriter) throws -> RunTotals {
        var totals = RunTotals(stageNames: names)
        let segments = Self.segments(of: stages)
        let maxInFlight = jobs * 3
        var gathered: [RecordChunk] = []
        let gatheringStage = segments.first?.barrierAfter.map { names[$0] }
        let residentAtStart = ResidentMemory.residentBytes()
        var chunksSinceCheck = 0
        // Where each gathered chunk's set-aside values are (when the stage it was gathered for touches few columns).
        var gatheredSetAside: [Range<Int>?] = []
        // The values set aside for the previous segment's whole-list stage, restored as its rows go on.
        var setAsideBefore: HeldRowsSetAside?

        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            // A stage with in-order steps is named on its own as it begins (below); then the rows stream through it.
            let running = segment.perRecord.filter { !self.stages[$0].isInOrder }.map { names[$0] }
            let segmentPhase = isLast ? (running.isEmpty ? "writing" : running.joined(separator: ", ") + " · writing")
                                      : running.joined(separator: ", ")
            if index > 0 { phaseChanged?(segmentPhase) }
            let stageIndices = segment.perRecord
            let stages = self.stages
            // Stages with in-order steps begin their pass before the segment's first chunk.
            let expectedRows = index > 0 ? gathered.reduce(0) { $0 + $1.records.count } : nil
            var passes: [Int: InOrderRun] = [:]
            for i in stageIndices {
                guard case .streamingInOrder(let stage) = stages[i] else { continue }
                // After a whole-list stage every row is held already and the stage is about to go through all of
                // them: while it begins (decay loads the last run), the progress line names it as a whole-list stage.
                if expectedRows != nil { phaseChanged?("\(names[i]) (whole list)") }
                let start = MonotonicClock.now()
                passes[i] = InOrderRun(pass: try stage.beginErasedPass(expectedRows: expectedRows))
                totals.stages[i].seconds += MonotonicClock.now() - start
            }
            if !passes.isEmpty, index > 0 { phaseChanged?(segmentPhase) }
            let inOrderRuns = passes
            let settingAside = segment.barrierAfter.flatMap { setAside(for: $0, width: width, totals: &totals) }
            let restoring = setAsideBefore
            // After a whole-list stage the held rows leave chunk by chunk while the rows that replace them (put
            // back together, widened by later stages) are larger and rarely fit the holes the held ones leave:
            // the heap kept hundreds of megabytes of freed pages resident until the run ended. Handing them
            // back sixteen times over the segment keeps the run's peak where the whole-list stage left it.
            let releaseEvery = index > 0 ? max(8, gathered.count / 16) : nil
            var consumedSinceRelease = 0
            let transform: @Sendable (consuming Work) -> ChunkResult = { work in
                var result = ChunkResult(stageCount: stages.count)
                var chunk: RecordChunk
                let order: Int
                // Consumed, so a chunk gathered before a barrier reaches the stages with its only reference.
                switch consume work {
                case .raw(let raw, let position):
                    let start = MonotonicClock.now()
                    chunk = parser.parse(raw, width: width)
                    result.parseSeconds = MonotonicClock.now() - start
                    // Rows an earlier segment set aside and carried here are that segment's rows in.
                    result.rowsIn = chunk.records.count - chunk.carriedRows
                    result.rowsReadAsWindows1252 = chunk.rowsReadAsWindows1252
                    order = position
                case .parsed(let parsed, let position, let setAside):
                    chunk = parsed
                    order = position
                    if let setAside, let restoring {
                        do {
                            restoring.restore(&chunk.records, from: try restoring.load(setAside))
                        } catch {
                            result.failure = error
                            return result
                        }
                    }
                }
                for i in stageIndices {
                    if let run = inOrderRuns[i] {
                        do {
                            guard let stats = try run.process(&chunk.records, order: order) else {
                                // An earlier chunk's step failed: the run stops with that failure.
                                result.failure = ExecutionError.abandonedAfterFailure
                                return result
                            }
                            result.stages[i] = stats
                        } catch {
                            result.failure = error
                            return result
                        }
                        continue
                    }
                    (result.stages[i], result.summaries[i]) = Self.timed(stages[i], on: &chunk.records)
                }
                if isLast {
                    let start = MonotonicClock.now()
                    result.rendered = renderer.render(chunk.records)
                    result.renderSeconds = MonotonicClock.now() - start
                } else {
                    // Held until the whole-list stage has run: what the stage does not touch is set aside, and
                    // the growth room the stages' writes left is given back now, while the chunk is in this
                    // worker's cache.
                    result.setAside = settingAside?.setAside(&chunk.records)
                    if result.setAside == nil { for i in chunk.records.indices { chunk.records[i].fields.releaseSlack() } }
                    result.chunk = chunk
                }
                return result
            }

            var nextGathered: [RecordChunk] = []
            var nextSetAside: [Range<Int>?] = []
            let consume: (ChunkResult) throws -> Void = { result in
                if let failure = result.failure { throw failure }
                totals.rowsIn += result.rowsIn
                totals.rowsReadAsWindows1252 += result.rowsReadAsWindows1252
                totals.parseSeconds += result.parseSeconds
                totals.renderSeconds += result.renderSeconds
                for i in stageIndices {
                    totals.stages[i].add(result.stages[i])
                    if let summary = result.summaries[i], case .streaming(let stage) = stages[i] {
                        totals.summaries[i] = totals.summaries[i].map { stage.merge($0, summary) } ?? summary
                    }
                }
                if let rendered = result.rendered {
                    totals.rowsOut += rendered.rowsOut
                    totals.rowsMerged += rendered.rowsMerged
                    for (reason, count) in rendered.rejectReasons {
                        totals.rowsRejected += count
                        totals.rejectReasons[reason, default: 0] += count
                    }
                    for (reason, samples) in rendered.rejectSamples {
                        let room = RejectSample.limit - totals.rejectSamples[reason, default: []].count
                        if room > 0 { totals.rejectSamples[reason, default: []] += samples.prefix(room) }
                    }
                    try writer.write(rendered)
                }
                if var chunk = result.chunk {
                    var range: Range<Int>?
                    if let blob = result.setAside, let settingAside {
                        range = settingAside.store(blob)
                        // Not written: the chunk is held whole from here on.
                        if range == nil { settingAside.restore(&chunk.records, from: blob) }
                    }
                    nextGathered.append(chunk)
                    nextSetAside.append(range)
                }
                if let releaseEvery {
                    consumedSinceRelease += 1
                    if consumedSinceRelease >= releaseEvery {
                        consumedSinceRelease = 0
                        csys_release_free_memory()
                    }
                }
                if index == 0 { progress?(totals.rowsIn, reader.bytesRead) }
                // Every 16 chunks (16k rows by default): reading /proc costs a few microseconds.
                if index == 0, let budget = memoryBudget, let gatheringStage, result.chunk != nil {
                    chunksSinceCheck += 1
                    if chunksSinceCheck >= 16 {
                        chunksSinceCheck = 0
                        try budget.check(startBytes: residentAtStart, bytesRead: reader.bytesRead, totalBytes: inputBytes,
                                         rows: totals.rowsIn, stage: gatheringStage)
                    }
                }
            }

            // Each chunk's place in the segment's input order, for the in-order steps.
            var produced = 0
            do {
                if index == 0 {
                    var remaining = rowLimit ?? Int.max
                    try orderedParallelMap(jobs: jobs, maxInFlight: maxInFlight,
                                           next: {
                                               guard remaining > 0, var chunk = try reader.nextChunk() else { return nil }
                                               if chunk.records.count > remaining {
                                                   chunk.records.removeLast(chunk.records.count - remaining)
                                                   chunk.problems = chunk.problems.filter { $0.key < remaining }
                                                   chunk.carried = chunk.carried.filter { $0.key < remaining }
                                               }
                                               remaining -= chunk.records.count
                                               defer { produced += 1 }
                                               return .raw(chunk, order: produced)
                                           },
                                           transform: transform, consume: consume)
                } else {
                    // Chunks are moved out, not copied: a chunk still referenced here would make every stage
                    // that writes to its records copy them (and each record's values) first.
                    var pending = Array(zip(gathered, gatheredSetAside))
                    gathered = []
                    gatheredSetAside = []
                    pending.reverse()
                    try orderedParallelMap(jobs: jobs, maxInFlight: maxInFlight,
                                           next: {
                                               guard let (chunk, setAside) = pending.popLast() else { return nil }
                                               defer { produced += 1 }
                                               return .parsed(chunk, order: produced, setAside: setAside)
                                           },
                                           transform: transform, consume: consume)
                }
            } catch {
                for run in inOrderRuns.values { run.close() }
                throw error
            }
            // The in-order stages' last steps, in pipeline order, once every chunk has passed them.
            for i in stageIndices {
                guard let run = inOrderRuns[i] else { continue }
                let start = MonotonicClock.now()
                totals.summaries[i] = try run.pass.finish()
                totals.stages[i].seconds += MonotonicClock.now() - start
            }
            gathered = nextGathered
            nextGathered = [] // the same reason: `all` below must hold the only reference to each record
            gatheredSetAside = nextSetAside
            setAsideBefore = settingAside
            if let settingAside {
                totals.bytesSetAside += settingAside.bytesSetAside
                if let reason = settingAside.stopReason {
                    totals.notes.append("\(names[segment.barrierAfter!]) held some rows whole: their other values could not be set aside in a temporary file (\(reason))")
                }
            }

            if let barrier = segment.barrierAfter {
                if index == 0, let budget = memoryBudget, let gatheringStage {
                    try budget.check(startBytes: residentAtStart, bytesRead: reader.bytesRead, totalBytes: inputBytes,
                                     rows: totals.rowsIn, stage: gatheringStage)
                }
                var all: [Record] = []
                all.reserveCapacity(gathered.reduce(0) { $0 + $1.records.count })
                // Chunks set aside come back in the same rows, so the list is cut where it was gathered.
                let sizes = gathered.map(\.records.count)
                for i in gathered.indices {
                    all.append(contentsOf: gathered[i].records)
                    gathered[i].records = [] // one chunk's records at a time in two arrays, not the list's
                }
                gathered = []
                let countBefore = all.count
                guard case .wholeList(let stage) = stages[barrier] else { preconditionFailure("a barrier is a whole-list stage") }
                phaseChanged?("\(names[barrier]) (whole list)")
                let before = Self.tally(all)
                let start = MonotonicClock.now()
                totals.summaries[barrier] = try stage.processAllErasingSummary(&all)
                var stats = StageStatistics(name: "")
                stats.seconds = MonotonicClock.now() - start
                let after = Self.tally(all)
                stats.rowsIn = before.active
                stats.rowsOut = after.active
                stats.rowsRejected = after.rejected - before.rejected
                stats.rowsMerged = after.merged - before.merged
                totals.stages[barrier].add(stats)
                if all.count != countBefore {
                    throw ExecutionError.stageChangedRowCount(stage: names[barrier],
                                                              before: countBefore, after: all.count)
                }
                var first = 0
                for size in settingAside != nil ? sizes : Self.chunkSizes(all.count, chunkSize) {
                    gathered.append(RecordChunk(sequence: gathered.count, records: Array(all[first..<(first + size)])))
                    first += size
                }
                if settingAside == nil { gatheredSetAside = Array(repeating: nil, count: gathered.count) }
                all = []
                // The stage's structures and the list's array are free now; the heap keeps freed pages for later
                // allocations, and the rows streaming on need far fewer than the stage held.
                csys_release_free_memory()
            }
        }
        return totals
    }

    /// Each stage's figures for the report, from its merged summary.
    public func stageReports(_ totals: RunTotals) -> [[(String, ReportValue)]] {
        stages.indices.map { stages[$0].report(totals.summaries[$0]) }
    }

    /// Sizes of `chunkSize`-row chunks covering `count` rows.
    static func chunkSizes(_ count: Int, _ chunkSize: Int) -> [Int] {
        stride(from: 0, to: count, by: chunkSize).map { min(chunkSize, count - $0) }
    }

    /// Where the values the whole-list stage at `index` does not touch go while it runs; `nil` when it touches
    /// any column, or when no temporary file can be made (a note says so, and rows are held whole).
    func setAside(for index: Int, width: Int, totals: inout RunTotals) -> HeldRowsSetAside? {
        guard case .wholeList(let stage) = stages[index], let touched = stage.touchedColumns else { return nil }
        do {
            return try HeldRowsSetAside(touched: touched, width: width, stage: names[index])
        } catch {
            totals.notes.append("\(names[index]) held its rows whole: \(error)")
            return nil
        }
    }

    /// Splits the stages into runs of per-record stages, each followed by at most one whole-list stage.
    static func segments(of stages: [BoundStage]) -> [Segment] {
        var segments: [Segment] = []
        var current: [Int] = []
        for (i, stage) in stages.enumerated() {
            if stage.gathersList {
                segments.append(Segment(perRecord: current, barrierAfter: i))
                current = []
            } else {
                current.append(i)
            }
        }
        segments.append(Segment(perRecord: current, barrierAfter: nil))
        return segments
    }

    /// Runs a streaming stage on a chunk: its row counts and seconds, and its figures.
    static func timed(_ stage: BoundStage, on records: inout [Record]) -> (StageStatistics, AnyStageSummary?) {
        guard case .streaming(let streaming) = stage else { preconditionFailure("only streaming stages run per chunk") }
        var stats = StageStatistics(name: "")
        let before = tally(records)
        let start = MonotonicClock.now()
        let summary = streaming.processErasingSummary(&records)
        stats.seconds = MonotonicClock.now() - start
        let after = tally(records)
        stats.rowsIn = before.active
        stats.rowsOut = after.active
        stats.rowsRejected = after.rejected - before.rejected
        stats.rowsMerged = after.merged - before.merged
        return (stats, summary)
    }

    static func tally(_ records: [Record]) -> (active: Int, rejected: Int, merged: Int) {
        var active = 0, rejected = 0, merged = 0
        for record in records {
            switch record.disposition {
            case .active: active += 1
            case .rejected: rejected += 1
            case .merged: merged += 1
            }
        }
        return (active, rejected, merged)
    }

    struct Segment {
        var perRecord: [Int]
        var barrierAfter: Int?
    }

    /// A chunk to work on, with its place in the segment's input order.
    enum Work: Sendable {
        case raw(RawChunk, order: Int)
        /// A chunk gathered for a whole-list stage, with where its set-aside values are, if any were.
        case parsed(RecordChunk, order: Int, setAside: Range<Int>?)
    }

    struct ChunkResult: Sendable {
        var rowsIn = 0
        var rowsReadAsWindows1252 = 0
        var parseSeconds = 0.0
        var renderSeconds = 0.0
        var stages: [StageStatistics]
        var summaries: [AnyStageSummary?]
        var rendered: OutputRenderer.Rendered?
        var chunk: RecordChunk?
        /// The values set aside from `chunk`'s rows, to be stored in input order.
        var setAside: [UInt8]?
        /// An in-order step failed (or an earlier chunk's did): the run stops with it when this chunk is consumed.
        var failure: (any Error)?

        init(stageCount: Int) {
            stages = Array(repeating: StageStatistics(name: ""), count: stageCount)
            summaries = Array(repeating: nil, count: stageCount)
        }
    }
}

/// A failure of the run itself, as opposed to a bad row.
package enum ExecutionError: Error, CustomStringConvertible {
    case stageChangedRowCount(stage: String, before: Int, after: Int)
    /// The rows a whole-list stage gathers would not fit in memory; the message says how much and what to do.
    case memoryExhausted(String)
    /// A chunk after one whose in-order step failed: never surfaces, the first failure stops the run.
    case abandonedAfterFailure

    public var description: String {
        switch self {
        case .memoryExhausted(let message):
            message
        case .abandonedAfterFailure:
            "a stage's in-order step failed on an earlier chunk"
        case .stageChangedRowCount(let stage, let before, let after):
            "stage '\(stage)' received \(before) rows but returned \(after); a stage must mark rows rejected or merged, never drop or add them"
        }
    }
}
