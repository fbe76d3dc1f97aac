import Foundation

/// Runs `transform` on items from `next` on `jobs` worker threads and hands the results to
/// `consume` in the order the items were produced.
///
/// The calling thread reads and consumes; workers only transform. The reader keeps items queued
/// ahead of the workers, so a worker that finishes takes the next item at once instead of waiting
/// for the calling thread to read it (reading and writing overlap the transforms). At most
/// `maxInFlight` items are read but not yet consumed, which bounds memory however fast the reader
/// is (back-pressure). If `next` or `consume` throws, no new work starts, queued items are dropped,
/// running work finishes, and the error is rethrown.
func orderedParallelMap<Item: Sendable, Output: Sendable>(
    jobs: Int, maxInFlight: Int,
    next: () throws -> Item?,
    transform: @escaping @Sendable (Item) -> Output,
    consume: (Output) throws -> Void
) throws {
    let jobs = max(1, jobs)
    // One item more than there are workers, so a worker never waits on the reader.
    let maxInFlight = max(jobs + 1, maxInFlight)
    let state = MapState<Item, Output>()
    // Threads of their own rather than Dispatch's pool: an idle worker blocks waiting for the next item,
    // and blocked pool threads could starve Dispatch work a stage submits.
    let workers = DispatchGroup()
    for _ in 0..<jobs {
        workers.enter()
        let worker = Thread {
            while let (sequence, item) = state.take() {
                state.finish(sequence, transform(item))
            }
            workers.leave()
        }
        worker.qualityOfService = .userInitiated
        worker.start()
    }
    defer {
        state.close()
        workers.wait()
    }

    var produced = 0
    var consumed = 0
    var exhausted = false
    while true {
        // What is ready is consumed first, in order; then the reader tops the queue up; otherwise wait.
        let canRead = !exhausted && produced - consumed < maxInFlight
        guard let ready = state.result(for: consumed, waiting: !canRead && consumed < produced) else {
            // Without room to read, the wait above returns nothing only once the input has ended and
            // every item has been consumed.
            guard canRead else { return }
            guard let item = try next() else {
                exhausted = true
                continue
            }
            state.submit(produced, item)
            produced += 1
            continue
        }
        consumed += 1
        try consume(ready)
    }
}

/// The queue of read items and the finished results of one ``orderedParallelMap`` call.
private final class MapState<Item, Output>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Items read but not yet taken by a worker, oldest first (at most `maxInFlight`, so removal from the front is cheap).
    private var queue: [(Int, Item)] = []
    private var results: [Int: Output] = [:]
    private var closed = false

    func submit(_ sequence: Int, _ item: Item) {
        condition.withLock {
            queue.append((sequence, item))
            condition.broadcast()
        }
    }

    /// The oldest queued item; blocks while the queue is empty, `nil` once closed.
    func take() -> (Int, Item)? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closed { condition.wait() }
        return closed ? nil : queue.removeFirst()
    }

    func finish(_ sequence: Int, _ output: Output) {
        condition.withLock {
            results[sequence] = output
            condition.broadcast()
        }
    }

    /// The result for `sequence` if it is ready; with `waiting`, blocks until it is.
    func result(for sequence: Int, waiting: Bool) -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while waiting && results[sequence] == nil { condition.wait() }
        return results.removeValue(forKey: sequence)
    }

    /// Stops the workers: queued items are dropped, items being transformed finish.
    func close() {
        condition.withLock {
            closed = true
            queue.removeAll()
            condition.broadcast()
        }
    }
}
