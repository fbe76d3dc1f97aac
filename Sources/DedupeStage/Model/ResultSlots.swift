import Dispatch

/// One result slot per parallel task: each task writes only its own index, so no lock is needed,
/// and the caller reads the slots after `concurrentPerform` returns.
final class ResultSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    subscript(index: Int) -> T? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    var values: [T] { storage.compactMap { $0 } }

    /// Runs `body` for every index in `0..<count` on all cores and gathers the results in index order.
    static func map(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = body(i) }
        return slots.values
    }
}
