import LeadRecords
import PipelineSpec

public struct NormalizeStage: Stage {
    public static let descriptor = StageDescriptor(name: "normalize", summary: "Cleans and standardizes lead fields.",
                                                   options: OptionSchema([]))
    public init(options: OptionValues, context: StageContext) throws {}
    public mutating func bind(schema: inout Schema, columns: ColumnBindings) throws {}
}
