import Foundation
import LeadIO
import LeadRecords
@testable import PipelineExecution
import PipelineSpec
import Synchronization
import Testing
import TestSupport

/// Collects what the executor writes.
final class CollectingWriter: ChunkWriter {
    var output: [UInt8] = []
    var rejects: [UInt8] = []
    var merged: [UInt8] = []
    func write(_ rendered: OutputRenderer.Rendered) throws {
        output += rendered.output
        rejects += rendered.rejects
        merged += rendered.merged
    }
}

@Suite("Executor")
struct PipelineExecutorTests {
    /// Runs `stages` over `rows` rows of `id,key` and returns the totals and the written text.
    func run(_ stages: [any Stage], rows: Int, jobs: Int, chunkSize: Int) throws -> (RunTotals, CollectingWriter) {
        let (totals, writer, _) = try runReporting(stages, rows: rows, jobs: jobs, chunkSize: chunkSize)
        return (totals, writer)
    }

    /// Like `run`, also returning each stage's report figures.
    func runReporting(_ stages: [any Stage], rows: Int, jobs: Int,
                      chunkSize: Int) throws -> (RunTotals, CollectingWriter, [[(String, ReportValue)]]) {
        try withTemporaryDirectory { dir in
            var text = "id,key\n"
            for i in 1...rows { text += "\(i),k\(i % 50)\n" }
            let path = try dir.write("in.csv", text)
            let reader = try RecordReader(path: path, format: .csv, chunkSize: chunkSize)
            var schema = Schema(inputColumns: reader.columns)
            var bound: [BoundStage] = []
            for stage in stages { bound.append(try stage.bound(schema: &schema, columns: ColumnBindings())) }
            let renderer = OutputRenderer(schema: schema, output: .csv, rejects: .csv, merged: .csv)
            let writer = CollectingWriter()
            let executor = PipelineExecutor(stages: bound, names: stages.map { type(of: $0).descriptor.name }, jobs: jobs,
                                            chunkSize: chunkSize)
            let totals = try executor.run(reader: reader, parser: RecordParser(format: .csv, columns: reader.columns),
                                          width: schema.count, renderer: renderer, writer: writer)
            return (totals, writer, executor.stageReports(totals))
        }
    }

