import Foundation

/// Runs `transform` on items from `next` on up to `jobs` Dispatch workers at once and hands the
/// results to `consume` in the order the items were produced.
///
/// The calling thread reads and consumes; workers only transform. At most `maxInFlight` items are
/// read but not yet consumed, which bounds memory however fast the reader is (back-pressure).
/// If `next` or `consume` throws, no new work starts, running work finishes, and the error is rethrown.
func orderedParallelMap<Item: Sendable, Output: Sendable>(
    jobs: Int, maxInFlight: Int,
    next: () throws -> Item?,
    transform: @escaping @Sendable (Item) -> Output,
    consume: (Output) throws -> Void
) throws {
    let state = MapState<Output>()
    let queue = DispatchQueue.global(qos: .userInitiated)
    let jobs = max(1, jobs)
    let maxInFlight = max(jobs, maxInFlight)
    var produced = 0
    var consumed = 0
    var exhausted = false
    var failure: Error?

    while true {
        // Consume what is ready, in order; otherwise wait until there is room to dispatch or a result arrives.
        state.condition.lock()
        var ready: Output?
        while true {
            if let result = state.results.removeValue(forKey: consumed) {
                ready = result
                break
            }
            let canDispatch = failure == nil && !exhausted && state.running < jobs && produced - consumed < maxInFlight
            if canDispatch { break }
            if (exhausted || failure != nil) && state.running == 0 && state.results[consumed] == nil { break }
            state.condition.wait()
        }
        state.condition.unlock()

        if let ready {
            consumed += 1
            if failure == nil {
                do { try consume(ready) } catch { failure = error }
            }
            continue
        }
        if exhausted || failure != nil {
            if state.running == 0 && state.condition.withLock({ state.results.isEmpty }) { break }
            continue
        }
        let item: Item?
        do { item = try next() } catch {
            failure = error
            continue
        }
        guard let item else {
            exhausted = true
            continue
        }
        let sequence = produced
        produced += 1
        state.condition.withLock { state.running += 1 }
        queue.async {
            let output = transform(item)
            state.condition.withLock {
                state.results[sequence] = output
                state.running -= 1
                state.condition.signal()
            }
        }
    }
    if let failure { throw failure }
}

/// Shared state of one ``orderedParallelMap`` call, guarded by `condition`.
private final class MapState<Output>: @unchecked Sendable {
    let condition = NSCondition()
    var results: [Int: Output] = [:]
    var running = 0
}
