import ComplianceStage
import DecayStage
import DedupeStage
import EmailCheckStage
import FirmographicMergeStage
import NormalizeStage
import PipelineSpec
import RouteStage
import ScoreStage
import ScrapeStage

/// Every stage a pipeline file may name. Adding a stage: its module, and one line here.
public enum StageRegistry {
    public static let stages: [any Stage.Type] = [
        NormalizeStage.self,
        EmailCheckStage.self,
        ScrapeStage.self,
        DedupeStage.self,
        FirmographicMergeStage.self,
        DecayStage.self,
        ScoreStage.self,
        RouteStage.self,
        ComplianceStage.self,
    ]

    public static var descriptors: [StageDescriptor] { stages.map { $0.descriptor } }
}
