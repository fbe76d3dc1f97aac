import Synchronization

/// Text → value, remembered for per-row work that leads repeat (they share a few companies'
/// websites and domains). Sharded so worker threads rarely wait on each other; bounded so a list
/// of millions of distinct values cannot grow it without limit.
final class SharedTextCache<Value: Sendable>: Sendable {
    private let shardCount = 64
    private let entriesPerShard = 16_384
    private final class Shard: Sendable {
        let entries = Mutex<[String: Value]>([:])
    }
    private let shards: [Shard]

    init() { shards = (0..<shardCount).map { _ in Shard() } }

    /// The value remembered for `text`, else `compute(text)`, remembered while the shard has room.
    func value(for text: String, compute: (String) -> Value) -> Value {
        // The shard from the length and last bytes (where hosts differ): the dictionary hashes the text anyway.
        var copy = text
        let mix = copy.withUTF8 { bytes -> UInt in
            var mix = UInt(bytes.count)
            for byte in bytes[max(0, bytes.count - 8)...] { mix = mix &* 31 &+ UInt(byte) }
            return mix
        }
        let shard = shards[Int(mix % UInt(shardCount))]
        if let cached = shard.entries.withLock({ $0[text] }) { return cached }
        let found = compute(text)
        shard.entries.withLock { entries in
            if entries.count < entriesPerShard { entries[text] = found }
        }
        return found
    }
}
