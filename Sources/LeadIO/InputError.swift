import Foundation

/// An input or output problem that stops the run (as opposed to a bad row, which is rejected).
public struct InputOutputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// An error from a failed system call, with the system's reason.
    public static func system(_ path: String, _ action: String, errno code: Int32 = errno) -> InputOutputError {
        InputOutputError(path: path, "\(action): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(message)" }
}
