import Foundation
import Logging

/// The log lines of a command other than `run`, through the same `--log-level`/`--log-format` (and
/// `LEADHYGIENE_LOG_LEVEL`/`LEADHYGIENE_LOG_FORMAT`) as a run's: at info a line when the command starts
/// and one when it ends, with what it did and its seconds, so a scheduled maintenance job (`store prune`,
/// `store vacuum`) leaves the same kind of trace as the run before it.
///
/// Errors are still printed as the command always printed them; the log adds to them, never replaces them.
struct CommandLog {
    let logger: Logger
    let command: String
    private let started = ContinuousClock.now

    init(_ command: String, _ options: LogOptions) throws {
        logger = try options.makeLogger()
        self.command = command
    }

    /// An info line that the command started, with its inputs.
    func started(_ fields: Logger.Metadata = [:]) {
        log(.info, phase: "started", "\(command) started", fields)
    }

    /// An info line that the command finished, with what it did and how many seconds it took.
    func finished(_ message: String, _ fields: Logger.Metadata = [:]) {
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        var fields = fields
        fields["seconds"] = .stringConvertible((seconds * 1000).rounded() / 1000)
        log(.info, phase: "finished", message, fields)
    }

    /// A line at `level` (debug for details, error beside a printed error).
    func log(_ level: Logger.Level, phase: String, _ message: String, _ fields: Logger.Metadata = [:]) {
        var metadata = fields
        metadata["stage"] = .string(command)
        metadata["phase"] = .string(phase)
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}
