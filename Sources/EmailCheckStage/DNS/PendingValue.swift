import Dispatch
import Synchronization

/// A value (a domain's verdict, an MX host's reachability) that one thread is computing and others may wait for.
final class PendingValue<Value: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let value = Mutex<Value?>(nil)

    init() { group.enter() }

    func fulfil(_ result: Value) {
        value.withLock { $0 = result }
        group.leave()
    }

    func wait() -> Value {
        group.wait()
        return value.withLock { $0! }
    }
}
