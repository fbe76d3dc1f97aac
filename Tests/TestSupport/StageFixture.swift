import Foundation
import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// Builds a stage from YAML options exactly as the CLI decodes them, and records from a small table.
public struct StageFixture {
    /// Decodes `options` (the YAML body under the stage's name) with the pipeline-file loader.
    public static func options(_ yaml: String, stage: StageDescriptor) throws -> OptionValues {
        let body = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let text = "name: t\ninput: { path: leads.csv }\nstages:\n  - \(stage.name):\n\(body)\n"
        let (file, diagnostics) = PipelineFileLoader(stages: [stage]).decodeCollecting(text, file: "t.yml")
        if let problem = diagnostics.first { throw OptionProblem(problem.message) }
        return try require(file?.stages.first?.options)
    }

    /// Builds, binds and returns a stage over a `|`-separated table, with every canonical field mapped by name.
    public static func stage<S: Stage>(_ type: S.Type, _ yaml: String, context: StageContext, table text: String,
                                columns: [CanonicalField: String]) throws -> (stage: BoundStage, schema: Schema, records: [Record]) {
        let built = try S(options: try options(yaml, stage: S.descriptor), context: context)
        var (schema, records) = table(text)
        var bindings = ColumnBindings()
        for (field, name) in columns { bindings[field] = schema.index(of: name) }
        let stage = try built.bound(schema: &schema, columns: bindings)
        for i in records.indices where records[i].values.count < schema.count {
            records[i].values += Array(repeating: "", count: schema.count - records[i].values.count)
        }
        return (stage, schema, records)
    }

    /// A schema and records from `|`-separated rows, the first being the header.
    public static func table(_ text: String) -> (schema: Schema, records: [Record]) {
        let lines = text.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map { String($0) } }
        let schema = Schema(inputColumns: lines[0])
        let records = lines.dropFirst().enumerated().map { Record(values: $1, line: $0 + 2) }
        return (schema, records)
    }
}

/// `#require` for test helpers that are not themselves tests.
public func require<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw OptionProblem(message) }
    return value
}
