import ArgumentParser
import LeadHygiene
import PipelineSpec

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a pipeline file against its input; print FILE:LINE:COL: message per problem and exit 2 if any.")

    @Argument(help: "The pipeline file (YAML).") var pipeline: String
    @Option(help: "Input file to check the columns against, overriding input.path.") var input: String?
    @OptionGroup var logging: LogOptions

    func run() throws {
        let log = try CommandLog("lint", logging)
        log.started(["pipeline": .string(pipeline)])
        let diagnostics = PipelineLinter.lint(path: pipeline, overrides: RunOverrides(input: input))
        log.finished("checked the pipeline file", [
            "errors": .stringConvertible(diagnostics.count { $0.severity == .error }),
            "problems": .stringConvertible(diagnostics.count),
        ])
        for diagnostic in diagnostics.prefix(PipelineFileError.printedLimit) { print(diagnostic.description) }
        if diagnostics.count > PipelineFileError.printedLimit {
            print("… and \(diagnostics.count - PipelineFileError.printedLimit) more problems")
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(ExitStatus.usage) }
    }
}

struct ReasonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reasons", abstract: "List every reason code a row can be rejected or flagged with.")

    func run() { print(StageCatalog.reasonsText(), terminator: "") }
}
