import ArgumentParser
import Foundation
import Logging

/// `--log-level` and `--log-format`, with `LEADHYGIENE_LOG_LEVEL` and `LEADHYGIENE_LOG_FORMAT` behind them:
/// the flag wins over the environment, the environment over the default (warning, text).
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log from this level up to standard error: error, warning, info or debug (default: warning, "
                               + "env LEADHYGIENE_LOG_LEVEL). At info or debug on a terminal the progress line is off, "
                               + "so log lines never break into it.", valueName: "level"))
    var logLevel: String?
    @Option(help: ArgumentHelp("Log lines as text or json, one JSON object per line (default: text, env LEADHYGIENE_LOG_FORMAT).",
                               valueName: "format"))
    var logFormat: String?

    static let levels: [String: Logger.Level] = ["error": .error, "warning": .warning, "info": .info, "debug": .debug]

    func validate() throws {
        _ = try resolved(environment: ProcessInfo.processInfo.environment)
    }

    /// The level and format in force, or a usage error naming the flag or variable that holds a bad value.
    func resolved(environment: [String: String]) throws -> (level: Logger.Level, format: StandardErrorLogHandler.Format) {
        let level = try EnvironmentSetting.value(flag: logLevel, flagName: "--log-level", variable: "LEADHYGIENE_LOG_LEVEL",
                                                 environment: environment, choices: ["error", "warning", "info", "debug"])
        let format = try EnvironmentSetting.value(flag: logFormat, flagName: "--log-format", variable: "LEADHYGIENE_LOG_FORMAT",
                                                  environment: environment, choices: ["text", "json"])
        return (level.flatMap { Self.levels[$0] } ?? .warning, format.flatMap(StandardErrorLogHandler.Format.init) ?? .text)
    }

    /// A logger writing to standard error at the chosen level and format.
    func makeLogger() throws -> Logger {
        let (level, format) = try resolved(environment: ProcessInfo.processInfo.environment)
        return Logger(label: "leadhygiene") { _ in StandardErrorLogHandler(level: level, format: format) }
    }

    /// Whether lines below warning will be written: then a terminal's progress line is left off.
    var logsProgress: Bool {
        guard let level = try? resolved(environment: ProcessInfo.processInfo.environment).level else { return false }
        return level <= .info
    }
}

/// A setting a data job may give as a flag or as an environment variable: the flag wins.
enum EnvironmentSetting {
    /// The flag's value, else the variable's, else `nil`; a value outside `choices` is an error naming where it came from.
    static func value(flag: String?, flagName: String, variable: String, environment: [String: String],
                      choices: [String]) throws -> String? {
        if let flag {
            guard choices.contains(flag) else {
                throw ValidationError("\(flagName) must be one of \(choices.joined(separator: ", ")), found '\(flag)'")
            }
            return flag
        }
        guard let text = environment[variable] else { return nil }
        guard choices.contains(text) else {
            throw ValidationError("\(variable) must be one of \(choices.joined(separator: ", ")), found '\(text)'")
        }
        return text
    }
}
