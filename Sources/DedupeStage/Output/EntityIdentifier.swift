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
        assign(entityCount: entityCount, anyVotes: !previous.isEmpty, size: { recordKeys($0).count },
               votes: { votes(of: recordKeys($0), previous: previous) },
               smallestKey: { recordKeys($0).min() ?? "" })
    }

    /// The IDs an entity's rows had after an earlier run, with how many rows had each: its vote for an inherited ID.
    static func votes(of recordKeys: some Sequence<String>, previous: [String: String]) -> [String: Int] {
        var votes: [String: Int] = [:]
        for key in recordKeys { if let id = previous[key] { votes[id, default: 0] += 1 } }
        return votes
    }

    /// Assigns one ID per entity from what each entity's rows bring to the naming (``EntityBallot``): a distributed
    /// run's tasks each name their own entities, and the driver names them all again with this, in one-machine entity
    /// order, so the IDs are those one run over every row gives (`leadhygiene dedupe assign`).
    package static func assign(_ ballots: [EntityBallot]) -> [String] {
        assign(entityCount: ballots.count, anyVotes: ballots.contains { !$0.votes.isEmpty }, size: { ballots[$0].size },
               votes: { ballots[$0].votes }, smallestKey: { ballots[$0].smallestKey })
    }

    /// The one naming rule both ``assign(_:)`` and the stage's own assignment follow.
    /// - Parameters:
    ///   - anyVotes: false when no entity has a previous ID (no store, or its first run): the ranking is skipped.
    ///   - size: entity `e`'s rows.
    ///   - votes: the previous IDs of entity `e`'s rows, with how many rows had each.
    ///   - smallestKey: entity `e`'s smallest record key, which names it when it inherits nothing.
    static func assign(entityCount: Int, anyVotes: Bool, size: (Int) -> Int, votes: (Int) -> [String: Int],
                       smallestKey: (Int) -> String) -> [String] {
        // IDs taken so far: inherited ones as text, new ones by the 48 bits they show (half the memory
        // of a set of strings on a million entities).
        var taken: Set<String> = []
        var takenNew: Set<UInt64> = []
        takenNew.reserveCapacity(entityCount)
        var result = [String](repeating: "", count: entityCount)
        // Inherit first, largest entities first, so a split entity's bigger part keeps the old ID.
        let order = !anyVotes ? [] : (0..<entityCount).sorted {
            let a = size($0), b = size($1)
            return a != b ? a > b : $0 < $1
        }
        for e in order {
            let ranked = votes(e).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            if let inherited = ranked.first(where: { !taken.contains($0.key) }) {
                result[e] = inherited.key
                taken.insert(inherited.key)
            }
        }
        for e in 0..<entityCount where result[e].isEmpty {
            var key = smallestKey(e)
            var h = hash(key), id = self.id(hash: h)
            while takenNew.contains(h >> 16) || taken.contains(id) { key += "'"; h = hash(key); id = self.id(hash: h) }
            result[e] = id
            takenNew.insert(h >> 16)
        }
        return result
    }
}

/// What one entity brings to its naming: how many rows it has, the IDs its rows had after an earlier run (with how
/// many rows had each), and its smallest record key. ``EntityIdentifier/assign(_:)`` names entities from these alone.
package struct EntityBallot: Sendable, Equatable {
    package var size: Int
    package var votes: [String: Int]
    package var smallestKey: String

    package init(size: Int, votes: [String: Int], smallestKey: String) {
        self.size = size
        self.votes = votes
        self.smallestKey = smallestKey
    }
}
