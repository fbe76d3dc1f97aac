import EmailCheckStage
import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// `output.split_by`: the clean rows written again, one file per value of a column, beside the clean output —
/// what people handing a list to an email service provider want (upload the valid file, review the risky one).
///
/// Only columns a stage fills from a small closed set of values can be split on; today that is email_check's
/// `email_status`. Every file of the set is written on every run, with only the header when no row has its
/// value, so a file left by an earlier run never stands beside this run's files looking current.
struct OutputSplit: Sendable {
    /// The column split on.
    var column: String
    /// Value → the file its rows go to, in the order the values are listed.
    var files: [(value: String, path: String)]
    /// Rows whose value is not one of `files` (none today: email_check gives every row a status) go here.
    var fallbackValue: String

    /// Columns that can be split on, with the values their stage writes and the file for any other value.
    static let splittable: [(column: String, values: [String], fallback: String)] = [
        (EmailCheckStage.Columns.status, EmailStatus.allCases.map(\.rawValue), EmailStatus.unknown.rawValue),
    ]

    /// The split of `output.split_by` for a clean output at `outputPath`; `nil` when there is none or it is not valid
    /// (``diagnostics(for:outputPath:file:)`` says why).
    init?(settings: OutputSettings, outputPath: String) {
        guard let column = settings.splitBy, outputPath != "-",
              let known = Self.splittable.first(where: { $0.column == column }) else { return nil }
        self.column = column
        files = known.values.compactMap { value in RunFiles.siblingPath(of: outputPath, kind: value).map { (value, $0) } }
        fallbackValue = known.fallback
    }

    /// Problems with `output.split_by`: a column nobody can split on, a pipeline without the stage that writes
    /// it, or a clean output on standard output, which has no folder to put the files in.
    static func diagnostics(for pipeline: PipelineFile, outputPath: String, file: String) -> [Diagnostic] {
        guard let column = pipeline.output.splitBy else { return [] }
        let location = pipeline.output.splitByLocation ?? .start
        let names = splittable.map(\.column)
        guard names.contains(column) else {
            return [Diagnostic(file: file, location: location,
                               message: "output split_by names '\(column)', which no stage writes as a small set of values; "
                                   + "it can split on \(names.joined(separator: ", "))" + NearestName.hint(for: column, among: names))]
        }
        var diagnostics: [Diagnostic] = []
        if !pipeline.stages.contains(where: { $0.descriptor.addedColumns.contains(column) }) {
            let writer = column == EmailCheckStage.Columns.status ? " (email_check writes it)" : ""
            diagnostics.append(Diagnostic(file: file, location: location,
                                          message: "output split_by: \(column) needs a stage that writes \(column)\(writer), "
                                              + "and this pipeline has none; add it to stages:"))
        }
        if outputPath == "-" {
            diagnostics.append(Diagnostic(file: file, location: location,
                                          message: "output split_by writes files beside the clean output, which goes to standard output here; "
                                              + "give output a path"))
        }
        return diagnostics
    }
}
