import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec
@testable import RouteStage
import Testing
import TestSupport

@Suite("route: lead keys hashed from the cells' bytes")
struct LeadKeyHashingTests {
    static let reps = (1...12).map { "rep\($0)@example.com" }
    static let options = """
        rules:
          - { default: true, pool: all }
        pools:
          all: { members: [ \(reps.map { "{ rep: \($0) }" }.joined(separator: ", ")) ] }
        """

    /// The rep a lead with this key goes to, worked out from the key's text.
    func rep(for key: String) -> String {
        Self.reps.max { RendezvousAssignment.score(key: key, member: $0, weight: 1) < RendezvousAssignment.score(key: key, member: $1, weight: 1) }!
    }

    @Test func aLeadGoesToTheRepItsKeyRanksFirstHoweverItsIdOrAddressIsWritten() throws {
        // Ids and addresses as exports write them: padded, upper-case, accented, tab-separated, missing.
        let (stage, schema, records0) = try StageFixture.stage(
            RouteStage.self, Self.options, context: StageContext(pipelineFile: "t.yml"), table: """
                Id|Email|Note
                L1|ann@example.com|x
                 L2 \t||x
                |Bob@Example.COM|x
                |  cy@x.io\r|x
                |ZOË@Exämple.de|x
                | \t|x
                \t||x
                """, columns: [.recordID: "Id", .email: "Email"])
        guard case .wholeList(let routing) = stage else { throw OptionProblem("route is a whole-list stage") }
        var records = records0
        _ = try routing.processReporting(&records)
        let owner = try require(schema.index(of: "owner")).position
        let keys = ["record:L1", "record:L2", "email:bob@example.com", "email:cy@x.io", "email:zoë@exämple.de", "line:7", "line:8"]
        #expect(records.map { $0.values[owner] } == keys.map(rep(for:)))
    }

    @Test func theWebsiteMemoAnswersAsADictionaryWould() {
        var memo = ByteKeyedMemo<Int>()
        var calls = 0
        func value(_ key: some StringProtocol, _ made: Int) -> Int {
            memo.value(key) {
                calls += 1
                return made
            }
        }
        // Enough keys to grow the table several times; each is worked out once.
        for i in 0..<5000 { #expect(value("site\(i).example.com", i) == i) }
        for i in 0..<5000 { #expect(value("site\(i).example.com", -1) == i) }
        #expect(calls == 5000)
        #expect(value("", 7) == 7 && value("", 8) == 7)
        // Not ASCII: Unicode's equality, so "é" written precomposed or as "e" and its accent is one key.
        #expect(value("caf\u{E9}.fr", 1) == 1)
        #expect(value("cafe\u{301}.fr", 2) == 1)
        #expect(value(Substring("www.café.fr").dropFirst(4), 3) == 1)
    }

    @Test func theWebsiteMemoTellsApartKeysThatDifferOnlyPastTheirFirst32Bytes() {
        var memo = ByteKeyedMemo<Int>()
        let prefix = String(repeating: "sub.", count: 8) // 32 bytes
        // Lengths around the 32 bytes a slot holds, keys that share those 32 bytes, and a zero byte at the end
        // (a shorter key padded with zeros is still another key).
        let keys = ["a", "a\u{0}", String(prefix.dropLast()), prefix, prefix + "x", prefix + "y", prefix + "xy", prefix + prefix + "acme.com",
                    prefix + prefix + "acme.con", String(repeating: "z", count: 8), String(repeating: "z", count: 9)]
        for (i, key) in keys.enumerated() { #expect(memo.value(key) { i } == i, "\(key)") }
        for (i, key) in keys.enumerated() { #expect(memo.value(key) { -1 } == i, "\(key)") }
    }
}
