import ArgumentParser
import Foundation
import LeadHygiene
import PipelineSpec

/// `leadhygiene`: cleans and enriches B2B lead lists with declarative pipeline files.
struct LeadHygieneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadhygiene",
        abstract: "Clean, deduplicate, verify and enrich B2B lead lists with a declarative pipeline file.",
        discussion: """
        Exit codes: 0 success; 1 the run failed (the input missing or unreadable, a disk error, a fail_if \
        threshold crossed, accounting broken, not enough memory); 2 usage or pipeline-file error; 141 standard \
        output closed by its reader.

        Environment (a flag wins over its variable, the variable over the pipeline file): LEADHYGIENE_STORE \
        (run --store), LEADHYGIENE_JOBS (run --jobs), LEADHYGIENE_LOG_LEVEL (--log-level) and \
        LEADHYGIENE_LOG_FORMAT (--log-format) of every command that does work: run, lint, check-email, \
        explain-match, store, report html.
        """,
        version: ToolVersion.current,
        subcommands: [RunCommand.self, LintCommand.self, StagesCommand.self, ReasonsCommand.self, CheckEmailCommand.self,
                      ExplainMatchCommand.self, StoreCommand.self, ReportCommand.self, ForgetCommand.self,
                      EnvelopeCommand.self, DedupeCommand.self])
}

/// Writes to standard error (Swift 6 rejects the C `stderr` global).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Exit codes of the CLI contract.
enum ExitStatus {
    static let success: Int32 = 0
    static let runFailed: Int32 = 1
    static let usage: Int32 = 2

    /// How a command ends for an error from preparing or running a pipeline, said on standard error: a pipeline
    /// file's problem (its message names file:line:col) is a usage error, an exit already decided stands, and
    /// anything else failed the run, its message after `failure`.
    static func exit(for error: any Error, failure: String = "error") -> ExitCode {
        switch error {
        case let error as PipelineFileError:
            printError(error.description)
            return ExitCode(usage)
        case let error as ExitCode:
            return error
        default:
            printError("\(failure): \(error)")
            return ExitCode(runFailed)
        }
    }
}
