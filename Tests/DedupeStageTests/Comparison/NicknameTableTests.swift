import Testing
@testable import DedupeStage

@Suite struct NicknameTableTests {
    @Test(arguments: [("Bob", "Robert"), ("bill", "William"), ("Liz", "Elizabeth"), ("Peggy", "Margaret"), ("Al", "Albert"), ("Al", "Alan"), ("Molly", "Mary")])
    func shippedTableKnowsCommonNicknames(_ nickname: String, _ formal: String) {
        #expect(NicknameTable.shared.areEquivalent(nickname, formal))
    }

    @Test(arguments: [("Bob", "William"), ("Albert", "Alan"), ("Robert", "Roberta")])
    func namesFromDifferentGroupsAreNotEquivalent(_ a: String, _ b: String) {
        #expect(!NicknameTable.shared.areEquivalent(a, b))
    }

    @Test func aShortFormMayBelongToSeveralGroups() {
        let table = NicknameTable(text: "# comment\nalbert,al\nalan,al\n")
        #expect(table.areEquivalent("al", "albert"))
        #expect(table.areEquivalent("al", "alan"))
        #expect(!table.areEquivalent("albert", "alan"))
        #expect(table.groups(of: "al").count == 2)
    }
}
