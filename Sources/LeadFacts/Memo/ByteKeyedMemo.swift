import Foundation

/// A memo of what a text works out to (its registrable domain, its company key, its mail domain's facts),
/// keyed by the text's bytes: open addressing where a `Dictionary` would run SipHash and a string
/// comparison on every lead.
///
/// A list's distinct websites outgrow the processor's caches, and then every memory read of a lookup
/// costs a miss: so a slot holds all a lookup reads, the key's hash, its length, its first 32 bytes and
/// the value, and a key of up to 32 bytes (nearly every website and company) is found and checked,
/// byte for byte, in one slot. Longer keys keep their other bytes in ``longText``.
///
/// Only ASCII text is kept in the slots: there, equal strings are equal bytes. Other text goes to a
/// `Dictionary`, whose keys compare as Unicode does (a precomposed "é" equals "e" and its accent),
/// so the memo answers exactly as one `Dictionary` would.
///
/// One thread's (a value type); ``SharedByteMemo`` shares shards of it between threads.
@frozen public struct ByteKeyedMemo<Value> {
    @usableFromInline struct Slot {
        /// The key's length + 1; 0 for an empty slot.
        @usableFromInline var used: UInt32 = 0
        /// Where the key's bytes past the first 32 are in ``ByteKeyedMemo/longText``.
        @usableFromInline var overflow: UInt32 = 0
        @usableFromInline var hash: UInt64 = 0
        /// The key's first 32 bytes, the rest zeros.
        @usableFromInline var head: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        @usableFromInline var value: Value?

        @inlinable init() {}

        @inlinable init(used: UInt32, overflow: UInt32, hash: UInt64, head: (UInt64, UInt64, UInt64, UInt64), value: Value?) {
            (self.used, self.overflow, self.hash, self.head, self.value) = (used, overflow, hash, head, value)
        }
    }

    /// A key as a lookup reads it: its length, first 32 bytes as words and hash.
    @usableFromInline struct Key {
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline var head: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        @usableFromInline var hash: UInt64 = 0
        @usableFromInline var isASCII = true

        @inlinable init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
    }

    /// The count of slots is a power of two, at most half of them used so probes stay short.
    @usableFromInline var slots: [Slot]
    @usableFromInline var slotCount = 0
    /// Texts past this many are worked out each time, not remembered: a list of millions of distinct values
    /// cannot grow the memo without end.
    @usableFromInline let limit: Int
    @usableFromInline var longText: [UInt8] = []
    @usableFromInline var others: [String: Value] = [:]

    /// The value memoized for `key`, or `make()`'s, memoized.
    /// - Parameter slots: the slots to start with (rounded up to a power of two); they double as texts arrive.
    @inlinable public init(limit: Int = .max, slots: Int = 1024) {
        self.limit = limit
        var count = 8
        while count < slots { count *= 2 }
        self.slots = [Slot](repeating: Slot(), count: count)
    }

    /// How many texts are remembered.
    @inlinable public var count: Int { slotCount + others.count }

    @inlinable public mutating func value(_ key: some StringProtocol, orMake make: () -> Value) -> Value {
        if let value = key.utf8.withContiguousStorageIfAvailable({ value(utf8: $0, orMake: make) }) { return value }
        var copy = String(key)
        return copy.withUTF8 { value(utf8: $0, orMake: make) }
    }

    /// The value memoized for the text whose UTF-8 bytes are `key` (a packed row's cell, read in place), or
    /// `make()`'s, memoized: a cell that is in the memo costs no string.
    @inlinable public mutating func value(utf8 bytes: UnsafeBufferPointer<UInt8>, orMake make: () -> Value) -> Value {
        let key = Self.read(bytes)
        guard key.isASCII else {
            let text = String(decoding: bytes, as: UTF8.self)
            if let known = others[text] { return known }
            let value = make()
            if count < limit { others[text] = value }
            return value
        }
        let (slot, found) = find(key)
        if let found { return found }
        let value = make()
        if count < limit { insert(key, value, at: slot) }
        return value
    }

    /// Reads the key's words once: its hash (the words multiplied in turn, then mixed with the length), its
    /// head, and whether every byte is ASCII.
    @inlinable static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
        var key = Key(bytes: bytes)
        let n = bytes.count
        var high: UInt64 = 0
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var i = 0
            withUnsafeMutableBytes(of: &key.head) { head in
                while i < n {
                    let left = n &- i
                    let word: UInt64
                    if left >= 8 {
                        word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    } else if n >= 8 {
                        // The last bytes: the word ending at the key's end, without the bytes already read.
                        word = raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) >> UInt64(8 &* (8 &- left))
                    } else {
                        var w: UInt64 = 0
                        for k in 0..<left { w |= UInt64(base[i &+ k]) << UInt64(8 &* k) }
                        word = w
                    }
                    high |= word
                    hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
                    hash ^= hash >> 29
                    if i < 32 { head.storeBytes(of: word, toByteOffset: i, as: UInt64.self) }
                    i &+= 8
                }
            }
        }
        key.isASCII = high & 0x8080_8080_8080_8080 == 0
        // SplitMix64's finalizer spreads the product over the whole word: the slot is its low bits.
        key.hash = SplitMix64.mix(hash ^ UInt64(n))
        return key
    }

    /// The slot holding `key` and its value, or the empty slot where it goes.
    @inlinable func find(_ key: Key) -> (slot: Int, value: Value?) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count &- 1
            let used = UInt32(key.bytes.count &+ 1)
            var s = Int(truncatingIfNeeded: key.hash) & mask
            while true {
                let slot = slots[s]
                if slot.used == 0 { return (s, nil) }
                if slot.used == used, slot.hash == key.hash, slot.head == key.head, key.bytes.count <= 32 || longMatches(slot, key) {
                    return (s, slot.value)
                }
                s = (s &+ 1) & mask
            }
        }
    }

    @inlinable func longMatches(_ slot: Slot, _ key: Key) -> Bool {
        longText.withUnsafeBufferPointer { text in
            memcmp(text.baseAddress! + Int(slot.overflow), key.bytes.baseAddress! + 32, key.bytes.count - 32) == 0
        }
    }

    @inlinable mutating func insert(_ key: Key, _ value: Value, at s: Int) {
        var slot = Slot(used: UInt32(key.bytes.count + 1), overflow: 0, hash: key.hash, head: key.head, value: value)
        if key.bytes.count > 32 {
            slot.overflow = UInt32(longText.count)
            longText.append(contentsOf: UnsafeBufferPointer(rebasing: key.bytes[32...]))
        }
        slots[s] = slot
        slotCount += 1
        if slotCount * 2 > slots.count { grow() }
    }

    @inlinable mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.used != 0 {
            var s = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[s].used != 0 { s = (s + 1) & mask }
            slots[s] = slot
        }
    }
}

extension ByteKeyedMemo: Sendable where Value: Sendable {}
extension ByteKeyedMemo.Slot: Sendable where Value: Sendable {}
