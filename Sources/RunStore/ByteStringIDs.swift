import Foundation

/// The store ids of byte strings already stored (an enrichment value with its provenance, a lead's set
/// of values), found by their bytes.
///
/// A run's commit looks up about fifteen values for each of a million leads: keyed by Swift arrays or
/// strings, every lookup would allocate. Here the keys are bytes in one buffer and a lookup hashes the
/// bytes it is given and compares them in place.
struct ByteStringIDs {
    private var bytes: [UInt8] = []
    /// Where entry `i`'s bytes end in `bytes` (they start where entry `i - 1`'s end).
    private var ends: [Int] = []
    private var ids: [Int64] = []
    /// The first entry with a hash; entries with the same hash chain through `nextWithSameHash`.
    private var firstByHash: [Int: Int] = [:]
    private var nextWithSameHash: [Int] = []

    /// How many byte strings are known.
    var count: Int { ids.count }

    /// The id stored for these bytes, or `nil`.
    func id(of key: UnsafeRawBufferPointer) -> Int64? {
        var entry = firstByHash[Self.hash(key)]
        while let index = entry {
            if matches(index, key) { return ids[index] }
            let next = nextWithSameHash[index]
            entry = next < 0 ? nil : next
        }
        return nil
    }

    /// Remembers the id of bytes not known yet.
    mutating func insert(_ key: UnsafeRawBufferPointer, id: Int64) {
        let index = ids.count
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        ids.append(id)
        let hash = Self.hash(key)
        nextWithSameHash.append(firstByHash[hash] ?? -1)
        firstByHash[hash] = index
    }

    /// Whether entry `index` (the `index`-th byte string inserted) holds exactly these bytes.
    func entry(_ index: Int, equals key: UnsafeRawBufferPointer) -> Bool { matches(index, key) }

    private func matches(_ index: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = index == 0 ? 0 : ends[index - 1]
        guard ends[index] - start == key.count else { return false }
        return bytes.withUnsafeBytes { stored in
            key.isEmpty || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return hasher.finalize()
    }
}
