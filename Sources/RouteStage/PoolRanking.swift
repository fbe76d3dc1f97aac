/// The members of every pool as rendezvous ranking reads them: names as bytes in one array, with weights,
/// so ranking a lead hashes its key once and each member's name after it, with no strings touched.
struct PoolRanking: Sendable {
    private struct Member: Sendable {
        let nameStart: Int
        let nameCount: Int
        let weight: Double
    }

    private let names: ContiguousArray<UInt8>
    /// Per pool, its members in order.
    private let members: [ContiguousArray<Member>]

    init(_ pools: [RoutePool]) {
        var names: ContiguousArray<UInt8> = []
        members = pools.map { pool in
            ContiguousArray(pool.members.map { member in
                let start = names.count
                names.append(contentsOf: member.rep.utf8)
                return Member(nameStart: start, nameCount: names.count - start, weight: member.weight)
            })
        }
        self.names = names
    }

    /// The member of pool `p` the lead ranks first (the earliest of equal scores).
    func first(of p: Int, key: RendezvousAssignment.KeyState) -> Int {
        names.withUnsafeBufferPointer { names in
            members[p].withUnsafeBufferPointer { members in
                var best = 0
                var bestScore = -Double.infinity
                for m in members.indices {
                    let name = UnsafeBufferPointer(rebasing: names[members[m].nameStart..<(members[m].nameStart + members[m].nameCount)])
                    let score = key.score(member: name, weight: members[m].weight)
                    if score > bestScore { (best, bestScore) = (m, score) }
                }
                return best
            }
        }
    }

    /// Every member's score for the lead, in member order, into `scores`.
    func scores(of p: Int, key: RendezvousAssignment.KeyState, into scores: inout [Double]) {
        scores.removeAll(keepingCapacity: true)
        names.withUnsafeBufferPointer { names in
            for member in members[p] {
                let name = UnsafeBufferPointer(rebasing: names[member.nameStart..<(member.nameStart + member.nameCount)])
                scores.append(key.score(member: name, weight: member.weight))
            }
        }
    }
}
