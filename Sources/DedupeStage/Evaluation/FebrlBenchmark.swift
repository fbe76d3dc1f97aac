import Foundation
import LeadRecords
import PipelineSpec
import LeadFacts

/// The FEBRL 1–3 record-linkage benchmark (Christen, ANU): person records with known duplicates.
///
/// Runs the real `dedupe` stage, configured as a pipeline file would configure it for these columns
/// (no labels, EM only), and scores the entities against the files' `entity_id`, which the matcher never sees.
package enum FebrlBenchmark {
    /// The files of the benchmark.
    public static let files = ["febrl1.csv", "febrl2.csv", "febrl3.csv"]

    /// The stage options for the FEBRL columns, equivalent to this pipeline-file section:
    /// ```yaml
    /// - dedupe:
    ///     record_key: rec_id
    ///     fields:
    ///       - {name: given_name, columns: [given_name], comparator: name, term_frequency: true, swap_with: surname}
    ///       - {name: surname, columns: [surname], comparator: name, term_frequency: true}
    ///       - {name: street_number, columns: [street_number], comparator: exact}
    ///       - {name: address_1, columns: [address_1], comparator: address}
    ///       - {name: address_2, columns: [address_2], comparator: address}
    ///       - {name: suburb, columns: [suburb], comparator: string, term_frequency: true}
    ///       - {name: postcode, columns: [postcode], comparator: exact, term_frequency: true}
    ///       - {name: state, columns: [state], comparator: exact}
    ///       - {name: date_of_birth, columns: [date_of_birth], comparator: date}
    ///       - {name: soc_sec_id, columns: [soc_sec_id], comparator: string}
    ///     blocking: [soc_sec_id, given_name & surname, date_of_birth, postcode + surname.soundex, suburb + given_name.initial,
    ///                street_number + address_1, postcode + suburb, given_name.soundex & surname.soundex]
    /// ```
    public static func options() -> OptionValues {
        func field(_ name: String, _ comparator: ComparatorKind, tf: Bool = false, swap: String? = nil) -> OptionValue {
            var given: [String: OptionValue] = [
                "name": .string(name), "columns": .list([.string(name)]), "comparator": .string(comparator.rawValue),
                "term_frequency": .bool(tf),
            ]
            if let swap { given["swap_with"] = .string(swap) }
            return .object(OptionValues(schema: DedupeStageOptions.field, given: given))
        }
        let fields: [OptionValue] = [
            field("given_name", .name, tf: true, swap: "surname"), field("surname", .name, tf: true),
            field("street_number", .exact), field("address_1", .address), field("address_2", .address),
            field("suburb", .string, tf: true), field("postcode", .exact, tf: true), field("state", .exact),
            field("date_of_birth", .date), field("soc_sec_id", .string),
        ]
        let blocking: [OptionValue] = ["soc_sec_id", "given_name & surname", "date_of_birth", "postcode + surname.soundex",
                                       "suburb + given_name.initial", "street_number + address_1", "postcode + suburb",
                                       "given_name.soundex & surname.soundex"].map { .list([.string($0)]) }
        return OptionValues(schema: DedupeStageOptions.schema, given: [
            "fields": .list(fields), "blocking": .list(blocking), "record_key": .string("rec_id"), "explain": .bool(false),
        ])
    }

    /// One file's result.
    public struct Result: Sendable {
        public var file: String
        public var rows: Int
        public var evaluation: PairwiseEvaluation
        public var seconds: Double
        public var statistics: DedupeStatistics
        /// Pairs of the same true entity left apart, and of different entities put together (at most 20 each), explained.
        public var errors: [String]
    }

    /// The name the files' `entity_id` column gets on loading.
    package static let truthColumnName = "true_entity_id"

    /// Reads one FEBRL CSV (plain comma-separated, no quoting) into a schema and records.
    public static func load(_ path: String) throws -> (Schema, [Record]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
        // The truth column is renamed so the stage's own `entity_id` column is a new one, and the matcher never reads it.
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0 == "entity_id" ? truthColumnName : String($0) }
        let records = lines.enumerated().map { i, line in
            Record(values: line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }, line: i + 2)
        }
        return (Schema(inputColumns: header), records)
    }

    /// Deduplicates one file with the stage and scores it.
    public static func run(path: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, explainErrors: Bool = false) throws -> Result {
        var (schema, records) = try load(path)
        guard let truthColumn = schema.index(of: truthColumnName) else { throw OptionProblem("\(path) has no entity_id column") }
        let truth = records.map { $0[truthColumn] }
        let start = MonotonicClock.now()
        var stage = try DedupeStage(options: options(), context: StageContext(pipelineFile: "febrl", jobs: jobs))
        stage.keepsResolution = explainErrors
        let bound = try stage.bind(schema: &schema, columns: ColumnBindings())
        let run = try bound.processAll(&records)
        let seconds = MonotonicClock.seconds(since: start)
        let predicted = records.map { $0[bound.entityColumn] }
        var errors: [String] = []
        if let resolution = run.resolution {
            var byTruth: [String: [Int]] = [:], byPredicted: [String: [Int]] = [:]
            for row in records.indices { byTruth[truth[row], default: []].append(row); byPredicted[predicted[row], default: []].append(row) }
            func describe(_ a: Int, _ b: Int, _ kind: String) -> String {
                "\(kind) \(records[a].values.joined(separator: ",")) | \(records[b].values.joined(separator: ",")) | "
                    + resolution.matcher.explain(a, b).description + String(format: " p=%.4f", resolution.matcher.explain(a, b).probability)
            }
            for rows in byTruth.values.sorted(by: { $0[0] < $1[0] }) where errors.count < 20 {
                for i in rows.indices { for j in rows.indices where j > i && predicted[rows[i]] != predicted[rows[j]] && errors.count < 20 {
                    errors.append(describe(rows[i], rows[j], "missed"))
                } }
            }
            for rows in byPredicted.values.sorted(by: { $0[0] < $1[0] }) where errors.count < 40 {
                for i in rows.indices { for j in rows.indices where j > i && truth[rows[i]] != truth[rows[j]] && errors.count < 40 {
                    errors.append(describe(rows[i], rows[j], "wrong"))
                } }
            }
        }
        return Result(file: (path as NSString).lastPathComponent, rows: records.count,
                      evaluation: PairwiseEvaluation(predicted: predicted, truth: truth), seconds: seconds,
                      statistics: run.statistics, errors: errors)
    }
}
