import PipelineFileLoading
import PipelineSpec

/// What `lint` says about where `compliance` stands in a pipeline with a store: stages before it see every
/// row, people erased with `leadhygiene forget` too, and some of them keep what they see in the store
/// (dedupe's entity keys, email_check's SMTP answers). docs/privacy.md.
enum ErasureOrder {
    /// Stages that write rows' values into the store as they run.
    static let remembering: Set<String> = ["dedupe", "email_check"]

    static func check(_ pipeline: PipelineFile, file: String) -> [Diagnostic] {
        guard pipeline.storePath != nil, let position = pipeline.stages.firstIndex(where: { $0.name == "compliance" }) else { return [] }
        let before = pipeline.stages[..<position].filter { remembering.contains($0.name) }
        guard !before.isEmpty else { return [] }
        let names = before.map { "'\($0.name)'" }.joined(separator: " and ")
        return [Diagnostic(file: file, location: pipeline.stages[position].location ?? .start, severity: .warning,
                           message: "\(names) run\(before.count == 1 ? "s" : "") before 'compliance' and keep\(before.count == 1 ? "s" : "") "
                               + "what it sees in the store, so a person erased with `leadhygiene forget` is stored again before "
                               + "compliance rejects them; put compliance first")]
    }
}
