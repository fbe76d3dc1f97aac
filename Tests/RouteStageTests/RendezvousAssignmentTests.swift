import RouteStage
import Testing

@Suite("Weighted rendezvous hashing")
struct RendezvousAssignmentTests {
    static let keys = (1...6000).map { "entity:E\($0)" }

    func owner(_ key: String, _ members: [(String, Double)]) -> String {
        members.max { RendezvousAssignment.score(key: key, member: $0.0, weight: $0.1) < RendezvousAssignment.score(key: key, member: $1.0, weight: $1.1) }!.0
    }

    @Test func theHashIsFixedNotSeededPerProcess() {
        // Written down once: a release that changes it moves every lead of every pool.
        #expect(RendezvousAssignment.hash(key: "entity:E1", member: "anna@example.com") == 0x103f_e0de_2a41_ca8f)
        #expect(RendezvousAssignment.hash(key: "ab", member: "c") != RendezvousAssignment.hash(key: "a", member: "bc"))
    }

    @Test func aKeyFedInPiecesHashesAsTheWholeKey() {
        var state = RendezvousAssignment.KeyState()
        state.add("entity:")
        state.add("E1")
        #expect(state.hash(member: "anna@example.com") == RendezvousAssignment.hash(key: "entity:E1", member: "anna@example.com"))
        var lowered = RendezvousAssignment.KeyState()
        lowered.add("email:")
        var address = "Ann.Lee@Example.COM"
        address.withUTF8 { lowered.addLowercasingASCII($0) }
        #expect(lowered.score(member: "ben", weight: 2) == RendezvousAssignment.score(key: "email:ann.lee@example.com", member: "ben", weight: 2))
    }

    @Test func removingAMemberMovesOnlyThatMembersLeads() {
        let before: [(String, Double)] = [("anna", 1), ("ben", 1), ("cara", 2), ("dan", 1)]
        let after = before.filter { $0.0 != "ben" }
        var moved = 0
        for key in Self.keys {
            let old = owner(key, before), new = owner(key, after)
            if old != "ben" { #expect(old == new) } else { moved += 1 }
        }
        #expect(moved > 0)
    }

    @Test func addingAMemberTakesLeadsOnlyForItself() {
        let before: [(String, Double)] = [("anna", 1), ("ben", 1)]
        let after = before + [("eve", 1)]
        for key in Self.keys {
            let new = owner(key, after)
            #expect(new == "eve" || new == owner(key, before))
        }
    }

    @Test func sharesFollowTheWeights() {
        let members: [(String, Double)] = [("anna", 2), ("ben", 1), ("cara", 1)]
        var counts: [String: Int] = [:]
        for key in Self.keys { counts[owner(key, members), default: 0] += 1 }
        // Expected 3000, 1500, 1500; the hash is fixed, so the counts are too, within sampling noise of it.
        #expect((2800...3200).contains(counts["anna"] ?? 0), "\(counts)")
        #expect((1350...1650).contains(counts["ben"] ?? 0), "\(counts)")
        #expect((1350...1650).contains(counts["cara"] ?? 0), "\(counts)")
    }
}
