import Foundation

/// Lets the chunks of a segment through a step one at a time, in input order: the step of chunk `n` runs once
/// the steps of chunks `0..<n` have run, on whichever thread holds chunk `n`.
///
/// The threads take chunks oldest first, so the chunk a thread waits for is always held by a thread that is
/// running it (or waiting for an even older one, down to the oldest, which never waits): no thread waits for a
/// chunk nobody has taken. When a step fails, the turnstile closes: nothing waits any more and no step runs,
/// so the run can stop with the failure.
final class InputOrderTurnstile: @unchecked Sendable {
    /// Guards `next` and `isClosed`.
    private let turn = NSCondition()
    private var next = 0
    private var isClosed = false

    /// Runs `step` for the chunk at `order` (0, 1, … in input order) after every earlier chunk's step; `nil`
    /// without running it when the turnstile closed. A step that throws closes the turnstile.
    func pass<T>(_ order: Int, _ step: () throws -> T) throws -> T? {
        turn.lock()
        while next != order, !isClosed { turn.wait() }
        let closed = isClosed
        turn.unlock()
        guard !closed else { return nil }
        // Only the thread whose turn it is gets here: the step runs outside the lock.
        let result: T
        do {
            result = try step()
        } catch {
            close()
            throw error
        }
        turn.lock()
        next += 1
        turn.broadcast()
        turn.unlock()
        return result
    }

    /// Stops every wait: the run failed.
    func close() {
        turn.lock()
        isClosed = true
        turn.broadcast()
        turn.unlock()
    }
}
