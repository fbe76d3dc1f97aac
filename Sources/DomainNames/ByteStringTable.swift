/// A read-only table from byte strings to small integer values, looked up by a byte range without
/// building a `String` (hashing a `String` key costs more than the rest of a field's normalization).
///
/// The storage is raw memory allocated once and owned by the table. Hot loops take the ``Reader``
/// (plain pointers) once per chunk, so a lookup touches no reference count: retains and releases
/// on storage shared by all workers would bounce its cache line between cores.
public final class ByteStringTable: @unchecked Sendable {
    /// The lookup side of a table: plain pointers, valid while the table lives.
    public struct Reader {
        fileprivate let slots: UnsafeMutablePointer<Int32>
        fileprivate let mask: Int
        fileprivate let hashes: UnsafeMutablePointer<UInt64>
        fileprivate let offsets: UnsafeMutablePointer<Int32>
        fileprivate let values: UnsafeMutablePointer<Int32>
        fileprivate let bytes: UnsafeMutablePointer<UInt8>

        /// The value stored for the key `start..<end` of `base`, or `nil`.
        public func value(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int32? {
            value(base, start, end, hash: ByteStringTable.hash(base, start, end))
        }

        /// As ``value(_:_:_:)``, with the key's ``ByteStringTable/hash(_:_:_:)`` already known.
        public func value(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, hash: UInt64) -> Int32? {
            var slot = Int(truncatingIfNeeded: hash) & mask
            let length = end - start
            while true {
                let entry = Int(slots[slot]) - 1
                if entry < 0 { return nil }
                if hashes[entry] == hash {
                    let from = Int(offsets[entry]), to = Int(offsets[entry + 1])
                    if to - from == length && (length == 0 || memcmp(bytes + from, base + start, length) == 0) {
                        return values[entry]
                    }
                }
                slot = (slot + 1) & mask
            }
        }

        /// The value stored for `key`, or `nil`.
        public func value(_ key: String) -> Int32? {
            var key = key
            return key.withUTF8 { buffer in
                guard let base = buffer.baseAddress else {
                    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { value(UnsafePointer($0.baseAddress!), 0, 0) }
                }
                return value(base, 0, buffer.count)
            }
        }
    }

    public let reader: Reader
    /// The number of keys.
    public let count: Int
    private let slotCount: Int

    /// Builds the table; when a key repeats, `combine` merges the values (the first one wins by default).
    public init(_ entries: [(key: [UInt8], value: Int32)], combine: (Int32, Int32) -> Int32 = { first, _ in first }) {
        var keys: [[UInt8]] = []
        var values: [Int32] = []
        var index: [[UInt8]: Int] = [:]
        for (key, value) in entries {
            if let existing = index[key] {
                values[existing] = combine(values[existing], value)
            } else {
                index[key] = keys.count
                keys.append(key)
                values.append(value)
            }
        }
        count = keys.count
        var slotCount = 16
        while slotCount < keys.count * 2 { slotCount *= 2 }
        self.slotCount = slotCount
        let totalBytes = keys.reduce(0) { $0 + $1.count }
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, keys.count))
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: keys.count + 1)
        let valueStore = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, keys.count))
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, totalBytes))
        var offset = 0
        for (i, key) in keys.enumerated() {
            offsets[i] = Int32(offset)
            key.withUnsafeBufferPointer { if let source = $0.baseAddress { bytes.advanced(by: offset).update(from: source, count: key.count) } }
            offset += key.count
            let hash = Self.hash(UnsafePointer(bytes), Int(offsets[i]), offset)
            hashes[i] = hash
            valueStore[i] = values[i]
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = Int32(i + 1)
        }
        offsets[keys.count] = Int32(offset)
        reader = Reader(slots: slots, mask: slotCount - 1, hashes: hashes, offsets: offsets, values: valueStore, bytes: bytes)
    }

    deinit {
        reader.slots.deallocate()
        reader.hashes.deallocate()
        reader.offsets.deallocate()
        reader.values.deallocate()
        reader.bytes.deallocate()
    }

    /// FNV-1a over the bytes from the last to the first, so the hash of every suffix of a string
    /// comes out of one right-to-left pass (see ``ReverseHasher``).
    @inlinable
    public static func hash(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hasher = ReverseHasher()
        var i = end
        while i > start {
            i -= 1
            hasher.prepend(base[i])
        }
        return hasher.value
    }
}

/// The hash of ``ByteStringTable``, fed one byte at a time from the end of the key towards its start.
public struct ReverseHasher {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable public init() {}

    @inlinable
    public mutating func prepend(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
