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
    func id(of key: UnsafeRawBufferPointer) -> Int64? { id(of: key, hash: Self.hash(key)) }

    /// The id stored for these bytes, whose ``hash(_:)`` is `hash` (taken ahead, on another thread), or `nil`.
    func id(of key: UnsafeRawBufferPointer, hash: UInt64) -> Int64? {
        guard !slots.isEmpty else { return nil }
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
    mutating func insert(_ key: UnsafeRawBufferPointer, id: Int64) { insert(key, id: id, hash: Self.hash(key)) }

    /// ``insert(_:id:)`` for bytes whose ``hash(_:)`` is `hash`.
    mutating func insert(_ key: UnsafeRawBufferPointer, id: Int64, hash: UInt64) {
        let index = ids.count
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

    /// Sixteen bytes at a time, two words mixed in by one 64 × 64 → 128-bit multiply, and the last bytes read as
    /// one or two (overlapping) words rather than byte by byte (SipHash, which `Hasher` runs, cost more than the
    /// rest of a lookup; a word per multiply and a byte loop for the tail cost most of a lookup of a short text or
    /// a long enrichment key). Ids are found by comparing the bytes, so a collision only costs a probe, and the
    /// length is in the seed, so overlapping reads tell keys of different lengths apart.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let count = key.count
        var hash = seed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        if let base = key.baseAddress, count > 0 {
            if count < 8 {
                let word: UInt64
                if count >= 4 {
                    word = UInt64(base.loadUnaligned(as: UInt32.self)) << 32
                        | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                } else {
                    word = UInt64(base.load(as: UInt8.self)) << 16 | UInt64(base.load(fromByteOffset: count >> 1, as: UInt8.self)) << 8
                        | UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self))
                }
                hash = mix(word ^ secret, hash)
            } else {
                var offset = 0
                while offset + 16 <= count {
                    hash = mix(base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ secret,
                               base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ hash)
                    offset += 16
                }
                if offset < count {
                    // The last 16 bytes, or all of a key of 8 to 15, as two words that may overlap.
                    let first = max(count - 16, 0)
                    hash = mix(base.loadUnaligned(fromByteOffset: first, as: UInt64.self) ^ secret,
                               base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) ^ hash)
                }
            }
        }
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 32)
    }

    /// A second per-process value, so that no fixed word zeroes a multiply in every run.
    private static let secret = UInt64.random(in: 0...UInt64.max) | 1

    /// The 128-bit product of two words, folded to 64 bits.
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
