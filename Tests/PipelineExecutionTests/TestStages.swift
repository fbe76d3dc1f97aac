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
