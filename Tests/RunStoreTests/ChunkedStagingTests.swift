import Dispatch
import Foundation
import LeadRecords
import RunStore
import Synchronization
import Testing
import TestSupport

/// decay stages its run chunk by chunk (``StagedRunWriter``): each chunk encoded on any thread, then added in
/// input order. The store must then hold what staging the whole list at once holds.
@Suite("Staging chunk by chunk")
struct ChunkedStagingTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let columns = ["Email", "Company", "Title", "entity_id", "industry", "industry__source", "employees",
                          "employees__source", "city", "city__source"]

    /// Leads whose values and provenances are shaped like a merge's output, hostile ones included: a company's
    /// contacts in a row (one entity's values spanning a chunk boundary), a second source first met in a later
    /// chunk (numbered differently there), provenances without an as-of, with a trailing or leading `@`, beyond
    /// ASCII, rejected and merged rows, and a row without values.
    func records() -> [Record] {
        let provenances = ["crunchbase@2026-10-01", "crunchbase@2026-10-01", "x@", "x", "@lead", "café@2026-11",
                           "crunchbase@2026-10-01", "zoominfo@2026-09-30"]
        var records: [Record] = []
        for i in 0..<60 {
            let entity = "E\(i / 3)"
            // The second source only from the third chunk of seven rows on, and there before the first one.
            let source = i >= 14 && i % 2 == 0 ? "zoominfo@2026-09-30" : provenances[i % 7]
            var values = ["p\(i)@acme\(i / 5).com", "Acme \(i / 5)", "Title \(i % 4)", entity,
                          i % 5 == 0 ? "" : "Software \(i / 5)", source, "\(10 * (i / 5))", source,
                          i % 11 == 0 ? "Zürich" : "Berlin", i % 13 == 0 ? "" : "crunchbase@2026-10-01"]
            if i == 9 { values[4] = ""; values[6] = ""; values[8] = "" } // no value at all
            var disposition = Disposition.active
            if i % 17 == 5 { disposition = .rejected(Rejection(reason: .csvWrongColumnCount, stage: "input", detail: "")) }
            if i % 19 == 7 { disposition = .merged(intoLine: 2) }
            records.append(Record(values: values, line: i + 2, disposition: disposition))
        }
        return records
    }

    func run(rows: Int) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: "c", referenceTime: now, startedAt: now, finishedAt: now,
                  rowsIn: rows, rowsActive: rows, rowsRejected: 0, rowsMerged: 0)
    }

    /// What a store holds of its one run: the packed leads, the snapshots, and every entity's values.
    func contents(of store: RunStore, runID: Int64, entities: [String]) throws -> [String] {
        var lines = try store.runLeads(runID: runID).map { "\($0)" }
        lines += try store.snapshots(runID: runID).map { "\($0)" }
        for entity in entities { lines += try store.enrichmentValues(runID: runID, entityID: entity).map { "\($0)" } }
        return lines
    }

    @Test(arguments: [1, 7, 60])
    func chunksPreparedOnAnyThreadCommitWhatTheWholeListCommits(chunkSize: Int) throws {
        try withTemporaryDirectory { dir in
            let records = records()
            let schema = Schema(inputColumns: Self.columns)
            let extractor = SnapshotExtractor(schema: schema, columns: ColumnBindings([.email: ColumnIndex(0), .company: ColumnIndex(1),
                                                                                       .title: ColumnIndex(2)]))
            let entities = Array(Set(records.map { $0[ColumnIndex(3)] })).sorted()

            let whole = try RunStore(path: dir.path("whole/store.sqlite"))
            let wholeRun = try whole.stageRun(pipeline: "weekly", summaryJSON: "{}", records: records, extractor: extractor)
                .commit(as: run(rows: records.count))

            let chunked = try RunStore(path: dir.path("chunked/store.sqlite"))
            let writer = try StagedRunWriter(store: chunked, extractor: extractor)
            let chunks = stride(from: 0, to: records.count, by: chunkSize).map { Array(records[$0..<min($0 + chunkSize, records.count)]) }
            // Prepared at once on several threads, added in input order.
            let prepared = Mutex<[Int: StagedChunk]>([:])
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                let chunk = writer.prepare(chunks[index])
                prepared.withLock { $0[index] = chunk }
            }
            for index in chunks.indices { try writer.add(prepared.withLock { $0[index]! }) }
            let chunkedRun = try writer.finish(pipeline: "weekly", summaryJSON: "{}").commit(as: run(rows: records.count))

            let expected = try contents(of: whole, runID: wholeRun.id!, entities: entities)
            #expect(expected.count > 60)
            #expect(try contents(of: chunked, runID: chunkedRun.id!, entities: entities) == expected)
            #expect(chunkedRun.snapshotCount == wholeRun.snapshotCount)
        }
    }
}
