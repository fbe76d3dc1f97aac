import Foundation

/// A per-thread memo of what a cell's text works out to (its registrable domain, its company key),
/// keyed by the text's bytes: FNV-1a over them and open addressing, where a `Dictionary` would run
/// SipHash and a string comparison on every lead.
///
/// Only ASCII text is kept here: there, equal strings are equal bytes. Other text goes to a
/// `Dictionary`, whose keys compare as Unicode does (a precomposed "é" equals "e" and its accent),
/// so the memo answers exactly as one `Dictionary` would.
struct ASCIIKeyedCache<Value> {
    /// Per slot, 0 when empty, else the entry's number + 1 in the low 32 bits and the high 32 bits of its
    /// hash in the high ones: a probe reads one word, and only a slot whose hash agrees leads to its entry.
    /// The count of slots is a power of two.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)
    /// Each entry's text (`text[start ..< start + count]`) and value side by side, so a hit reads one entry
    /// and its text: a list's distinct websites outgrow the caches, and each memory read then costs a miss.
    private var entries: [Entry] = []
    private var hashes: [UInt64] = []
    private var text: [UInt8] = []
    private var others: [String: Value] = [:]

    private struct Entry {
        let start: UInt32
        let count: UInt32
        let value: Value
    }

    private enum Lookup {
        case found(entry: Int)
        case missing(hash: UInt64)
        case notASCII
    }

    /// The value memoized for `key`, or `make()`'s, memoized.
    mutating func value(_ key: some StringProtocol, orMake make: () -> Value) -> Value {
        if let value = key.utf8.withContiguousStorageIfAvailable({ value(utf8: $0, orMake: make) }) { return value }
        var copy = String(key)
        return copy.withUTF8 { value(utf8: $0, orMake: make) }
    }

    /// The value memoized for the text whose UTF-8 bytes are `key` (a packed row's cell, read in place), or
    /// `make()`'s, memoized: a cell that is in the memo costs no string.
    mutating func value(utf8 key: UnsafeBufferPointer<UInt8>, orMake make: () -> Value) -> Value {
        switch find(key) {
        case .found(let entry):
            return entries[entry].value
        case .missing(let hash):
            let value = make()
            insert(hash, key, value)
            return value
        case .notASCII:
            let text = String(decoding: key, as: UTF8.self)
            if let known = others[text] { return known }
            let value = make()
            others[text] = value
            return value
        }
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for byte in bytes {
            high |= byte
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        guard high < 0x80 else { return .notASCII }
        return entry(hash, bytes).map { .found(entry: $0) } ?? .missing(hash: hash)
    }

    private func entry(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                text.withUnsafeBufferPointer { text in
                    let mask = slots.count &- 1
                    let tag = hash >> 32
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let stored = slots[slot]
                        if stored == 0 { return nil }
                        if stored >> 32 == tag {
                            let e = Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) &- 1
                            let entry = entries[e]
                            if Int(entry.count) == bytes.count,
                               bytes.isEmpty || memcmp(text.baseAddress! + Int(entry.start), bytes.baseAddress!, bytes.count) == 0 {
                                return e
                            }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }

    private mutating func insert(_ hash: UInt64, _ key: UnsafeBufferPointer<UInt8>, _ value: Value) {
        hashes.append(hash)
        entries.append(Entry(start: UInt32(text.count), count: UInt32(key.count), value: value))
        text.append(contentsOf: key)
        // At most half full, so probes stay short.
        if entries.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for e in entries.indices { place(e) }
        } else {
            place(entries.count - 1)
        }
    }

    private mutating func place(_ e: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[e]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hashes[e] >> 32) << 32 | UInt64(e + 1)
    }
}
