import Dispatch
import Foundation

/// Runs `transform` on items from `next` on `jobs` Dispatch workers and hands the results to
/// `consume` in the order the items were produced.
///
/// The calling thread reads and consumes; workers only transform. Each worker is one Dispatch block
/// that takes the oldest item read ahead, transforms it and takes the next, so a worker that finishes
/// never waits for the calling thread to hand it work: the calling thread keeps the read-ahead
/// topped up while it writes. At most `maxInFlight` items are read but not yet consumed, which bounds
/// memory however fast the reader is (back-pressure). If `next` or `consume` throws, no new work
/// starts, items read ahead are dropped, running work finishes, and the error is rethrown.
func orderedParallelMap<Item: Sendable, Output: Sendable>(
    jobs: Int, maxInFlight: Int,
    next: () throws -> Item?,
    transform: @escaping @Sendable (consuming Item) -> Output,
    consume: (Output) throws -> Void
) throws {
    let jobs = max(1, jobs)
    // More items than workers, so a worker that finishes finds the next one already read.
    let maxInFlight = max(jobs + 1, maxInFlight)
    let state = WorkQueue<Item, Output>()
    // A queue of our own: Dispatch gives an overcommitting queue a thread per block, while the global
    // queue may hold a long-running block back until another ends when it counts the cores as busy.
    let queue = DispatchQueue(label: "leadhygiene.workers", qos: .userInitiated, attributes: .concurrent)
    for _ in 0..<jobs {
        queue.async {
            while let (sequence, item) = state.takeWork() {
                state.finish(sequence, transform(consume item))
            }
            state.workerExited()
        }
    }
    defer { state.closeAndWait(forWorkers: jobs) }

    var produced = 0
    var consumed = 0
    var exhausted = false
    while true {
        // What is ready is consumed first, in order.
        while let ready = state.takeResult(for: consumed) {
            consumed += 1
            try consume(ready)
        }
        // The reader tops the read-ahead up while the workers run.
        if !exhausted && produced - consumed < maxInFlight {
            if let item = try next() {
                state.addWork(produced, item)
                produced += 1
            } else {
                exhausted = true
            }
            continue
        }
        if exhausted && consumed == produced { return }
        // Everything in flight is read: wait until the next result in order is ready.
        state.waitForResult(for: consumed)
    }
}

/// Items waiting for a worker, finished results, and the workers still running, for one
/// ``orderedParallelMap`` call.
///
/// Workers and the calling thread wait on separate conditions, so adding work wakes one worker
/// and a finished result wakes the calling thread only when it is the one it waits for.
private final class WorkQueue<Item, Output>: @unchecked Sendable {
    /// Guards `pending`, `isClosed` and `workersExited`.
    private let workAdded = NSCondition()
    /// A taken slot is emptied at once: the worker must hold the only reference to its item, or a stage
    /// writing to a chunk's records would make them copy themselves first.
    private var pending: [(sequence: Int, item: Item)?] = []
    private var pendingStart = 0
    private var isClosed = false
    private var workersExited = 0
    /// Guards `results` and `awaited`.
    private let resultAdded = NSCondition()
    private var results: [Int: Output] = [:]
    private var awaited = -1

    func addWork(_ sequence: Int, _ item: Item) {
        workAdded.withLock {
            pending.append((sequence, item))
            workAdded.signal()
        }
    }

    /// The oldest item not yet taken, waiting for one; `nil` once the queue is closed.
    func takeWork() -> (sequence: Int, item: Item)? {
        workAdded.lock()
        defer { workAdded.unlock() }
        while pendingStart == pending.count {
            if isClosed { return nil }
            workAdded.wait()
        }
        let taken = pending[pendingStart]!
        pending[pendingStart] = nil
        pendingStart += 1
        // Emptied whenever every item is taken, so the array never grows past the read-ahead.
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        return taken
    }

    func finish(_ sequence: Int, _ output: Output) {
        resultAdded.withLock {
            results[sequence] = output
            if sequence == awaited { resultAdded.signal() }
        }
    }

    func takeResult(for sequence: Int) -> Output? {
        resultAdded.withLock { results.removeValue(forKey: sequence) }
    }

    /// Blocks until the result for `sequence` is ready; it stays in place for ``takeResult(for:)``.
    func waitForResult(for sequence: Int) {
        resultAdded.lock()
        defer { resultAdded.unlock() }
        awaited = sequence
        while results[sequence] == nil { resultAdded.wait() }
        awaited = -1
    }

    func workerExited() {
        workAdded.withLock {
            workersExited += 1
            workAdded.broadcast()
        }
    }

    /// Drops work not yet taken, lets running transforms finish, and waits until all `workers` have left.
    func closeAndWait(forWorkers workers: Int) {
        workAdded.lock()
        defer { workAdded.unlock() }
        isClosed = true
        pending.removeAll()
        pendingStart = 0
        workAdded.broadcast()
        while workersExited < workers { workAdded.wait() }
    }
}
