import Foundation
import LeadIO
import LeadRecords
@testable import PipelineExecution
import PipelineSpec
import Testing
import TestSupport

/// A stage with in-order steps (decay with a store): its in-order steps see the chunks one at a time in input
/// order whatever the parallelism, the rows stream through in order, and a failing step stops the run.
@Suite("Executor: stages with in-order steps")
struct InOrderStageTests {
    let executor = PipelineExecutorTests()

    @Test(arguments: [1, 2, 4])
    func theInOrderStepsSeeEveryChunkInInputOrderAndTheFirstRowOfEachKeyIsTheFirstInTheInput(jobs: Int) throws {
        let (totals, writer, reports) = try executor.runReporting([FirstOfKeyStage()], rows: 500, jobs: jobs, chunkSize: 7)
        #expect(totals.rowsIn == 500)
        #expect(totals.rowsOut == 500)
        #expect(totals.accountingHolds)
        // 50 keys (k0 … k49): ids 1 … 50 are each key's first row.
        #expect(executor.lines(writer.output) == (1...500).map { "\($0),k\($0 % 50),\($0 <= 50 ? "first" : "again")" })
        #expect(reports[0].map(\.0) == ["chunks", "admitted_in_order", "absorbed_in_order"])
        #expect(reports[0].map(\.1) == [.integer(72), .bool(true), .bool(true)])
        #expect(totals.stages[0].rowsIn == 500)
    }

    @Test func afterAWholeListStageItStreamsTheGatheredRowsAndSkipsThoseMerged() throws {
        let (totals, writer, reports) = try executor.runReporting(
            [RejectMultiplesStage(every: 7), MergeSameKeyStage(), FirstOfKeyStage()], rows: 1000, jobs: 2, chunkSize: 16)
        #expect(totals.rowsOut == 50)
        #expect(totals.accountingHolds)
        // Each key's first active row survives dedupe-like merging and is the first the in-order stage admits.
        #expect(executor.lines(writer.output).allSatisfy { $0.hasSuffix(",first") })
        #expect(reports[2].map(\.1) == [.integer(63), .bool(true), .bool(true)])
    }

    @Test func aStreamingStageAfterItSeesTheRowsOnlyOnceTheInOrderStepsHaveRun() throws {
        let (totals, writer) = try executor.run([FirstOfKeyStage(), RejectMultiplesStage(every: 3)], rows: 300, jobs: 2, chunkSize: 5)
        #expect(totals.rowsRejected == 100)
        #expect(totals.stages[0].rowsIn == 300)
        #expect(totals.stages[1].rowsRejected == 100)
        #expect(executor.lines(writer.output).count == 200)
    }

    @Test(arguments: [1, 2])
    func aFailingInOrderStepFailsTheRunWithItsErrorWritesNoLaterChunkAndNeverFinishes(jobs: Int) throws {
        let journal = FirstOfKeyStage.Journal()
        let writer = CollectingWriter()
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.csv", "id,key\n" + (1...500).map { "\($0),k\($0 % 50)\n" }.joined())
            let reader = try RecordReader(path: path, format: .csv, chunkSize: 7)
            var schema = Schema(inputColumns: reader.columns)
            let bound = FirstOfKeyStage(failAt: 250, journal: journal).bound(schema: &schema, columns: ColumnBindings())
            let run = PipelineExecutor(stages: [bound], names: ["first_of_key"], jobs: jobs, chunkSize: 7)
            #expect(throws: FirstOfKeyStage.Failure(id: 250)) {
                _ = try run.run(reader: reader, parser: RecordParser(format: .csv, columns: reader.columns), width: schema.count,
                                renderer: OutputRenderer(schema: schema, output: .csv, rejects: .csv, merged: .csv), writer: writer)
            }
        }
        let entries = journal.entries.withLock { $0 }
        #expect(!entries.finished)
        // The chunk holding id 250 (246 … 252) and every later one never passed the step, nor were they written.
        #expect(entries.absorbed.allSatisfy { $0 < 246 })
        #expect(entries.absorbed == entries.absorbed.sorted())
        let written = executor.lines(writer.output).compactMap { Int($0.prefix { $0 != "," }) }
        #expect(written == Array(written.indices.map { $0 + 1 }))
        #expect(written.allSatisfy { $0 < 246 })
    }
}
