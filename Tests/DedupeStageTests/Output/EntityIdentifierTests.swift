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

    @Test func inMemoryMemoryRemembersAndForgetsNothing() throws {
        let memory = InMemoryEntityIDMemory()
        try memory.remember(["a": "E1", "b": "E2"])
        try memory.remember(["b": "E3"])
        #expect(try memory.entityIDs(forRecordKeys: ["a", "b", "c"]) == ["a": "E1", "b": "E3"])
    }
}
