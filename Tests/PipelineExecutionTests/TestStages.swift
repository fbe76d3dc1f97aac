import Foundation
import LeadRecords
import PipelineSpec
import Synchronization

/// A streaming test stage that leaves its figures to the executor's row counts.
protocol UncountedStage: StreamingStage where Summary == NoFigures {
    func process(_ records: inout [Record])
}

extension UncountedStage {
    func emptySummary() -> NoFigures { NoFigures() }
    func process(_ records: inout [Record], counting summary: inout NoFigures) { process(&records) }
    func report(_ summary: NoFigures) -> [(String, ReportValue)] { [] }
}

/// Appends a tag to column 1 after a pseudo-random amount of work, so chunks finish out of order.
struct UnevenWorkStage: Stage {
    static let descriptor = StageDescriptor(name: "uneven", summary: "test", options: OptionSchema([]))
    init(options: OptionValues, context: StageContext) {}
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage { .streaming(Tagging(tag: schema.addColumn("tag"))) }

    struct Tagging: UncountedStage {
        let tag: ColumnIndex
        func process(_ records: inout [Record]) {
            let first = Int(records.first?.values[0] ?? "0") ?? 0
            usleep(useconds_t((first * 7919) % 5 * 1000))
            for i in records.indices where records[i].isActive { records[i][tag] = "seen:" + records[i].values[0] }
        }
    }
}

/// Rejects records whose id is a multiple of `every`.
struct RejectMultiplesStage: Stage, UncountedStage {
    static let descriptor = StageDescriptor(name: "reject_multiples", summary: "test", options: OptionSchema([]))
    let every: Int
    init(options: OptionValues, context: StageContext) { every = 3 }
    init(every: Int) { self.every = every }
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage { .streaming(self) }
    func process(_ records: inout [Record]) {
        for i in records.indices where records[i].isActive && (Int(records[i].values[0]) ?? 1) % every == 0 {
            records[i].reject(ReasonCode("test_multiple", "test"), stage: "reject_multiples")
        }
    }
}

/// A whole-list stage: merges every record into the first record with the same value in column 1,
/// and returns how many records it saw at once.
struct MergeSameKeyStage: Stage, WholeListStage {
    static let descriptor = StageDescriptor(name: "merge_same_key", summary: "test", options: OptionSchema([]))
    init(options: OptionValues, context: StageContext) {}
    init() {}
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage { .wholeList(self) }
    func processAll(_ records: inout [Record]) throws -> Int {
        var firstLine: [String: Int] = [:]
        for i in records.indices where records[i].isActive {
            let key = records[i].values[1]
            if let line = firstLine[key] { records[i].disposition = .merged(intoLine: line) } else { firstLine[key] = records[i].line }
        }
        return records.count
    }
    func report(_ seen: Int) -> [(String, ReportValue)] { [("seen", .integer(seen))] }
}

/// A broken whole-list stage that drops records.
struct DroppingStage: Stage, WholeListStage {
    static let descriptor = StageDescriptor(name: "dropping", summary: "test", options: OptionSchema([]))
    init(options: OptionValues, context: StageContext) {}
    init() {}
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage { .wholeList(self) }
    func processAll(_ records: inout [Record]) throws -> Int {
        records.removeLast()
        return records.count
    }
    func report(_ seen: Int) -> [(String, ReportValue)] { [] }
}

/// Counts the ids it sees, and the first and last, as a summary value: merged in input order, the
/// figures are the same whatever the number of jobs.
struct CountingStage: Stage, StreamingStage {
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
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage { .streaming(self) }
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
