import Dispatch
import Foundation

/// Runs `transform` on items from `next` on `jobs` threads and hands the results to `consume` in
/// the order the items were produced.
///
/// The calling thread is one of the `jobs`: it reads, consumes, and transforms whenever the read-ahead
/// is full and the next result is not ready; the other `jobs - 1` are Dispatch workers that take the
/// oldest item read ahead, transform it and take the next. So `jobs` threads share the work, reading
/// and writing included, and `--jobs 1` runs on one thread. At most `maxInFlight` items are read but
/// not yet consumed, which bounds memory however fast the reader is (back-pressure). If `next` or
/// `consume` throws, no new work starts, items read ahead are dropped, running work finishes, and the
/// error is rethrown.
func orderedParallelMap<Item: Sendable, Output: Sendable>(
    jobs: Int, maxInFlight: Int,
    next: () throws -> Item?,
    transform: @escaping @Sendable (consuming Item) -> Output,
    consume: (Output) throws -> Void
) throws {
    let workers = max(1, jobs) - 1
    // More items than threads, so a worker that finishes finds the next one already read, even while
    // the calling thread is busy with one of its own.
    let maxInFlight = max(workers + 2, maxInFlight)
    let state = WorkQueue<Item, Output>()
    // A queue of our own: Dispatch gives an overcommitting queue a thread per block, while the global
    // queue may hold a long-running block back until another ends when it counts the cores as busy.
    let queue = DispatchQueue(label: "leadhygiene.workers", qos: .userInitiated, attributes: .concurrent)
    for _ in 0..<workers {
        queue.async {
            while let (sequence, item) = state.takeWork() {
                state.finish(sequence, transform(consume item))
            }
            state.workerExited()
        }
    }
    defer { state.closeAndWait(forWorkers: workers) }

    var produced = 0
    var consumed = 0
    var exhausted = false
    while true {
        // What is ready is consumed first, in order.
        while let ready = state.takeResult(for: consumed) {
            consumed += 1
            try consume(ready)
        }
        // The read-ahead is topped up before anything else, so the workers always find work.
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
        // Nothing to read or write: transform the oldest item waiting, as long as each worker still
        // finds one, or wait for the next result.
        if let (sequence, item) = state.takeWork(leaving: workers) {
            state.finish(sequence, transform(consume item))
            continue
        }
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
        return takeOldest()
    }

    /// The oldest item not yet taken, without waiting, when more than `reserve` items are pending.
    func takeWork(leaving reserve: Int) -> (sequence: Int, item: Item)? {
        workAdded.withLock { pending.count - pendingStart > reserve ? takeOldest() : nil }
    }

    /// Called with `workAdded` held and at least one item pending.
    private func takeOldest() -> (sequence: Int, item: Item) {
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
