import Dispatch
import Foundation
import GRDB
import Synchronization

/// One run's record key → entity id from dedupe, sorted by record key and packed as `entity_key_pack` holds
/// them (about twelve bytes a key), waiting in the run's ``RunStagingArea`` until the runner commits the run.
///
/// dedupe used to write its ids into the store while the stage ran, so a run that then failed, was a dry run or
/// ran with `--limit` still changed which id an entity keeps next week. Packed, a million keys wait in about
/// 12 MB instead of the 80 MB a dictionary holds until the end of the run.
public struct StagedEntityKeys: Sendable {
    /// ``EntityKeyPack`` blobs of up to ``EntityKeyPack/chunkSize`` entries, in record key order.
    let packs: [[UInt8]]
    /// How many record keys the packs hold.
    public let count: Int

    /// Packs `entityIDByRecordKey`, each key remembered at `time`.
    ///
    /// Only the keys are sorted and the entries made a pack at a time: at the end of dedupe on a million rows,
    /// an array of every entry and its sorted copy took 80 MB at the run's peak. The keys are sorted in two
    /// halves on two threads and merged as the packs are made: dedupe's end is a moment when nothing else runs.
    public init(_ entityIDByRecordKey: [String: String], at time: Date) {
        let seconds = EntityKeyPacks.seconds(time)
        let halves = Self.sortedHalves(of: Array(entityIDByRecordKey.keys))
        var chunk: [EntityKeyEntry] = []
        chunk.reserveCapacity(min(halves[0].count + halves[1].count, EntityKeyPack.chunkSize))
        var packs: [[UInt8]] = []
        var i = 0, j = 0
        while i < halves[0].count || j < halves[1].count {
            let takeFirst = j == halves[1].count || (i < halves[0].count && halves[0][i] < halves[1][j])
            let key = takeFirst ? halves[0][i] : halves[1][j]
            if takeFirst { i += 1 } else { j += 1 }
            chunk.append(EntityKeyEntry(recordKey: key, entityID: entityIDByRecordKey[key]!, updatedAt: seconds))
            if chunk.count == EntityKeyPack.chunkSize {
                packs.append(EntityKeyPack.encode(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { packs.append(EntityKeyPack.encode(chunk)) }
        self.packs = packs
        count = i + j
    }

    /// The first and the second half of `keys`, each sorted (on a thread of its own when there are many).
    private static func sortedHalves(of keys: [String]) -> [[String]] {
        let middle = keys.count / 2
        guard keys.count >= 65_536 else { return [keys[..<middle].sorted(), keys[middle...].sorted()] }
        let halves = Mutex<[[String]]>([[], []])
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let sorted = (half == 0 ? keys[..<middle] : keys[middle...]).sorted()
            halves.withLock { $0[half] = sorted }
        }
        return halves.withLock { $0 }
    }

    /// The entity id of each of `recordKeys` these packs hold.
    func entityIDs(forRecordKeys recordKeys: Set<String>, into found: inout [String: String]) throws {
        for pack in packs {
            try pack.withUnsafeBytes { blob in
                try EntityKeyPack.decode(blob) { entry in
                    if recordKeys.contains(entry.recordKey) { found[entry.recordKey] = entry.entityID }
                }
            }
        }
    }
}

/// The entries of a sorted sequence of ``EntityKeyPack`` blobs, one blob decoded at a time.
struct EntityKeyPackReader {
    /// The next blob, or nil after the last.
    private let nextBlob: () throws -> [UInt8]?
    private var decoded: [EntityKeyEntry] = []
    private var position = 0
    private(set) var head: EntityKeyEntry?

    init(nextBlob: @escaping () throws -> [UInt8]?) throws {
        self.nextBlob = nextBlob
        try advance()
    }

    /// Moves `head` to the next entry (nil past the last).
    mutating func advance() throws {
        while position == decoded.count {
            guard let blob = try nextBlob() else {
                head = nil
                return
            }
            decoded.removeAll(keepingCapacity: true)
            position = 0
            try blob.withUnsafeBytes { try EntityKeyPack.decode($0) { decoded.append($0) } }
        }
        head = decoded[position]
        position += 1
    }
}

extension EntityKeyPacks {
    static func seconds(_ time: Date) -> Int64 { Int64(time.timeIntervalSince1970.rounded(.down)) }

    /// Merges `staged` (later sets win over earlier ones, and all over the table) into the table, reading and
    /// writing one pack at a time: the table's and the staged keys are both sorted, so neither is held whole.
    ///
    /// The new packs are inserted after the old ones and the old ones deleted at the end, inside the caller's
    /// transaction. The entries come out as ``replace(with:db:)`` would write the union.
    static func merge(_ staged: [StagedEntityKeys], db: Database) throws {
        guard !staged.isEmpty else { return }
        let oldIDs = try Int64.fetchAll(db, sql: "SELECT id FROM entity_key_pack ORDER BY id")
        let select = try db.makeStatement(sql: "SELECT keys FROM entity_key_pack WHERE id = ?")
        var nextOld = oldIDs.makeIterator()
        // Source 0 is the table; source i > 0 is staged[i - 1]; on equal keys the highest source wins.
        var sources = [try EntityKeyPackReader { try nextOld.next().flatMap { try Data.fetchOne(select, arguments: [$0]).map { [UInt8]($0) } } }]
        for set in staged {
            var packs = set.packs.makeIterator()
            sources.append(try EntityKeyPackReader { packs.next() })
        }
        let insert = try db.makeStatement(sql: "INSERT INTO entity_key_pack (key_count, keys) VALUES (?, ?)")
        var chunk: [EntityKeyEntry] = []
        chunk.reserveCapacity(EntityKeyPack.chunkSize)
        func flush() throws {
            guard !chunk.isEmpty else { return }
            try insert.execute(arguments: [chunk.count, Data(EntityKeyPack.encode(chunk))])
            chunk.removeAll(keepingCapacity: true)
        }
        while true {
            var smallest: EntityKeyEntry?
            for source in sources {
                guard let head = source.head else { continue }
                if let current = smallest, !(head.recordKey < current.recordKey) { continue }
                smallest = head
            }
            guard let key = smallest?.recordKey else { break }
            var winner: EntityKeyEntry?
            for index in sources.indices where sources[index].head?.recordKey == key {
                winner = sources[index].head
                try sources[index].advance()
            }
            chunk.append(winner!)
            if chunk.count == EntityKeyPack.chunkSize { try flush() }
        }
        try flush()
        if let last = oldIDs.last { try db.execute(sql: "DELETE FROM entity_key_pack WHERE id <= ?", arguments: [last]) }
    }
}
