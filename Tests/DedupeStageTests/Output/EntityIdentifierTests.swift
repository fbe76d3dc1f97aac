import LeadFacts
import Testing
@testable import DedupeStage

@Suite struct EntityIdentifierTests {
    @Test func newEntitiesAreNamedByTheirSmallestRecordKey() {
        let ids = EntityIdentifier.assign(entities: [["L3", "L1"], ["L2"]], previous: [:])
        #expect(ids[0] == EntityIdentifier.id(forRecordKey: "L1"))
        #expect(ids[1] == EntityIdentifier.id(forRecordKey: "L2"))
        #expect(ids[0].hasPrefix("E") && ids[0].count == 13)
    }

    @Test func anEntityInheritsTheIDMostOfItsRowsHad() {
        let previous = ["L1": "E-old-a", "L2": "E-old-a", "L3": "E-old-b"]
        let ids = EntityIdentifier.assign(entities: [["L1", "L2", "L3"], ["L9"]], previous: previous)
        #expect(ids[0] == "E-old-a")
        #expect(ids[1] == EntityIdentifier.id(forRecordKey: "L9"))
    }

    @Test func aSplitEntityGivesItsOldIDToTheLargerPartOnly() {
        let previous = ["L1": "E-old", "L2": "E-old", "L3": "E-old"]
        let ids = EntityIdentifier.assign(entities: [["L3"], ["L1", "L2"]], previous: previous)
        #expect(ids[1] == "E-old")
        #expect(ids[0] != "E-old")
        #expect(Set(ids).count == 2)
    }

    @Test func twoEntitiesWithTheSameSmallestKeyStillGetDistinctIDs() {
        let ids = EntityIdentifier.assign(entities: [["L1"], ["L1", "L2"]], previous: [:])
        #expect(ids == [EntityIdentifier.id(forRecordKey: "L1"), EntityIdentifier.id(forRecordKey: "L1'")])
    }

    @Test func aNewIDNeverRepeatsAnInheritedOne() {
        let inherited = EntityIdentifier.id(forRecordKey: "L2")
        let ids = EntityIdentifier.assign(entities: [["X"], ["L2"]], previous: ["X": inherited])
        #expect(ids == [inherited, EntityIdentifier.id(forRecordKey: "L2'")])
    }

    /// Entities as record keys, in entity order, and the ballots they bring to a driver's naming.
    static func ballots(_ entities: [[String]], previous: [String: String]) -> [EntityBallot] {
        entities.map { keys in
            var votes: [String: Int] = [:]
            for key in keys { if let id = previous[key] { votes[id, default: 0] += 1 } }
            return EntityBallot(size: keys.count, votes: votes, smallestKey: keys.min() ?? "")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func namingFromBallotsGivesTheIDsNamingFromRecordKeysGives(seed: UInt64) {
        // Last week's entities, each cut into parts at random (as two cluster tasks could hold them), with new rows.
        var random = SplitMix64(seed: seed)
        var previous: [String: String] = [:]
        var entities: [[String]] = []
        for old in 0..<200 {
            let keys = (0..<Int.random(in: 1...6, using: &random)).map { "L\(old)-\($0)" }
            for key in keys { previous[key] = "E-old-\(old % 150)" }  // some old ids shared by two old entities
            var rest = keys.shuffled(using: &random)
            while !rest.isEmpty {
                let part = Int.random(in: 1...rest.count, using: &random)
                entities.append(Array(rest.prefix(part)) + (Bool.random(using: &random) ? ["N\(entities.count)"] : []))
                rest.removeFirst(part)
            }
        }
        entities.shuffle(using: &random)
        let expected = EntityIdentifier.assign(entities: entities, previous: previous)
        #expect(EntityIdentifier.assign(Self.ballots(entities, previous: previous)) == expected)
        #expect(Set(expected).count == entities.count)
    }

    @Test func anOldEntitySplitOverTwoTasksKeepsItsIDInItsLargerPartOnly() {
        let previous = ["L1": "E-old", "L2": "E-old", "L3": "E-old"]
        // Each task names its own part: both inherit E-old.
        let taskA = ReportedEntity(first: 7, size: 1, key: "L3", votes: ["E-old": 1], id: "E-old")
        let taskB = ReportedEntity(first: 2, size: 2, key: "L1", votes: ["E-old": 2], id: "E-old")
        let ids = ReportedEntity.assign([taskA, taskB])
        // One machine numbers the entities by their first lines: the part of lines 2 and 5, then the one of line 7.
        let oneMachine = EntityIdentifier.assign(entities: [["L1", "L2"], ["L3"]], previous: previous)
        #expect(ids == [2: oneMachine[0], 7: oneMachine[1]])
        #expect(ids == [2: "E-old", 7: EntityIdentifier.id(forRecordKey: "L3")])
    }

    @Test func aNewIDOfOneTaskThatAnotherTasksEntityInheritedIsLengthened() {
        // Task A's new entity is named by L2's hash; task B's entity inherits that very ID from last week. Neither task
        // sees the other's: the driver's naming gives the inheriting entity the ID and lengthens the new one's key.
        let hashOfL2 = EntityIdentifier.id(forRecordKey: "L2")
        let taskA = ReportedEntity(first: 3, size: 1, key: "L2", votes: [:], id: hashOfL2)
        let taskB = ReportedEntity(first: 9, size: 1, key: "X", votes: [hashOfL2: 1], id: hashOfL2)
        let ids = ReportedEntity.assign([taskB, taskA])
        #expect(ids == [3: EntityIdentifier.id(forRecordKey: "L2'"), 9: hashOfL2])
        #expect(ids[3] == EntityIdentifier.assign(entities: [["L2"], ["X"]], previous: ["X": hashOfL2])[0])
    }

    @Test func twoTasksNewEntitiesWithTheSameSmallestKeyGetDistinctIDs() {
        // The same 48 bits in two tasks (here: the same key, as a collision of two keys' hashes would give).
        let first = ReportedEntity(first: 4, size: 2, key: "L1", votes: [:], id: EntityIdentifier.id(forRecordKey: "L1"))
        let second = ReportedEntity(first: 8, size: 1, key: "L1", votes: [:], id: EntityIdentifier.id(forRecordKey: "L1"))
        #expect(ReportedEntity.assign([second, first]) == [4: EntityIdentifier.id(forRecordKey: "L1"),
                                                           8: EntityIdentifier.id(forRecordKey: "L1'")])
    }

    @Test func inMemoryMemoryRemembersAndForgetsNothing() throws {
        let memory = InMemoryEntityIDMemory()
        try memory.remember(["a": "E1", "b": "E2"])
        try memory.remember(["b": "E3"])
        #expect(try memory.entityIDs(forRecordKeys: ["a", "b", "c"]) == ["a": "E1", "b": "E3"])
    }
}
