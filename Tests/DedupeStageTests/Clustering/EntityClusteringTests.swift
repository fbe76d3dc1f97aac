import Testing
@testable import DedupeStage

@Suite struct EntityClusteringTests {
    let clustering = EntityClustering(coherence: 0.5, pairProbability: 0.5)

    /// Clusters rows from a symmetric table of pair weights; absent pairs weigh -20 (clearly different).
    func cluster(_ rows: Int, links: [(Int32, Int32, Double)], weights: [[Int]: Double] = [:]) -> [Int32] {
        let sorted = links.map { ScoredPair(a: $0.0, b: $0.1, weight: $0.2) }.sorted { $0.weight > $1.weight }
        let all = weights.merging(links.map { ([Int($0.0), Int($0.1)], $0.2) }) { a, _ in a }
        return clustering.cluster(rowCount: rows, links: sorted) { a, b in all[[min(a, b), max(a, b)]] ?? -20 }.entity
    }

    @Test func singletonsStayAlone() {
        #expect(cluster(3, links: []) == [0, 1, 2])
    }

    @Test func exactDuplicatesFormOneEntityNamedByTheirFirstRow() {
        let entity = cluster(4, links: [(1, 3, 30), (1, 2, 30), (2, 3, 30)])
        #expect(entity == [0, 1, 1, 1])
    }

    @Test func transitiveChainOfAgreeingRowsIsOneEntity() {
        // A–B and B–C linked, and A–C also look alike: the chain is coherent.
        let entity = cluster(3, links: [(0, 1, 20), (1, 2, 18)], weights: [[0, 2]: 5])
        #expect(entity == [0, 0, 0])
    }

    @Test func chainThroughOneRowDoesNotJoinUnrelatedPeople() {
        // Bob@Acme – Robert (gmail) – Rob@Initech: each end links to the middle but not to each other.
        let entity = cluster(3, links: [(0, 1, 20), (1, 2, 18)], weights: [[0, 2]: -15])
        #expect(entity[0] == entity[1])
        #expect(entity[2] != entity[0])
    }

    @Test func longChainIsCutWhereTheGroupsStopAgreeing() {
        // 0-1-2 agree with each other; 3-4 agree; a single weak bridge 2–3 must not join the two groups.
        let entity = cluster(5, links: [(0, 1, 25), (1, 2, 25), (0, 2, 25), (3, 4, 25), (2, 3, 6)])
        #expect(Set(entity[0...2]).count == 1)
        #expect(Set(entity[3...4]).count == 1)
        #expect(entity[0] != entity[3])
    }

    @Test func clusteringReportsBestLinkAndRefusedLinks() {
        let links = [ScoredPair(a: 0, b: 1, weight: 20), ScoredPair(a: 1, b: 2, weight: 18)]
        let result = clustering.cluster(rowCount: 3, links: links) { a, b in (a, b) == (0, 2) || (a, b) == (2, 0) ? -15 : 20 }
        #expect(result.bestPartner[0] == 1)
        #expect(result.bestWeight[1] == 20)
        #expect(result.refused.count == 1)
        #expect(result.multiRowEntities == 1)
    }
}
