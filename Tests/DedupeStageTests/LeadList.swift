import Foundation
import LeadRecords
import LeadSampleGenerator
import PipelineSpec
@testable import DedupeStage

/// A lead list for stage tests: generated leads (seeded, with true entities) plus hand-written rows,
/// bound to canonical fields as a pipeline file's `columns:` would bind them.
struct LeadList {
    var schema: Schema
    var records: [Record]
    /// True entity per row (generated rows: the generator's; hand-written rows: given).
    var truth: [String]
    var bindings: ColumnBindings

    static let columns = LeadSampleGenerator.leadColumns

    init(generated rows: Int, seed: UInt64 = 7, extra: [(values: [String], entity: String)] = []) {
        var config = LeadSampleGenerator.Configuration(rows: rows, seed: seed)
        config.malformedRows = 0
        var generator = LeadSampleGenerator(config)
        var records: [Record] = [], truth: [String] = []
        generator.generate { row in
            records.append(Record(values: row.values, line: records.count + 2))
            truth.append(row.entityID)
        }
        for row in extra {
            records.append(Record(values: row.values, line: records.count + 2))
            truth.append(row.entity)
        }
        schema = Schema(inputColumns: Self.columns)
        self.records = records
        self.truth = truth
        var bindings = ColumnBindings()
        let fields: [(String, CanonicalField)] = [
            ("Lead ID", .recordID), ("First Name", .firstName), ("Last Name", .lastName), ("Email", .email), ("Title", .title),
            ("Company", .company), ("Website", .website), ("Phone", .phone), ("Country", .country), ("City", .city),
            ("Source", .source), ("Last Verified At", .lastVerifiedAt), ("Last Activity At", .lastActivityAt),
        ]
        for (column, field) in fields { bindings[field] = schema.index(of: column) }
        self.bindings = bindings
    }

    /// One hand-written lead row in ``columns`` order.
    static func row(_ id: String, _ first: String, _ last: String, _ email: String, company: String, phone: String = "",
                    title: String = "Engineer", city: String = "Springfield", source: String = "crm_export",
                    activity: String = "") -> [String] {
        [id, first, last, email, title, company, "", phone, "US", city, source, "", activity]
    }

    /// Runs the stage with `options` over the list; returns what the run found.
    @discardableResult
    mutating func dedupe(_ options: [String: OptionValue] = [:], memory: (any EntityIDMemory)? = nil) throws -> DedupeRun {
        var stage = try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options, given: options),
                                    context: StageContext(pipelineFile: "test.yml"))
        stage.entityIDMemory = memory
        return try stage.bind(schema: &schema, columns: bindings).processAll(&records)
    }

    func column(_ name: String) -> [String] {
        let index = schema.index(of: name)!
        return records.map { $0[index] }
    }

    func row(withID id: String) -> Record { records.first { $0.values[0] == id }! }

    func value(_ column: String, ofID id: String) -> String { row(withID: id)[schema.index(of: column)!] }
}
