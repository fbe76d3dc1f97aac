import Foundation
import LeadRecords
import PipelineSpec
import Synchronization

/// Appends a tag to column 1 after a pseudo-random amount of work, so chunks finish out of order.
struct UnevenWorkStage: Stage {
    static let descriptor = StageDescriptor(name: "uneven", summary: "test", options: OptionSchema([]))
    var tag = ColumnIndex(0)
    init(options: OptionValues, context: StageContext) {}
    mutating func bind(schema: inout Schema, columns: ColumnBindings) { tag = schema.addColumn("tag") }
    func process(_ records: inout [Record]) {
        let first = Int(records.first?.values[0] ?? "0") ?? 0
        usleep(useconds_t((first * 7919) % 5 * 1000))
        for i in records.indices where records[i].isActive { records[i][tag] = "seen:" + records[i].values[0] }
    }
}

/// Rejects records whose id is a multiple of `every`.
struct RejectMultiplesStage: Stage {
    static let descriptor = StageDescriptor(name: "reject_multiples", summary: "test", options: OptionSchema([]))
    let every: Int
    init(options: OptionValues, context: StageContext) { every = 3 }
    init(every: Int) { self.every = every }
    mutating func bind(schema: inout Schema, columns: ColumnBindings) {}
    func process(_ records: inout [Record]) {
        for i in records.indices where records[i].isActive && (Int(records[i].values[0]) ?? 1) % every == 0 {
            records[i].reject(ReasonCode("test_multiple", "test"), stage: "reject_multiples")
        }
    }
}

/// A whole-list stage: merges every record into the first record with the same value in column 1,
/// and records how many records it saw at once.
final class MergeSameKeyStage: Stage, @unchecked Sendable {
    static let descriptor = StageDescriptor(name: "merge_same_key", summary: "test", options: OptionSchema([]))
    var mode: StageMode { .wholeList }
    let seen = Mutex(0)
    init(options: OptionValues, context: StageContext) {}
    init() {}
    func bind(schema: inout Schema, columns: ColumnBindings) {}
    func processAll(_ records: inout [Record]) throws {
        seen.withLock { $0 = records.count }
        var firstLine: [String: Int] = [:]
        for i in records.indices where records[i].isActive {
            let key = records[i].values[1]
            if let line = firstLine[key] { records[i].disposition = .merged(intoLine: line) } else { firstLine[key] = records[i].line }
        }
    }
}

/// A broken whole-list stage that drops records.
struct DroppingStage: Stage {
    static let descriptor = StageDescriptor(name: "dropping", summary: "test", options: OptionSchema([]))
    var mode: StageMode { .wholeList }
    init(options: OptionValues, context: StageContext) {}
    init() {}
    mutating func bind(schema: inout Schema, columns: ColumnBindings) {}
    mutating func processAll(_ records: inout [Record]) throws { records.removeLast() }
}

/// A whole-list value-type stage that counts what it saw in its own stored property.
struct CountingWholeListStage: Stage {
    static let descriptor = StageDescriptor(name: "counting", summary: "test", options: OptionSchema([]))
    var mode: StageMode { .wholeList }
    var seen = 0
    init(options: OptionValues, context: StageContext) {}
    init() {}
    mutating func bind(schema: inout Schema, columns: ColumnBindings) {}
    mutating func processAll(_ records: inout [Record]) throws { seen = records.count }
    func summary() -> [(String, ReportValue)] { [("seen", .integer(seen))] }
}

/// Counts the ids it sees, and the first and last, as a summary value: merged in input order, the
/// figures are the same whatever the number of jobs.
struct CountingStage: ChunkStage {
    static let descriptor = StageDescriptor(name: "counting", summary: "test", options: OptionSchema([]))
    struct Counts: StageSummary {
        var rows = 0
        var ids: [String] = []
        mutating func merge(_ other: Counts) {
            rows += other.rows
            ids += other.ids
        }
    }
    init(options: OptionValues, context: StageContext) {}
    init() {}
    mutating func bind(schema: inout Schema, columns: ColumnBindings) {}
    func emptySummary() -> Counts { Counts() }
    func process(_ records: inout [Record], counting counts: inout Counts) {
        for record in records where record.isActive {
            counts.rows += 1
            counts.ids.append(record.values[0])
        }
    }
    func report(_ counts: Counts) -> [(String, ReportValue)] {
        [("rows", .integer(counts.rows)), ("first", .string(counts.ids.first ?? "")), ("last", .string(counts.ids.last ?? "")),
         ("in_order", .bool(counts.ids == counts.ids.sorted { Int($0)! < Int($1)! }))]
    }
}
