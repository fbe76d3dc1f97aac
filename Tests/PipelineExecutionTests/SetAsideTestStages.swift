import Foundation
import LeadRecords
import PipelineSpec
import Synchronization

/// Adds a long `note` column to every row, so a held row has values a whole-list stage does not touch.
struct NotingStage: Stage, UncountedStage {
    static let descriptor = StageDescriptor(name: "noting", summary: "test", options: OptionSchema([]))
    var note = ColumnIndex(-1)
    init(options: OptionValues, context: StageContext) {}
    init() {}
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage {
        var bound = self
        bound.note = schema.addColumn("note")
        return .streaming(bound)
    }
    func process(_ records: inout [Record]) {
        for i in records.indices where records[i].isActive {
            records[i][note] = "note for row \(records[i].values[0]), with ümlauts, \"quotes\" and a comma"
        }
    }
}

/// What a whole-list test stage saw of the rows it held.
final class HeldRowsSeen: Sendable {
    private let seen = Mutex<(touchedEmpty: Int, untouchedFilled: Int, wholeRowsWithID: Int)>((0, 0, 0))
    var touchedEmpty: Int { seen.withLock { $0.touchedEmpty } }
    var untouchedFilled: Int { seen.withLock { $0.untouchedFilled } }
    var wholeRowsWithID: Int { seen.withLock { $0.wholeRowsWithID } }
    func add(touchedEmpty: Int, untouchedFilled: Int, wholeRowsWithID: Int) {
        seen.withLock {
            $0.touchedEmpty += touchedEmpty
            $0.untouchedFilled += untouchedFilled
            $0.wholeRowsWithID += wholeRowsWithID
        }
    }
}

/// A whole-list stage that labels each active row with its key and how many active rows share it. It reads
/// `key` and writes `label`; when `declares` it says so (and that rows with key `k0` need every column, and
/// inactive rows none), so the executor sets the other values aside while it runs.
struct LabelByKeyStage: Stage, WholeListStage {
    static let descriptor = StageDescriptor(name: "label_by_key", summary: "test", options: OptionSchema([]))
    let declares: Bool
    let seen: HeldRowsSeen
    var key = ColumnIndex(1), label = ColumnIndex(-1)
    init(options: OptionValues, context: StageContext) { self.init(declares: false, seen: HeldRowsSeen()) }
    init(declares: Bool, seen: HeldRowsSeen) {
        self.declares = declares
        self.seen = seen
    }
    func bound(schema: inout Schema, columns: ColumnBindings) -> BoundStage {
        var bound = self
        bound.label = schema.addColumn("label")
        return .wholeList(bound)
    }
    var touchedColumns: TouchedColumns? {
        guard declares else { return nil }
        let key = self.key
        return TouchedColumns(positions: [key.position, label.position]) { record in
            guard record.isActive else { return .nothing }
            return record[key] == "k0" ? .wholeRow : .touchedColumns
        }
    }
    func processAll(_ records: inout [Record]) throws -> Int {
        var counts: [String: Int] = [:]
        for record in records where record.isActive { counts[record[key], default: 0] += 1 }
        var touchedEmpty = 0, untouchedFilled = 0, wholeRowsWithID = 0
        for i in records.indices where records[i].isActive {
            if records[i].isEmpty(key) { touchedEmpty += 1 }
            let others = (0..<records[i].fields.count).filter { $0 != key.position && $0 != label.position && !records[i].fields.isEmpty($0) }
            if records[i][key] == "k0" { wholeRowsWithID += records[i].isEmpty(ColumnIndex(0)) ? 0 : 1 } else { untouchedFilled += others.count }
            records[i][label] = "\(records[i][key])×\(counts[records[i][key]]!)"
        }
        seen.add(touchedEmpty: touchedEmpty, untouchedFilled: untouchedFilled, wholeRowsWithID: wholeRowsWithID)
        return records.count
    }
    func report(_ seen: Int) -> [(String, ReportValue)] { [("seen", .integer(seen))] }
}
