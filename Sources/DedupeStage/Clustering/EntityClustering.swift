import PipelineSpec

/// Groups linked rows into entities without letting a chain of links join unrelated people.
///
/// Links are taken strongest first (best-edge linkage). Two single rows join on their link alone;
/// two groups join only when enough of the pairs across them also look alike (cluster coherence):
/// "Bob Smith at Acme" – "Robert Smith (gmail)" – "Rob Smith at Initech" stays two entities if
/// the ends do not match each other.
public struct EntityClustering: Sendable {
    /// Two groups merge when more than this share of their cross pairs (or all of them) score at or above `pairProbability`.
    package var coherence: Double
    /// The per-pair bar of the coherence test.
    package var pairProbability: Double
    /// Groups whose cross product exceeds this many pairs are only merged on a sample of cross pairs.
    package var maxCrossPairs: Int = 400

    public init(coherence: Double, pairProbability: Double) {
        self.coherence = coherence
        self.pairProbability = pairProbability
    }

    /// The entities found.
    public struct Result: Sendable {
        /// Per row, the entity's representative row (the smallest row index in it).
        public var entity: [Int32]
        /// Per row, the strongest link weight to another row of its entity (`-infinity` for singletons).
        package var bestWeight: [Double]
        /// Per row, the row of that strongest link (-1 for singletons).
        package var bestPartner: [Int32]
        /// Links above the threshold that the coherence test refused.
        public var refused: [ScoredPair]
        /// How many entities have more than one row.
        package var multiRowEntities: Int
    }

    /// Pairs of rows that must never share an entity (two people by a hard rule), found cheaply: only rows
    /// with the same non-negative key can conflict, and `conflicts` says whether two such rows do.
    public struct CannotLink {
        public var keys: [Int32]
        public var conflicts: (Int, Int) -> Bool

        public init(keys: [Int32], conflicts: @escaping (Int, Int) -> Bool) {
            self.keys = keys
            self.conflicts = conflicts
        }
    }

    /// Clusters `rowCount` rows from `links` sorted strongest first.
    ///
    /// - Parameters:
    ///   - pairWeight: the match weight of any two rows, used to test coherence across groups.
    ///   - cannotLink: pairs that may never end up in one entity, however many links chain them.
    public func cluster(rowCount: Int, links: [ScoredPair], pairWeight: (Int, Int) -> Double,
                        cannotLink: CannotLink? = nil, progress: StageProgress = .silent) -> Result {
        var parent = Array(Int32(0)..<Int32(rowCount))
        var members: [Int32: [Int32]] = [:]
        var bestWeight = [Double](repeating: -.infinity, count: rowCount)
        var bestPartner = [Int32](repeating: -1, count: rowCount)
        var refused: [ScoredPair] = []
        let pairBar = FellegiSunterModel.weight(probability: pairProbability)

        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x {
                parent[Int(x)] = parent[Int(parent[Int(x)])]
                x = parent[Int(x)]
            }
            return x
        }
        func note(_ link: ScoredPair) {
            if link.weight > bestWeight[Int(link.a)] { bestWeight[Int(link.a)] = link.weight; bestPartner[Int(link.a)] = link.b }
            if link.weight > bestWeight[Int(link.b)] { bestWeight[Int(link.b)] = link.weight; bestPartner[Int(link.b)] = link.a }
        }

        for (done, link) in links.enumerated() {
            if done & 4095 == 0 { progress.update(done: done) }
            let ra = find(link.a), rb = find(link.b)
            if ra == rb { note(link); continue }
            let groupA = members[ra] ?? [ra], groupB = members[rb] ?? [rb]
            if groupA.count > 1 || groupB.count > 1 {
                guard coherent(groupA, groupB, bar: pairBar, pairWeight: pairWeight),
                      !conflict(groupA, groupB, cannotLink) else {
                    refused.append(link)
                    continue
                }
            }
            // Union: the larger group absorbs the smaller.
            let (keep, drop) = groupA.count >= groupB.count ? (ra, rb) : (rb, ra)
            parent[Int(drop)] = keep
            members[keep] = (members[keep] ?? [keep]) + (members[drop] ?? [drop])
            members[drop] = nil
            note(link)
        }

        var representative = [Int32](repeating: -1, count: rowCount)
        var entity = [Int32](repeating: 0, count: rowCount)
        var multi = 0
        for row in 0..<rowCount {
            let root = Int(find(Int32(row)))
            if representative[root] < 0 {
                representative[root] = Int32(row)  // rows visited in order: the first seen is the smallest
                if (members[Int32(root)]?.count ?? 1) > 1 { multi += 1 }
            }
            entity[row] = representative[root]
        }
        return Result(entity: entity, bestWeight: bestWeight, bestPartner: bestPartner, refused: refused,
                      multiRowEntities: multi)
    }

    /// Whether any row of `a` and any row of `b` may not share an entity. Every such pair is checked (not a
    /// sample, as coherence is): rows are indexed by key, so only rows that could conflict are compared.
    private func conflict(_ a: [Int32], _ b: [Int32], _ cannotLink: CannotLink?) -> Bool {
        guard let cannotLink else { return false }
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var byKey: [Int32: [Int32]] = [:]
        for x in small where cannotLink.keys[Int(x)] >= 0 { byKey[cannotLink.keys[Int(x)], default: []].append(x) }
        if byKey.isEmpty { return false }
        for y in large {
            let key = cannotLink.keys[Int(y)]
            guard key >= 0, let rows = byKey[key] else { continue }
            for x in rows where cannotLink.conflicts(Int(x), Int(y)) { return true }
        }
        return false
    }

    private func coherent(_ a: [Int32], _ b: [Int32], bar: Double, pairWeight: (Int, Int) -> Double) -> Bool {
        var agreeing = 0, tested = 0
        let total = a.count * b.count
        // Large groups: test an even spread of cross pairs rather than all of them.
        let stride = total > maxCrossPairs ? total / maxCrossPairs + 1 : 1
        var index = 0
        for x in a {
            for y in b {
                defer { index += 1 }
                if index % stride != 0 { continue }
                tested += 1
                if pairWeight(Int(x), Int(y)) >= bar { agreeing += 1 }
            }
        }
        // More than the required share, or all of them (so `coherence: 1` demands every cross pair).
        return agreeing == tested || Double(agreeing) > coherence * Double(tested)
    }
}