    func lines(_ bytes: [UInt8]) -> [String] { String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init) }

    @Test(arguments: [1, 2, 4])
    func keepsInputOrderWhateverTheParallelism(jobs: Int) throws {
        let context = StageContext(pipelineFile: "t")
        let (totals, writer) = try run([UnevenWorkStage(options: OptionValues(schema: OptionSchema([])), context: context)],
                                       rows: 2000, jobs: jobs, chunkSize: 37)
        #expect(totals.rowsIn == 2000)
        #expect(totals.rowsOut == 2000)
        #expect(lines(writer.output) == (1...2000).map { "\($0),k\($0 % 50),seen:\($0)" })
    }

    @Test func countsRejectionsPerReasonAndPerStageAndKeepsTheIdentity() throws {
        let (totals, writer) = try run([RejectMultiplesStage(every: 3)], rows: 300, jobs: 2, chunkSize: 16)
        #expect(totals.rowsOut == 200)
        #expect(totals.rowsRejected == 100)
        #expect(totals.rejectReasons == ["test_multiple": 100])
        #expect(totals.stages[0].rowsIn == 300)
        #expect(totals.stages[0].rowsRejected == 100)
        #expect(totals.accountingHolds)
        #expect(lines(writer.rejects).first == "4,reject_multiples,test_multiple,,,3,k3")
    }

    @Test func runsAWholeListStageOnceOverEveryRecordThenStreamsTheRest() throws {
        let (totals, writer, reports) = try runReporting(
            [RejectMultiplesStage(every: 7), MergeSameKeyStage(),
             UnevenWorkStage(options: OptionValues(schema: OptionSchema([])), context: StageContext(pipelineFile: "t"))],
            rows: 1000, jobs: 2, chunkSize: 64)
        #expect(reports[1].first?.1 == .integer(1000))
        #expect(totals.rowsIn == 1000)
        #expect(totals.rowsRejected == 142)
        // 50 keys; each key's first active record survives.
        #expect(totals.rowsOut == 50)
        #expect(totals.rowsMerged == 1000 - 142 - 50)
        #expect(totals.accountingHolds)
        #expect(totals.stages[1].rowsMerged == totals.rowsMerged)
        #expect(lines(writer.output).allSatisfy { $0.contains(",seen:") })
        // id 51 (input line 52) folds into id 1 (line 2); its tag column is empty because it left before that stage.
        #expect(lines(writer.merged).first == "52,2,51,k1,")
    }

    @Test func reportsWhatAWholeListStageReturned() throws {
        let (_, _, reports) = try runReporting([MergeSameKeyStage()], rows: 120, jobs: 2, chunkSize: 16)
        #expect(reports[0].first?.1 == .integer(120))
    }

    @Test func refusesAStageThatDropsRecords() throws {
        #expect(throws: ExecutionError.self) { _ = try run([DroppingStage()], rows: 10, jobs: 1, chunkSize: 4) }
    }

    @Test func boundsChunksInFlightAndWorkersRunningAtOnce() throws {
        let running = Mutex((now: 0, peak: 0))
        var produced = 0
        var inFlightPeak = 0
        var consumed = 0
        var order: [Int] = []
        try orderedParallelMap(jobs: 2, maxInFlight: 5, next: { () -> Int? in
            guard produced < 200 else { return nil }
            produced += 1
            inFlightPeak = max(inFlightPeak, produced - consumed)
            return produced
        }, transform: { item in
            running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            usleep(UInt32((item * 31) % 3) * 500)
            running.withLock { $0.now -= 1 }
            return item
        }, consume: { item in
            consumed += 1
            order.append(item)
        })
        #expect(order == Array(1...200))
        #expect(running.withLock { $0.peak } <= 2)
        #expect(inFlightPeak <= 5)
    }

    @Test func oneJobRunsEveryTransformOnTheCallingThread() throws {
        let caller = pthread_self()
        let threads = Mutex<Set<UInt>>([])
        var produced = 0
        var order: [Int] = []
        try orderedParallelMap(jobs: 1, maxInFlight: 3, next: { () -> Int? in
            guard produced < 50 else { return nil }
            produced += 1
            return produced
        }, transform: { item in
            threads.withLock { _ = $0.insert(UInt(pthread_self())) }
            return item * 2
        }, consume: { order.append($0) })
        #expect(order == (1...50).map { $0 * 2 })
        #expect(threads.withLock { $0 } == [UInt(caller)])
    }

    @Test func twoJobsShareTheTransformsBetweenTheCallingThreadAndOneWorker() throws {
        let caller = UInt(pthread_self())
        let threads = Mutex<[UInt: Int]>([:])
        var produced = 0
        try orderedParallelMap(jobs: 2, maxInFlight: 6, next: { () -> Int? in
            guard produced < 400 else { return nil }
            produced += 1
            return produced
        }, transform: { item in
            threads.withLock { $0[UInt(pthread_self()), default: 0] += 1 }
            usleep(200)
            return item
        }, consume: { _ in })
        let counts = threads.withLock { $0 }
        #expect(counts.count == 2)
        #expect(counts[caller, default: 0] > 0)
        #expect(counts.values.reduce(0, +) == 400)
    }

    @Test func stopsReadingAndRethrowsWhenTheWriterFails() throws {
        struct DiskFull: Error {}
        var reads = 0
        #expect(throws: DiskFull.self) {
            try orderedParallelMap(jobs: 2, maxInFlight: 4, next: { () -> Int? in
                reads += 1
                return reads <= 1000 ? reads : nil
            }, transform: { $0 }, consume: { item in if item == 10 { throw DiskFull() } })
        }
        #expect(reads < 20)
    }

    @Test(arguments: [1, 2, 4])
    func aStagesChunkFiguresAreMergedInInputOrderWhateverTheJobs(jobs: Int) throws {
        let (_, _, reports) = try runReporting([UnevenWorkStage(options: OptionValues(schema: OptionSchema([])),
                                                                context: StageContext(pipelineFile: "t")),
                                                 CountingStage()], rows: 1000, jobs: jobs, chunkSize: 7)
        let report = ReportValue.object(reports[1])
        #expect(report["rows"] == .integer(1000))
        #expect(report["first"] == .string("1") && report["last"] == .string("1000"))
        #expect(report["in_order"] == .bool(true))
    }
}

@Suite("Executor: values set aside while a whole-list stage holds the list")
struct HeldRowsSetAsideTests {
    let executorTests = PipelineExecutorTests()

    func stages(declares: Bool, seen: HeldRowsSeen) -> [any Stage] {
        [RejectMultiplesStage(every: 7), NotingStage(), LabelByKeyStage(declares: declares, seen: seen),
         UnevenWorkStage(options: OptionValues(schema: OptionSchema([])), context: StageContext(pipelineFile: "t")),
         MergeSameKeyStage()]
    }

    @Test(arguments: [1, 2, 4])
    func aStageThatDeclaresItsColumnsSeesOnlyThoseAndTheOutputIsUnchanged(jobs: Int) throws {
        let held = HeldRowsSeen(), whole = HeldRowsSeen()
        let (totals, writer) = try executorTests.run(stages(declares: true, seen: held), rows: 1500, jobs: jobs, chunkSize: 16)
        let (wholeTotals, wholeWriter) = try executorTests.run(stages(declares: false, seen: whole), rows: 1500, jobs: 1, chunkSize: 64)
        #expect(writer.output == wholeWriter.output)
        #expect(writer.rejects == wholeWriter.rejects)
        #expect(writer.merged == wholeWriter.merged)
        #expect(totals.accountingHolds && totals.rowsIn == 1500 && totals.rowsOut == wholeTotals.rowsOut)
        // Held rows kept their key and nothing else; rows the stage needs whole kept everything.
        #expect(held.touchedEmpty == 0)
        #expect(held.untouchedFilled == 0)
        #expect(whole.untouchedFilled > 2000)
        #expect(held.wholeRowsWithID == whole.wholeRowsWithID && held.wholeRowsWithID > 0)
        #expect(totals.bytesSetAside > 100_000)
        #expect(totals.notes.isEmpty)
        // The rows went on whole: the later stage tagged them and the rejected ones kept their values.
        #expect(executorTests.lines(writer.output).allSatisfy { $0.contains(",seen:") && $0.contains("note for row") })
        #expect(executorTests.lines(writer.rejects).first == "8,reject_multiples,test_multiple,,,7,k7,,,")
    }
}
