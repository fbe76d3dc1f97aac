import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// Finds the names of `output.columns` in a run's schema: the input's columns and those the stages added.
package enum OutputColumnResolver {
    /// The schema columns, in the order given, and a diagnostic at each name the schema does not have.
    ///
    /// - Parameters:
    ///   - chosen: the names as written in the pipeline file (already free of repeats).
    ///   - schema: the schema after every stage has bound its columns.
    ///   - file: the pipeline file, to name in diagnostics.
    public static func resolve(_ chosen: [OutputColumn], in schema: Schema, file: String)
        -> (columns: [ColumnIndex], diagnostics: [Diagnostic]) {
        var columns: [ColumnIndex] = []
        var diagnostics: [Diagnostic] = []
        for column in chosen {
            if let index = schema.index(of: column.name) {
                columns.append(index)
            } else {
                diagnostics.append(Diagnostic(
                    file: file, location: column.location ?? .start,
                    message: "output column '\(column.name)' is neither an input column nor one a stage adds"
                        + NearestName.hint(for: column.name, among: schema.columns)))
            }
        }
        return (columns, diagnostics)
    }
}
