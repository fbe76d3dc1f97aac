/// Entity IDs that do not depend on row order or line numbers.
///
/// A new entity's ID is a hash of its smallest record key, so the same rows get the same ID on
/// every run. With an ``EntityIDMemory``, an entity inherits the ID most of its rows had last time.
package enum EntityIdentifier {
    /// `E` and 12 hex digits of FNV-1a over `recordKey`.
    public static func id(forRecordKey recordKey: String) -> String { id(hash: hash(recordKey)) }

    /// FNV-1a over the key's UTF-8; the ID shows its top 48 bits.
    static func hash(_ recordKey: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in recordKey.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func id(hash h: UInt64) -> String {
        let hex = String(h, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return "E" + padded.prefix(12)
    }

    /// Assigns one ID per entity.
    ///
    /// - Parameters:
    ///   - entities: the record keys of each entity's rows.
    ///   - previous: IDs remembered from earlier runs, by record key.
    /// - Returns: one ID per entity, all distinct.
    public static func assign(entities: [[String]], previous: [String: String]) -> [String] {
        assign(entityCount: entities.count, recordKeys: { entities[$0] }, previous: previous)
    }

    /// Assigns one ID per entity, reading each entity's record keys through `recordKeys`
    /// (so a caller need not build an array per entity).
    static func assign<Keys: Collection<String>>(entityCount: Int, recordKeys: (Int) -> Keys,
                                                 previous: [String: String]) -> [String] {
        // IDs taken so far: inherited ones as text, new ones by the 48 bits they show (half the memory
        // of a set of strings on a million entities).
        var taken: Set<String> = []
        var takenNew: Set<UInt64> = []
        takenNew.reserveCapacity(entityCount)
        var result = [String](repeating: "", count: entityCount)
        // Inherit first, largest entities first, so a split entity's bigger part keeps the old ID.
        let order = previous.isEmpty ? [] : (0..<entityCount).sorted {
            let a = recordKeys($0).count, b = recordKeys($1).count
            return a != b ? a > b : $0 < $1
        }
        for e in order where !previous.isEmpty {
            var votes: [String: Int] = [:]
            for key in recordKeys(e) { if let id = previous[key] { votes[id, default: 0] += 1 } }
            let ranked = votes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            if let inherited = ranked.first(where: { !taken.contains($0.key) }) {
                result[e] = inherited.key
                taken.insert(inherited.key)
            }
        }
        for e in 0..<entityCount where result[e].isEmpty {
            var key = recordKeys(e).min() ?? ""
            var h = hash(key), id = self.id(hash: h)
            while takenNew.contains(h >> 16) || taken.contains(id) { key += "'"; h = hash(key); id = self.id(hash: h) }
            result[e] = id
            takenNew.insert(h >> 16)
        }
        return result
    }
}
