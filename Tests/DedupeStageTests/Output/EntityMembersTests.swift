import Testing
@testable import DedupeStage

@Suite struct EntityMembersTests {
    @Test func groupsRowsByEntityInOrderOfEachEntitysFirstRow() {
        // Rows 0, 3 and 4 are one entity, 2 and 5 another, 1 and 6 are alone.
        let members = EntityMembers(representatives: [0, 1, 2, 0, 0, 2, 6])
        #expect(members.count == 4)
        #expect((0..<members.count).map { Array(members[$0]) } == [[0, 3, 4], [1], [2, 5], [6]])
    }

    @Test func anEmptyListHasNoEntities() {
        #expect(EntityMembers(representatives: []).count == 0)
    }

    @Test func identifiesEntitiesFromTheirMembersKeysAsFromArrays() {
        let keys = ["L3", "L2", "L1", "L9"]
        let members = EntityMembers(representatives: [0, 1, 0, 3])
        let flat = EntityIdentifier.assign(entityCount: members.count, recordKeys: { members[$0].lazy.map { keys[Int($0)] } },
                                           previous: ["L2": "E-old"])
        #expect(flat == EntityIdentifier.assign(entities: [["L3", "L1"], ["L2"], ["L9"]], previous: ["L2": "E-old"]))
        #expect(flat[1] == "E-old")
    }
}
