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
    /// How many record keys each pack holds.
    let packCounts: [Int]
    /// How many record keys the packs hold.
    public let count: Int

    /// Packs `entityIDByRecordKey`, each key remembered at `time`.
    ///
    /// Only the keys are sorted and the entries packed as they come: at the end of dedupe on a million rows,
    /// an array of every entry and its sorted copy took 80 MB at the run's peak. The keys are sorted in two
    /// halves on two threads and merged as the packs are made: dedupe's end is a moment when nothing else runs.
    public init(_ entityIDByRecordKey: [String: String], at time: Date) {
        let seconds = EntityKeyPacks.seconds(time)
        let halves = Self.sortedHalves(of: Array(entityIDByRecordKey.keys))
        var builder = EntityKeyPackBuilder(capacity: EntityKeyPack.chunkSize)
        var packs: [[UInt8]] = [], packCounts: [Int] = []
        func finishPack() {
            packCounts.append(builder.count)
            packs.append(builder.finish())
        }
        var i = 0, j = 0
        while i < halves[0].count || j < halves[1].count {
            let takeFirst = j == halves[1].count || (i < halves[0].count && halves[0][i] < halves[1][j])
            let key = takeFirst ? halves[0][i] : halves[1][j]
            if takeFirst { i += 1 } else { j += 1 }
            builder.append(key: Array(key.utf8), id: .init(entityIDByRecordKey[key]!), updatedAt: seconds)
            if builder.count == EntityKeyPack.chunkSize { finishPack() }
        }
        if builder.count > 0 { finishPack() }
        self.packs = packs
        self.packCounts = packCounts
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

/// The entries of a sorted sequence of ``EntityKeyPack`` blobs, one blob decoded at a time, as bytes.
struct EntityKeyPackReader {
    /// The next blob, or nil after the last.
    private let nextBlob: () throws -> [UInt8]?
    private(set) var block = EntityKeyBlock()
    /// The head entry's index in `block`; past the end once every blob is read.
    private(set) var position = 0
    var hasHead: Bool { position < block.count }

    init(nextBlob: @escaping () throws -> [UInt8]?) throws {
        self.nextBlob = nextBlob
        try load()
    }

    /// Moves the head to the next entry.
    mutating func advance() throws {
        position += 1
        if position == block.count { try load() }
    }

    private mutating func load() throws {
        position = 0
        repeat {
            guard let blob = try nextBlob() else {
                block = EntityKeyBlock()
                return
            }
            try blob.withUnsafeBytes { try block.decode($0) }
        } while block.count == 0
    }

    /// How the head's key sorts against `other`'s, as the keys' strings sort: bytes when both are ASCII, strings
    /// otherwise (the order ``StagedEntityKeys`` and the table's first writer sorted them in).
    func compareHead(with other: EntityKeyPackReader) -> Int {
        let a = block.key(position), b = other.block.key(other.position)
        guard block.isASCII[position], other.block.isASCII[other.position] else {
            let x = String(decoding: a, as: UTF8.self), y = String(decoding: b, as: UTF8.self)
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        let order = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count)) }
        }
        return order != 0 ? Int(order.signum()) : (a.count < b.count ? -1 : (a.count == b.count ? 0 : 1))
    }
}

extension EntityKeyPacks {
    static func seconds(_ time: Date) -> Int64 { Int64(time.timeIntervalSince1970.rounded(.down)) }

    /// Merges `staged` (later sets win over earlier ones, and all over the table) into the table, reading and
    /// writing one pack at a time: the table's and the staged keys are both sorted, so neither is held whole, and
    /// the keys are compared and written as bytes (as strings, a million keys took half a second more).
    ///
    /// The new packs are inserted after the old ones and the old ones deleted at the end, inside the caller's
    /// transaction. The entries come out as ``replace(with:db:)`` would write the union.
    static func merge(_ staged: [StagedEntityKeys], db: Database) throws {
        guard !staged.isEmpty else { return }
        let oldIDs = try Int64.fetchAll(db, sql: "SELECT id FROM entity_key_pack ORDER BY id")
        let insert = try db.makeStatement(sql: "INSERT INTO entity_key_pack (key_count, keys) VALUES (?, ?)")
        // The first run's ids into an empty table: its packs are what the merge would write.
        if oldIDs.isEmpty, staged.count == 1 {
            for (pack, count) in zip(staged[0].packs, staged[0].packCounts) { try insert.execute(arguments: [count, Data(pack)]) }
            return
        }
        let select = try db.makeStatement(sql: "SELECT keys FROM entity_key_pack WHERE id = ?")
        var nextOld = oldIDs.makeIterator()
        // Source 0 is the table; source i > 0 is staged[i - 1]; on equal keys the highest source wins.
        var sources = [try EntityKeyPackReader { try nextOld.next().flatMap { try Data.fetchOne(select, arguments: [$0]).map { [UInt8]($0) } } }]
        for set in staged {
            var packs = set.packs.makeIterator()
            sources.append(try EntityKeyPackReader { packs.next() })
        }
        var builder = EntityKeyPackBuilder(capacity: EntityKeyPack.chunkSize)
        func flush() throws {
            guard builder.count > 0 else { return }
            let count = builder.count
            try insert.execute(arguments: [count, Data(builder.finish())])
        }
        var equal: [Int] = []
        while true {
            var smallest: Int?
            for index in sources.indices where sources[index].hasHead {
                if let current = smallest, sources[index].compareHead(with: sources[current]) >= 0 { continue }
                smallest = index
            }
            guard let first = smallest else { break }
            equal.removeAll(keepingCapacity: true)
            for index in sources.indices where index == first || (sources[index].hasHead && sources[index].compareHead(with: sources[first]) == 0) {
                equal.append(index)
            }
            let winner = sources[equal.last!]
            let at = winner.position
            builder.append(key: winner.block.key(at), id: winner.block.ids[at], updatedAt: winner.block.times[at])
            for index in equal { try sources[index].advance() }
            if builder.count == EntityKeyPack.chunkSize { try flush() }
        }
        try flush()
        if let last = oldIDs.last { try db.execute(sql: "DELETE FROM entity_key_pack WHERE id <= ?", arguments: [last]) }
    }
}
