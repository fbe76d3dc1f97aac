import Synchronization

/// Values worked out at most once per run for each key, however many threads ask for it: a finished
/// value is answered from the table, and a value another thread is working out is waited for
/// (coalesced) instead of being worked out again. Domains' verdicts and MX hosts' reachability use it.
final class CoalescingTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// What a caller asking for a key does next.
    enum Claim {
        /// The value is known.
        case known(Value)
        /// Another thread is working it out: ``PendingValue/wait()`` for it.
        case wait(PendingValue<Value>)
        /// Nobody is: work it out, then ``finish(_:with:_:)`` with this pending value.
        case workOut(PendingValue<Value>)
    }

    private enum Entry: Sendable {
        case finished(Value)
        case pending(PendingValue<Value>)
    }

    private let entries = Mutex<[Key: Entry]>([:])

    /// The claim for each key, in their order, taken under one lock so a batch is claimed at once.
    func claims(_ keys: some Sequence<Key>) -> [(key: Key, claim: Claim)] {
        entries.withLock { entries in
            keys.map { key in
                switch entries[key] {
                case .finished(let value)?:
                    return (key, .known(value))
                case .pending(let pending)?:
                    return (key, .wait(pending))
                case nil:
                    let pending = PendingValue<Value>()
                    entries[key] = .pending(pending)
                    return (key, .workOut(pending))
                }
            }
        }
    }

    func claim(_ key: Key) -> Claim { claims(CollectionOfOne(key))[0].claim }

    /// Stores the value worked out for a ``Claim/workOut(_:)`` claim and wakes those waiting for it.
    func finish(_ key: Key, with value: Value, _ pending: PendingValue<Value>) {
        entries.withLock { $0[key] = .finished(value) }
        pending.fulfil(value)
    }

    /// Stores a value learnt on the way (without a claim), unless the key already has one.
    func recordIfAbsent(_ key: Key, _ value: Value) {
        entries.withLock { if $0[key] == nil { $0[key] = .finished(value) } }
    }
}
