import Dispatch
import Synchronization

/// A verdict that one thread is computing and others may wait for.
final class PendingVerdict: Sendable {
    private let group = DispatchGroup()
    private let value = Mutex<DomainVerdict?>(nil)

    init() { group.enter() }

    func fulfil(_ verdict: DomainVerdict) {
        value.withLock { $0 = verdict }
        group.leave()
    }

    func wait() -> DomainVerdict {
        group.wait()
        return value.withLock { $0! }
    }
}
