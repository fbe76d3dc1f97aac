import Foundation
import Logging

/// What a run tells the log (swift-log): each line carries the run id, and the stage and phase it is about.
///
/// The CLI decides where the lines go and from which level (`--log-level`, `--log-format`); a run
/// used as a library logs nowhere unless handed a logger. Levels: `info` for the steps of a run
/// (started, a stage finished with its rows and seconds, outputs published, the store commit),
/// `notice` for a crossed `fail_if` and a failed run, `debug` for phases and fail_if conditions
/// that held. A failed run is not logged at `error`: the summary, which a failed run prints at every
/// level and even with `--quiet`, already comes first with the verdict, and the default level adds nothing to it.
struct RunLog {
    private(set) var logger: Logger

    init(_ logger: Logger, runID: String) {
        self.logger = logger
        self.logger[metadataKey: "run_id"] = .string(runID)
    }

    func log(_ level: Logger.Level, stage: String = "run", phase: String, _ message: String,
             _ fields: Logger.Metadata = [:]) {
        var metadata = fields
        metadata["stage"] = .string(stage)
        metadata["phase"] = .string(phase)
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    /// A run id that sorts by time and is unlikely to repeat: `20261205T020421Z-3fa9c1`.
    static func newRunID(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date) + "-" + String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
            .leftPadded(to: 6)
    }

    /// A logger that writes nothing, for runs nobody handed one.
    static let silent = Logger(label: "leadhygiene", factory: { _ in SwiftLogNoOpLogHandler() })
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
