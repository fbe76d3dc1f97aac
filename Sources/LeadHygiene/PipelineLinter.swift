import PipelineSpec

/// `leadhygiene lint`: every problem of a pipeline file, checked against its input's header.
public enum PipelineLinter {
    /// The diagnostics for a pipeline file; empty when it is valid.
    public static func lint(path: String, overrides: RunOverrides = RunOverrides(),
                            registry: [any Stage.Type] = StageRegistry.stages) -> [Diagnostic] {
        do {
            return try PreparedPipeline.prepare(path: path, overrides: overrides, lintOnly: true, registry: registry).diagnostics
        } catch let error as PipelineFileError {
            return error.diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        } catch {
            return [Diagnostic(file: path, location: .start, message: "\(error)")]
        }
    }
}
