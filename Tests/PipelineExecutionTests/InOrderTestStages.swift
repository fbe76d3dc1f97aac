import Foundation
import LeadRecords
import PipelineSpec
import Synchronization

/// A stage with in-order steps: marks the first row of each key (column 2) `first` and later ones `again`, after a
/// pseudo-random amount of work so chunks finish out of order; its figures say in which order its in-order steps
/// saw the chunks. With `failAt`, its in-order step after processing throws on the chunk holding that id.
struct FirstOfKeyStage: Stage {
    static let descriptor = StageDescriptor(name: "first_of_key", summary: "test", options: OptionSchema([]))
    let failAt: Int?
    /// What the last pass did, for a test to read after a failed run (the figures of a failed run are never reported).
    let journal: Journal

    init(options: OptionValues, context: StageContext) {
        failAt = nil
        journal = Journal()
    }

    init(failAt: Int? = nil, journal: Journal = Journal()) {
        self.failAt = failAt
        self.journal = journal
    }

    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage {
        .streamingInOrder(Bound(mark: schema.addColumn("first"), failAt: failAt, journal: journal))
    }

    /// The first id of each chunk in the order each in-order step saw it, and whether the pass finished.
    final class Journal: Sendable {
        struct Entries {
            var admitted: [Int] = []
            var absorbed: [Int] = []
            var finished = false
        }

        let entries = Mutex(Entries())
    }

    struct Failure: Error, Equatable {
        let id: Int
    }

    struct Bound: InOrderStreamingStage {
        let mark: ColumnIndex
        let failAt: Int?
        let journal: Journal

        func beginPass(expectedRows: Int?) throws -> Pass {
            journal.entries.withLock { $0 = Journal.Entries() }
            return Pass(mark: mark, failAt: failAt, journal: journal)
        }

        func report(_ entries: Journal.Entries) -> [(String, ReportValue)] {
            [("chunks", .integer(entries.absorbed.count)),
             ("admitted_in_order", .bool(entries.admitted == entries.admitted.sorted())),
             ("absorbed_in_order", .bool(entries.absorbed == entries.absorbed.sorted()))]
        }
    }

    final class Pass: InOrderPass, @unchecked Sendable {
        let mark: ColumnIndex
        let failAt: Int?
        let journal: Journal
        // Touched only by `admit`, one chunk at a time.
        private var seen = Set<String>()

        init(mark: ColumnIndex, failAt: Int?, journal: Journal) {
            self.mark = mark
            self.failAt = failAt
            self.journal = journal
        }

        func prepare(_ records: [Record]) -> (firstID: Int, keys: [String?]) {
            (Int(records.first?.values[0] ?? "0") ?? 0, records.map { $0.isActive ? $0.values[1] : nil })
        }

        func admit(_ prepared: (firstID: Int, keys: [String?])) -> [Bool] {
            journal.entries.withLock { $0.admitted.append(prepared.firstID) }
            return prepared.keys.map { key in key.map { seen.insert($0).inserted } ?? false }
        }

        func process(_ records: inout [Record], admitted: [Bool]) -> Int {
            let first = Int(records.first?.values[0] ?? "0") ?? 0
            usleep(useconds_t((first * 7919) % 5 * 1000))
            for i in records.indices where records[i].isActive { records[i][mark] = admitted[i] ? "first" : "again" }
            return first
        }

        func absorb(_ records: [Record], _ firstID: Int) throws {
            if let failAt, records.contains(where: { $0.values[0] == String(failAt) }) { throw Failure(id: failAt) }
            journal.entries.withLock { $0.absorbed.append(firstID) }
        }

        func finish() throws -> Journal.Entries {
            journal.entries.withLock {
                $0.finished = true
                return $0
            }
        }
    }
}
