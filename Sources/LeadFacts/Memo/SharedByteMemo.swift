import Synchronization

/// A ``ByteKeyedMemo`` the worker threads share, for per-row work whose texts repeat across chunks (a list's
/// rows share a few thousand companies' websites and mail domains, while one chunk sees each only a few times).
///
/// Sharded by the text's length and last bytes (where hosts differ), each shard behind its own lock, so two
/// threads rarely wait for each other; bounded, so millions of distinct texts cannot grow it without end.
/// A value is worked out under its shard's lock: a text is worked out once, whichever thread asks first.
public final class SharedByteMemo<Value: Sendable>: Sendable {
    @usableFromInline static var shardCount: Int { 64 }
    @usableFromInline final class Shard: Sendable {
        @usableFromInline let memo: Mutex<ByteKeyedMemo<Value>>
        init(limit: Int) { memo = Mutex(ByteKeyedMemo(limit: limit, slots: 64)) }
    }
    @usableFromInline let shards: [Shard]

    /// - Parameter limit: how many texts are remembered in all (each shard keeps its share).
    public init(limit: Int = 1 << 20) {
        let perShard = max(1, limit / Self.shardCount)
        shards = (0..<Self.shardCount).map { _ in Shard(limit: perShard) }
    }

    /// The value remembered for the text whose UTF-8 bytes are `bytes`, else `make()`'s, remembered while its
    /// shard has room.
    @inlinable public func value(utf8 bytes: UnsafeBufferPointer<UInt8>, orMake make: () -> Value) -> Value {
        var mix = UInt(bytes.count)
        for byte in bytes[max(0, bytes.count - 8)...] { mix = mix &* 31 &+ UInt(byte) }
        return shards[Int(mix % UInt(Self.shardCount))].memo.withLock { $0.value(utf8: bytes, orMake: make) }
    }

    /// The value remembered for `text`, else `make()`'s.
    @inlinable public func value(_ text: String, orMake make: () -> Value) -> Value {
        if let value = text.utf8.withContiguousStorageIfAvailable({ value(utf8: $0, orMake: make) }) { return value }
        var copy = text
        return copy.withUTF8 { value(utf8: $0, orMake: make) }
    }
}
