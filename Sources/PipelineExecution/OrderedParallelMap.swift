import Dispatch
import Foundation

/// Runs `transform` on items from `next` on up to `jobs` Dispatch workers at once and hands the
/// results to `consume` in the order the items were produced.
///
/// The calling thread reads and consumes; workers only transform. The calling thread reads ahead
/// while the workers run, so a worker slot that frees up gets the next item at once instead of
/// waiting for it to be read (reading and writing overlap the transforms). At most `maxInFlight`
/// items are read but not yet consumed, which bounds memory however fast the reader is
/// (back-pressure). If `next` or `consume` throws, no new work starts, items read ahead are
/// dropped, running work finishes, and the error is rethrown.
func orderedParallelMap<Item: Sendable, Output: Sendable>(
    jobs: Int, maxInFlight: Int,
    next: () throws -> Item?,
    transform: @escaping @Sendable (Item) -> Output,
    consume: (Output) throws -> Void
) throws {
    let jobs = max(1, jobs)
    // One item more than there are workers, so a freed slot never waits on the reader.
    let maxInFlight = max(jobs + 1, maxInFlight)
    let state = MapState<Output>()
    let queue = DispatchQueue.global(qos: .userInitiated)
    defer { state.waitUntilIdle() }

    var readAhead: [(sequence: Int, item: Item)] = []   // at most maxInFlight, so removing the first is cheap
    var produced = 0
    var consumed = 0
    var exhausted = false
    var seenCompletions = 0
    while true {
        // What is ready is consumed first, in order.
        while let ready = state.takeResult(for: consumed) {
            consumed += 1
            try consume(ready)
        }
        // Free worker slots take the oldest items read ahead.
        while !readAhead.isEmpty && state.claimSlot(jobs: jobs) {
            let (sequence, item) = readAhead.removeFirst()
            queue.async { state.finish(sequence, transform(item)) }
        }
        // The reader tops the read-ahead up while the workers run.
        if !exhausted && produced - consumed < maxInFlight {
            if let item = try next() {
                readAhead.append((produced, item))
                produced += 1
            } else {
                exhausted = true
            }
            continue
        }
        if exhausted && consumed == produced { return }
        // Everything in flight is read: wait for a worker to finish (a result, and a free slot).
        seenCompletions = state.waitForCompletion(after: seenCompletions)
    }
}

/// The finished results of one ``orderedParallelMap`` call and its workers' count, guarded by `condition`.
private final class MapState<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: Output] = [:]
    private var running = 0
    /// Transforms finished so far, so the reader can wait for the next one.
    private var completions = 0

    /// Takes a worker slot when fewer than `jobs` transforms are running.
    func claimSlot(jobs: Int) -> Bool {
        condition.withLock {
            guard running < jobs else { return false }
            running += 1
            return true
        }
    }

    func finish(_ sequence: Int, _ output: Output) {
        condition.withLock {
            results[sequence] = output
            running -= 1
            completions += 1
            condition.broadcast()
        }
    }

    func takeResult(for sequence: Int) -> Output? {
        condition.withLock { results.removeValue(forKey: sequence) }
    }

    /// Blocks until more than `seen` transforms have finished; returns how many have.
    func waitForCompletion(after seen: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while completions == seen { condition.wait() }
        return completions
    }

    /// Blocks until no transform is running.
    func waitUntilIdle() {
        condition.lock()
        defer { condition.unlock() }
        while running > 0 { condition.wait() }
    }
}
