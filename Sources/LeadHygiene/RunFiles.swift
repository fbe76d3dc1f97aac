import Foundation
import LeadIO
import PipelineFileLoading
import PipelineSpec

/// Every file one run reads or writes, resolved from the pipeline file and the command line, so that
/// lint and run can refuse, before a row is read, two that name one file: an output over the input,
/// the report over the clean list, rejects over the output (each of which once destroyed a file).
public struct RunFiles: Sendable {
    /// One file of the run.
    public struct File: Sendable {
        /// How a message names it: `output`, `rejects`, `option 'review' of stage 'dedupe'`.
        public var role: String
        public var path: String
        public var writes: Bool
        /// Where the pipeline file set it; `nil` when it came from the command line or a default.
        public var location: SourceLocation?
    }

    public var output: String
    public var rejects: String?
    public var merged: String?
    public var report: String?
    /// `output.html_report`: the report as an HTML page.
    package var htmlReport: String?
    /// `output.split_by`: the clean rows once more, one file per value, beside the output.
    var split: OutputSplit?
    public private(set) var files: [File] = []

    init(pipeline: PipelineFile, pipelinePath: String, inputPath: String?, overrides: RunOverrides) {
        let settings = pipeline.output
        output = overrides.output ?? settings.path ?? "-"
        rejects = overrides.rejects ?? settings.rejectsPath ?? Self.siblingPath(of: output, kind: "rejects")
        // Rows a merge folds away are kept like rejects are, so no person disappears without a trace.
        let merges = pipeline.stages.contains { $0.name == "dedupe" && $0.options.string("mode") == "merge" }
        merged = overrides.merged ?? settings.mergedPath ?? (merges ? Self.siblingPath(of: output, kind: "merged") : nil)
        report = overrides.report ?? settings.reportPath
        htmlReport = overrides.htmlReport ?? settings.htmlReportPath
        func fromFile(_ key: String, overridden: Bool) -> SourceLocation? {
            overridden ? nil : settings.pathLocations[key]
        }
        files.append(File(role: "pipeline file", path: pipelinePath, writes: false, location: nil))
        if let inputPath {
            files.append(File(role: "input", path: inputPath, writes: false,
                              location: overrides.input == nil ? pipeline.input.pathLocation : nil))
        }
        files.append(File(role: "output", path: output, writes: true, location: fromFile("path", overridden: overrides.output != nil)))
        split = OutputSplit(settings: settings, outputPath: output)
        for (value, path) in split?.files ?? [] {
            files.append(File(role: "output split '\(value)'", path: path, writes: true, location: settings.splitByLocation))
        }
        if let rejects {
            files.append(File(role: "rejects", path: rejects, writes: true,
                              location: fromFile("rejects", overridden: overrides.rejects != nil)))
        }
        if let merged { files.append(File(role: "merged", path: merged, writes: true, location: fromFile("merged", overridden: false))) }
        if let report {
            files.append(File(role: "report", path: report, writes: true, location: fromFile("report", overridden: overrides.report != nil)))
        }
        if let htmlReport {
            files.append(File(role: "html_report", path: htmlReport, writes: true, location: fromFile("html_report", overridden: false)))
        }
        if let store = pipeline.storePath {
            files.append(File(role: "store", path: store, writes: true, location: pipeline.storeLocation))
        }
        for invocation in pipeline.stages {
            Self.collectPaths(invocation.options, context: "stage '\(invocation.name)'", into: &files)
        }
    }

    /// The files the run writes besides the store, as absolute paths with their role (standard output left out):
    /// what the store records per run for `leadhygiene forget`.
    package var writtenFiles: [(role: String, path: String)] {
        files.filter { $0.writes && $0.role != "store" && $0.path != "-" && !$0.path.hasPrefix("/dev/") }.map { file in
            (file.role, Self.absolutePath(file.path))
        }
    }

    /// `path` from the working directory, as the store keeps a run's files (`leadhygiene forget` names them from anywhere).
    package static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardized.path
    }

    /// The paths the run publishes, for finishing an interrupted publish and removing stale temporary files.
    package var publishedPaths: [String] { [output, rejects, merged, report, htmlReport].compactMap { $0 } + (split?.files.map(\.path) ?? []) }

    /// One error per pair of files that are one file on disk where at least one of them is written,
    /// placed where the later of the two was set.
    package func collisions(pipelinePath: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let identities = files.map { OutputPath.identity(of: $0.path) }
        for j in files.indices {
            for i in 0..<j {
                guard let a = identities[i], a == identities[j], files[i].writes || files[j].writes else { continue }
                let (first, second) = (files[i], files[j])
                let same = first.path == second.path ? "'\(first.path)'" : "'\(first.path)' and '\(second.path)' (one file on disk)"
                let set = second.location == nil && first.location == nil ? " (set on the command line or by default)" : ""
                diagnostics.append(Diagnostic(
                    file: pipelinePath, location: second.location ?? first.location ?? .start,
                    message: "\(first.role) and \(second.role) name the same file, \(same)\(set); the run would overwrite "
                        + "\(second.writes ? "the \(first.role)" : "the \(second.role)") — give each its own path"))
            }
        }
        return diagnostics + filesInInputFolder(pipelinePath: pipelinePath)
    }

    /// A file the run writes straight into an input that is a folder of parts: the next run would read it as a part
    /// (an output with the parts' header as more rows, anything else as a part with another header).
    private func filesInInputFolder(pipelinePath: String) -> [Diagnostic] {
        guard let input = files.first(where: { $0.role == "input" }), PreparedPipeline.isFolder(input.path),
              let folder = OutputPath.identity(of: input.path) else { return [] }
        return files.filter { $0.writes && $0.path != "-" }.compactMap { file in
            let parent = (Self.absolutePath(file.path) as NSString).deletingLastPathComponent
            guard OutputPath.identity(of: parent) == folder else { return nil }
            return Diagnostic(file: pipelinePath, location: file.location ?? input.location ?? .start,
                              message: "\(file.role) '\(file.path)' is inside the input folder '\(input.path)', whose files are read as "
                                + "its parts: the next run would read it as input — write it elsewhere")
        }
    }

    /// `out/leads.clean.csv` → `out/leads.clean.KIND.csv`; none when the output is standard output.
    static func siblingPath(of output: String, kind: String) -> String? {
        guard output != "-" else { return nil }
        let nameStart = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
        guard let dot = output[nameStart...].lastIndex(of: "."), dot > nameStart else { return output + ".\(kind).csv" }
        return String(output[..<dot]) + ".\(kind)" + String(output[dot...])
    }

    /// The path options of a stage (and of its nested objects), read or written.
    private static func collectPaths(_ values: OptionValues, context: String, into files: inout [File]) {
        for spec in values.schema.options where values.isSet(spec.name) {
            let role = "option '\(spec.name)' of \(context)"
            switch spec.type {
            case .path, .outputPath:
                if let path = values.string(spec.name), !path.isEmpty {
                    let writes = if case .outputPath = spec.type { true } else { false }
                    files.append(File(role: role, path: path, writes: writes, location: values.location(of: spec.name)))
                }
            case .object:
                collectPaths(values.object(spec.name), context: context, into: &files)
            case .list(.object):
                for item in values.objects(spec.name) { collectPaths(item, context: context, into: &files) }
            default:
                break
            }
        }
    }
}
