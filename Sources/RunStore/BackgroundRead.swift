import Dispatch

/// A value read on another thread while the caller goes on with other work, taken with ``value()``.
///
/// The commit loads last run's versions this way while its own thread loads the texts and enrichment ids: the
/// run is over by then and the second core idle. decay's history reads last run this way as the stage is set up.
package final class BackgroundRead<Value>: @unchecked Sendable {
    // Unchecked: `result` is written once on the reading thread before `done` is signalled, and read only after
    // waiting for that signal; `pendingRead` is set before the block starts and then touched by the block alone.
    private var result: Result<Value, any Error>?
    private var pendingRead: (@Sendable () throws -> Value)?
    private let done = DispatchSemaphore(value: 0)

    package init(_ read: @escaping @Sendable () throws -> Value) {
        // The closure (and the store it reads) is let go before the signal: a block still holding it after the
        // reader moved on could outlive the process's last line, leaving the store's connection never closed.
        pendingRead = read
        DispatchQueue.global().async { [self] in
            var work = pendingRead
            pendingRead = nil
            result = Result { try work!() }
            work = nil
            done.signal()
        }
    }

    /// Waits for the read; its value, or the error it threw. Called once.
    package func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
