import Dispatch

/// A value read on another thread while the caller goes on with other work, taken with ``value()``.
///
/// The commit loads last run's versions this way while its own thread loads the texts and enrichment ids: the
/// run is over by then and the second core idle.
final class BackgroundRead<Value>: @unchecked Sendable {
    // Unchecked: `result` is written once on the reading thread before `done` is signalled, and read only after
    // waiting for that signal.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ read: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            result = Result { try read() }
            done.signal()
        }
    }

    /// Waits for the read; its value, or the error it threw. Called once.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
