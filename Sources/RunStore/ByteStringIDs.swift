import Foundation

/// The store ids of byte strings already stored (an enrichment value with its provenance, a lead's set
/// of values), found by their bytes.
///
/// A run's commit looks up about fifteen values for each of a million leads: keyed by Swift arrays or
/// strings, every lookup would allocate. Here the keys are bytes in one buffer and a lookup hashes the
/// bytes it is given and compares them in place, in an open-addressing table of entry indexes.
struct ByteStringIDs {
    private var bytes: [UInt8] = []
    /// Where entry `i`'s bytes end in `bytes` (they start where entry `i - 1`'s end).
    private var ends: [Int] = []
    private var ids: [Int64] = []
    /// Each entry's hash, kept so that growing the table hashes no bytes again and a probe skips most entries
    /// without comparing bytes.
    private var hashes: [UInt64] = []
    /// Entry index + 1 per slot (0: empty); a power of two in size, at most half full.
    private var slots: [Int32] = []

    /// How many byte strings are known.
    var count: Int { ids.count }

    /// The id stored for these bytes, or `nil`.
    func id(of key: UnsafeRawBufferPointer) -> Int64? {
        guard !slots.isEmpty else { return nil }
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { return nil }
            if hashes[entry] == hash, matches(entry, key) { return ids[entry] }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers the id of bytes not known yet. Bytes known already get the new id: a lookup finds the entry
    /// inserted last (a store whose table repeats a text or value is read as it always was).
    mutating func insert(_ key: UnsafeRawBufferPointer, id: Int64) {
        let index = ids.count
        let hash = Self.hash(key)
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        ids.append(id)
        hashes.append(hash)
        if (index + 1) * 2 > slots.count {
            grow()
        } else {
            place(index)
        }
    }

    /// Whether entry `index` (the `index`-th byte string inserted) holds exactly these bytes.
    func entry(_ index: Int, equals key: UnsafeRawBufferPointer) -> Bool { matches(index, key) }

    /// Puts entry `index` in its slot, or in the slot of an older entry with the same bytes.
    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[index]) & mask
        while slots[slot] != 0 {
            let entry = Int(slots[slot]) - 1
            if hashes[entry] == hashes[index], sameBytes(entry, index) { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(index + 1)
    }

    /// A table twice the size, the entries placed again (a later entry replaces an earlier one with its bytes).
    private mutating func grow() {
        slots = Array(repeating: 0, count: max(64, slots.count * 2))
        for index in ids.indices { place(index) }
    }

    private func sameBytes(_ a: Int, _ b: Int) -> Bool {
        let start = b == 0 ? 0 : ends[b - 1]
        return bytes.withUnsafeBytes { matches(a, UnsafeRawBufferPointer(rebasing: $0[start..<ends[b]])) }
    }

    private func matches(_ index: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = index == 0 ? 0 : ends[index - 1]
        guard ends[index] - start == key.count else { return false }
        return bytes.withUnsafeBytes { stored in
            key.isEmpty || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    /// A different seed per process, so that no fixed set of keys collides in every run.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    /// Eight bytes at a time, each word mixed in by a multiply (SipHash, which `Hasher` runs, cost more than
    /// the rest of a lookup); ids are found by comparing the bytes, so a collision only costs a probe.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed ^ (UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= key.count {
            let word = key.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        if offset < key.count {
            var word: UInt64 = 0
            for i in offset..<key.count { word |= UInt64(key[i]) << (8 * UInt64(i - offset)) }
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 32)
    }
}
