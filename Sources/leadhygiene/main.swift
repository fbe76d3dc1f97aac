import ArgumentParser
import Foundation

MallocTuning.keepChunkBuffersInHeap()
// A closed standard output (`leadhygiene run … --output - | head`) becomes EPIPE on write, which the run
// handles (temporary files removed, exit 141), instead of a SIGPIPE that kills it mid-write.
signal(SIGPIPE, SIG_IGN)
// A file-size limit (`ulimit -f`) becomes EFBIG on write, which fails the run with nothing published, or makes
// dedupe hold its rows whole, instead of a SIGXFSZ that kills the process and leaves its files half-written.
signal(SIGXFSZ, SIG_IGN)

// Parsed by hand so that usage errors exit 2 (ArgumentParser's default is 64), as the CLI contract says.
do {
    var command = try LeadHygieneCommand.parseAsRoot()
    try command.run()
} catch {
    let code = LeadHygieneCommand.exitCode(for: error)
    if code == .success {
        LeadHygieneCommand.exit(withError: error)
    } else if error is ExitCode {
        exit(code.rawValue)
    } else if code == .validationFailure || code.rawValue == 64 {
        printError(LeadHygieneCommand.fullMessage(for: error))
        printError("Run 'leadhygiene --help' for usage.")
        exit(ExitStatus.usage)
    } else {
        printError(LeadHygieneCommand.fullMessage(for: error))
        exit(code.rawValue == 0 ? 0 : ExitStatus.runFailed)
    }
}
