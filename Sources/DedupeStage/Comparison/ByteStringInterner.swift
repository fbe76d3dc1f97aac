import Foundation

/// Distinct byte strings stored end to end in one buffer, each with a dense `Int32` id in order of first insertion.
///
/// Interning a million-row column with a dictionary keyed by `[UInt8]` costs a heap block per distinct
/// value (about 64 bytes for a 25-byte email) plus the dictionary; here a value costs its bytes, a 4-byte
/// offset and one 8-byte slot of an open-addressing index that is dropped once the ids are assigned.
struct ByteStringInterner {
    /// Every string's bytes, end to end, in id order.
    private(set) var bytes: [UInt8] = []
    /// Where string `id` starts in ``bytes``; one extra entry marks the end of the last.
    private(set) var starts: [Int32] = [0]
    /// Open addressing with linear probing; 0 is an empty slot, else the hash's high half and `id + 1`.
    private var slots: [UInt64]

    /// The number of distinct strings.
    var count: Int { starts.count - 1 }

    /// - Parameters:
    ///   - expectedCount: distinct strings expected, so the index does not grow on the way.
    ///   - expectedBytes: their total length, to reserve ``bytes`` once.
    init(expectedCount: Int = 0, expectedBytes: Int = 0) {
        var size = 16
        while size * 7 < max(expectedCount, 1) * 10 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        bytes.reserveCapacity(expectedBytes)
        starts.reserveCapacity(expectedCount + 1)
    }

    /// The id of `key`, adding it when it is new.
    @discardableResult
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, isNew: Bool) {
        let hash = Self.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int32(truncatingIfNeeded: entry) - 1
                if equals(id, key) { return (id, false) }
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        precondition(bytes.count + key.count <= Int(Int32.max), "more than 2 GiB of distinct values in one field")
        let id = Int32(count)
        bytes.append(contentsOf: key)
        starts.append(Int32(bytes.count))
        slots[slot] = tag | UInt64(id + 1)
        if count * 10 > slots.count * 7 { grow() }
        return (id, true)
    }

    /// The id of `bytes`, adding it when it is new.
    @discardableResult
    mutating func intern(_ key: [UInt8]) -> (id: Int32, isNew: Bool) {
        key.withUnsafeBufferPointer { intern($0) }
    }

    /// The id of `key`, or nil when it was never interned.
    func id(of key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { key in
            let hash = Self.hash(key)
            let tag = hash & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] != 0 {
                let entry = slots[slot]
                if entry & 0xFFFF_FFFF_0000_0000 == tag, equals(Int32(truncatingIfNeeded: entry) - 1, key) {
                    return Int32(truncatingIfNeeded: entry) - 1
                }
                slot = (slot + 1) & (slots.count - 1)
            }
            return nil
        }
    }

    /// The bytes of string `id`.
    func key(_ id: Int) -> ArraySlice<UInt8> { bytes[Int(starts[id])..<Int(starts[id + 1])] }

    /// The strings' storage, without the index (which is only needed while interning).
    consuming func storage() -> (bytes: [UInt8], starts: [Int32]) { (bytes, starts) }

    private func equals(_ id: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[Int(id)]), end = Int(starts[Int(id) + 1])
        guard end - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            key.isEmpty || memcmp(all.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        bytes.withUnsafeBufferPointer { all in
            for id in 0..<count {
                let start = Int(starts[id]), end = Int(starts[id + 1])
                let hash = Self.hash(UnsafeBufferPointer(rebasing: all[start..<end]))
                var slot = Int(truncatingIfNeeded: hash) & mask
                while bigger[slot] != 0 { slot = (slot + 1) & mask }
                bigger[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
            }
        }
        slots = bigger
    }

    /// 64-bit hash of a short byte string: eight bytes at a time, then a full avalanche (MurmurHash3's fmix64),
    /// so both the slot (low bits) and the tag (high bits) are well mixed.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(key)
        while i + 8 <= key.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h = (h << 31) | (h >> 33)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < key.count { tail |= UInt64(key[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
