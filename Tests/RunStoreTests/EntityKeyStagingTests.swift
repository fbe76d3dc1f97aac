import Foundation
import GRDB
@testable import RunStore
import Testing
import TestSupport

/// dedupe's entity ids wait in the run's staging area and reach the store only with the commit that records the
/// run; the commit merges them into the stored keys one pack at a time.
@Suite("Staged entity ids")
struct EntityKeyStagingTests {
    let reference = Date(timeIntervalSince1970: 1_795_000_000)

    func run(_ name: String) -> RunRecord {
        RunRecord(pipeline: "weekly", inputChecksum: name, referenceTime: reference, startedAt: reference, finishedAt: reference,
                  rowsIn: 0, rowsActive: 0, rowsRejected: 0, rowsMerged: 0)
    }

    /// Every stored entry, in table order.
    func storedEntries(_ store: RunStore) throws -> [EntityKeyEntry] {
        try store.pool.read { try EntityKeyPacks.entries($0) }
    }

    func ids(_ range: Range<Int>, salt: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: range.map { (String(format: "L%07d", $0), "E" + String(format: "%012x", $0 * salt)) })
    }

    @Test func stagedIDsReachTheStoreOnlyWithTheRunsCommitAndWinOverLastWeeks() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            // Keys that are not ASCII sort as their strings do; the Kelvin sign's key equals "Kelvin" as a string.
            var week1 = ids(0..<10_000, salt: 7)
            week1["zoë@bücher.de"] = "E00000000000a"
            week1["zoé@bücher.de"] = "E00000000000b"
            week1["\u{212A}elvin"] = "kelvin, last week"
            try store.rememberEntityIDs(week1, at: reference)
            let before = try storedEntries(store)

            // Week 2 re-identifies half of last week's keys and adds new ones; a second dedupe overrides a few and
            // adds keys that sort before and between the others.
            let week2 = ids(5_000..<15_000, salt: 31)
            var second = ids(14_990..<15_010, salt: 101)
            second["A-first"] = "custom id"
            second["L0004999x"] = "E00000000beef"
            second["zoë@bücher.de"] = "E00000000000c"
            second["Kelvin"] = "kelvin, this week"
            second["Ωmega"] = "E00000000000d"
            let staging = RunStagingArea()
            staging.stageEntityKeys(StagedEntityKeys(week2, at: reference.addingTimeInterval(604_800)))
            staging.stageEntityKeys(StagedEntityKeys(second, at: reference.addingTimeInterval(604_801)))
            let allKeys = Array(week1.keys) + Array(week2.keys) + Array(second.keys)
            let expected = week1.merging(week2) { $1 }.merging(second) { $1 }

            // Not in the store yet; a later dedupe of the same run sees them.
            #expect(try storedEntries(store) == before)
            #expect(try store.entityIDs(forRecordKeys: allKeys) == week1)
            #expect(try store.entityIDs(forRecordKeys: allKeys, staged: staging.entityKeys) == expected)

            // A failed run drops them.
            let failed = RunStagingArea()
            failed.stageEntityKeys(StagedEntityKeys(week2, at: reference))
            failed.discard()
            #expect(failed.entityKeys.isEmpty)
            #expect(try storedEntries(RunStore(path: dir.path("store.sqlite"))) == before)

            try store.commit(run("week2"), staging: staging)
            #expect(staging.entityKeys.isEmpty)
            let after = try storedEntries(RunStore(path: dir.path("store.sqlite")))
            #expect(Dictionary(uniqueKeysWithValues: after.map { ($0.recordKey, $0.entityID) }) == expected)
            #expect(after.map(\.recordKey) == expected.keys.sorted())
            #expect(after.first { $0.recordKey == "L0000001" }?.updatedAt == Int64(reference.timeIntervalSince1970))
            #expect(after.first { $0.recordKey == "L0005000" }?.updatedAt == Int64(reference.timeIntervalSince1970) + 604_800)
            #expect(after.first { $0.recordKey == "L0014995" }?.updatedAt == Int64(reference.timeIntervalSince1970) + 604_801)
            // Packs of the usual size, in key order: as writing the union anew lays them out.
            let packSizes = try store.integers("SELECT key_count FROM entity_key_pack ORDER BY id")
            #expect(packSizes == stride(from: 0, to: expected.count, by: EntityKeyPack.chunkSize).map { min(EntityKeyPack.chunkSize, expected.count - $0) })
            #expect(try store.integrityCheck() == ["ok"])
        }
    }

    @Test func theFirstRunsIDsIntoAnEmptyStoreAndARunWithoutIDsLeaveTheKeysAlone() throws {
        try withTemporaryDirectory { dir in
            let store = try RunStore(path: dir.path("store.sqlite"))
            let first = RunStagingArea()
            first.stageEntityKeys(StagedEntityKeys(ids(0..<5, salt: 3), at: reference))
            try store.commit(run("week1"), staging: first)
            #expect(try store.entityIDs(forRecordKeys: ids(0..<6, salt: 3).keys.map { $0 }) == ids(0..<5, salt: 3))
            let before = try storedEntries(store)
            try store.commit(run("week2"), staging: RunStagingArea())
            #expect(try storedEntries(store) == before)
        }
    }

    /// Large sets are sorted in two halves on two threads: the packs still hold every key once, in order.
    @Test func aLargeSetIsPackedInKeyOrderWithEveryID() throws {
        var keys = ids(0..<70_000, salt: 13)
        for i in 0..<200 { keys["zoë-\(i)@bücher.de"] = "id \(i)" }
        let staged = StagedEntityKeys(keys, at: reference)
        var decoded: [EntityKeyEntry] = []
        for pack in staged.packs { try pack.withUnsafeBytes { try EntityKeyPack.decode($0) { decoded.append($0) } } }
        #expect(staged.count == keys.count)
        #expect(decoded.map(\.recordKey) == keys.keys.sorted())
        #expect(Dictionary(uniqueKeysWithValues: decoded.map { ($0.recordKey, $0.entityID) }) == keys)
    }
}
