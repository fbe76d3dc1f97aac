import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

// Comparing two rows: levels per field, dependencies between fields, weights and explanations.
extension RecordMatcher {
    /// The agreement levels of two rows.
    ///
    /// - Parameter dependencies: apply ``FieldSpec/conditionalOn`` and ``FieldSpec/impliedBy`` (scoring and EM);
    ///   u is estimated without them, so a level's u is its plain share among random pairs.
    @inline(__always)
    public func pattern(_ a: Int, _ b: Int, dependencies: Bool = true) -> ComparisonPattern {
        var pattern = ComparisonPattern()
        for f in fields.indices { pattern.set(f, fields[f].level(rows: a, b)) }
        for f in fields.indices {
            guard let g = swapPartner[f], g > f else { continue }
            let lf = pattern.level(f), lg = pattern.level(g)
            guard lf == 0 || lg == 0, lf != PreparedField.nullLevel, lg != PreparedField.nullLevel else { continue }
            // First and last name written the wrong way round: compare crosswise. Exactly swapped names take the
            // level below exact; a swap with a slip in one name or an initial takes the crosswise level of each
            // (only when both names differ as written, so a swap never lowers an agreement).
            let F = fields[f], G = fields[g]
            let x = Self.crosswiseLevel(F, F.ids[a], G, G.ids[b])
            let y = Self.crosswiseLevel(G, G.ids[a], F, F.ids[b])
            if x == F.kind.exactLevel && y == G.kind.exactLevel {
                pattern.set(f, F.kind.exactLevel - 1)
                pattern.set(g, G.kind.exactLevel - 1)
            } else if lf == 0 && lg == 0 && x > 0 && y > 0 {
                pattern.set(f, min(x, F.kind.exactLevel - 1))
                pattern.set(g, min(y, G.kind.exactLevel - 1))
            }
        }
        // Dependencies between lead fields, so one fact (a job change, an employer) is not counted twice.
        guard dependencies else { return pattern }
        applyDependencies(&pattern, a, b) { _, _ in }
        return pattern
    }

    /// The level of two values from different fields (a swap): exact; for names also a nickname ("Matt" written
    /// as the family name of "Matthew"), an initial, or a one-edit slip (`typo`); else different.
    static func crosswiseLevel(_ F: PreparedField, _ x: Int32, _ G: PreparedField, _ y: Int32) -> UInt8 {
        let kx = F.key(Int(x)), ky = G.key(Int(y))
        if kx.elementsEqual(ky) { return F.kind.exactLevel }
        guard F.kind == .name, G.kind == .name, !kx.isEmpty, !ky.isEmpty else { return 0 }
        if NicknameTable.intersect(F.nicknameGroups[Int(x)], G.nicknameGroups[Int(y)]) { return 3 }
        if kx.count == 1 { return G.initialMasks[Int(y)] & NicknameTable.initialBit(kx[kx.startIndex]) != 0 ? 1 : 0 }
        if ky.count == 1 { return F.initialMasks[Int(x)] & NicknameTable.initialBit(ky[ky.startIndex]) != 0 ? 1 : 0 }
        let oneEdit = kx.withUnsafeBufferPointer { bx in ky.withUnsafeBufferPointer { by in EditDistance.withinOne(bx, by) } }
        return oneEdit ? F.kind.exactLevel - 1 : 0
    }

    /// Why a field's level was set aside for a pair.
    public enum Skip: Sendable, Equatable {
        /// The field is implied by another field that shows the same employer (`implied_by: email`).
        case impliedBy(Int)
        /// The field it is conditional on disagrees, and only its exact level counts then (`conditional_on: company`).
        case conditionalOn(Int)
        /// An employer's fact (company, city) while a name differs: it makes the rows colleagues, not one person.
        case contradictedBy(Int)
    }

    /// Sets aside what ``FieldSpec/conditionalOn`` and ``FieldSpec/impliedBy`` say carries no evidence,
    /// telling `skipped` about each field it sets aside.
    @inline(__always)
    func applyDependencies(_ pattern: inout ComparisonPattern, _ a: Int, _ b: Int, skipped: (Int, Skip) -> Void) {
        let original = pattern
        for f in fields.indices {
            let level = original.level(f)
            if level == PreparedField.nullLevel { continue }
            if let c = conditionOf[f], original.level(c) == 0, level != fields[f].kind.exactLevel {
                pattern.set(f, PreparedField.nullLevel)
                skipped(f, .conditionalOn(c))
                continue
            }
            // Agreements colleagues share (city, country, company, a neighbouring extension) say nothing
            // once the employer agrees, whichever field shows it.
            guard !impliedChain[f].isEmpty, fields[f].kind.colleagueLevels.contains(Int(level)) else { continue }
            // Farthest first: when the email shows the employer, it is the email that implies the city (through the company).
            var implied = false
            for i in impliedChain[f].reversed() {
                let li = original.level(i)
                if li != PreparedField.nullLevel, fields[i].showsSameEmployer(rows: a, b, level: li) {
                    pattern.set(f, PreparedField.nullLevel)
                    skipped(f, .impliedBy(i))
                    implied = true
                    break
                }
            }
            // Nor once a name differs: the employer's facts make two rows colleagues, and a different given or
            // family name says which colleague (the `different` level is not outweighed by what it contradicts).
            if !implied, let n = nameFields.first(where: { original.level($0) == 0 }) {
                pattern.set(f, PreparedField.nullLevel)
                skipped(f, .contradictedBy(n))
            }
        }
    }

    /// Whether two rows are different people by the lead rule: two different work mailboxes at one
    /// non-free domain and different family names, with no strong identifier (the same LinkedIn profile,
    /// or the same phone number, unless a switchboard many rows share) agreeing.
    @inline(__always)
    public func contradicts(_ a: Int, _ b: Int, pattern: ComparisonPattern) -> Bool {
        guard let rule = distinctMailboxes else { return false }
        // The email's own level, before dependencies (a differently written company must not hide it).
        guard fields[rule.email].level(rows: a, b) == 2, pattern.level(rule.familyName) == 0 else { return false }
        for f in rule.strong where pattern.level(f) == fields[f].kind.exactLevel {
            if fields[f].counts[Int(fields[f].ids[a])] <= Self.sharedIdentifierRows { return false }
        }
        return true
    }

    /// An identifier held by more rows than this is shared (a switchboard, a team profile), not strong evidence.
    static let sharedIdentifierRows: Int32 = 8
    /// The weight a pair the lead rule says are two people gets, whatever its fields: far below any threshold.
    package static let contradictionWeight = -40.0

    /// Whether two rows are different people by the lead rule (``contradicts(_:_:pattern:)``).
    public func contradicts(_ a: Int, _ b: Int) -> Bool { contradicts(a, b, pattern: pattern(a, b)) }

    /// Per row, the work email domain (its id), or -1: only rows with the same key can contradict each other.
    package func contradictionKeys() -> [Int32]? {
        guard let rule = distinctMailboxes else { return nil }
        let field = fields[rule.email]
        return field.ids.map { id in id < 0 || field.personal[Int(id)] ? -1 : field.domainIDs[Int(id)] }
    }

    /// The share of field `f`'s values equal to `row`'s (at least one row's share), beside the pseudo-rows a small list lacks, which hold the
    /// comparator's prior exact-level u (``SmallListPrior``): in four rows, a name two rows share is not one in two.
    @inline(__always)
    func termFrequency(_ f: Int, row: Int) -> Double {
        let field = fields[f], prior = termFrequencyPrior[f]
        let rows = Double(max(field.nonNullCount, 1)) + prior.rows
        // No value is rarer than one of the rows (real and pseudo) it is counted among.
        return max((Double(field.counts[Int(field.ids[row])]) + prior.mass) / rows, 1 / rows)
    }

    /// The match weight of two rows (prior, levels and term-frequency adjustments).
    @inline(__always)
    public func weight(_ a: Int, _ b: Int, pattern: ComparisonPattern, patternWeight: Double) -> Double {
        if contradicts(a, b, pattern: pattern) { return min(patternWeight, Self.contradictionWeight) }
        var w = patternWeight
        for f in fields.indices where settings.fields[f].termFrequency {
            let field = fields[f]
            if pattern.level(f) == field.kind.exactLevel {
                // Splink's term-frequency adjustment: replace the average u of an exact match by the value's own frequency.
                let tf = termFrequency(f, row: a)
                w += exactU[f] - log2(tf)
            }
        }
        return w
    }

    /// The match weight of two rows, computed from scratch.
    public func weight(_ a: Int, _ b: Int) -> Double {
        let p = pattern(a, b)
        return weight(a, b, pattern: p, patternWeight: model.weight(of: p))
    }

    /// Which comparisons agreed and their weights, which fields were set aside and why, and whether the
    /// lead rule on work mailboxes ruled the pair out.
    public func explain(_ a: Int, _ b: Int) -> MatchExplanation {
        var p = pattern(a, b, dependencies: false)
        var skips = [Skip?](repeating: nil, count: fields.count)
        applyDependencies(&p, a, b) { f, why in skips[f] = why }
        var contributions: [MatchExplanation.Contribution] = []
        contributions.reserveCapacity(fields.count)
        var total = model.priorWeight
        for f in fields.indices {
            let level = p.level(f)
            var w = model.weight(field: f, level: level)
            if settings.fields[f].termFrequency, level == fields[f].kind.exactLevel {
                let tf = termFrequency(f, row: a)
                w += exactU[f] - log2(tf)
            }
            total += w
            var name = level == PreparedField.nullLevel ? "missing" : model.levelNames[f][Int(level)]
            var note: String?
            switch skips[f] {
            case .impliedBy(let i): name = "skipped"; note = "implied_by: " + model.fieldNames[i]
            case .conditionalOn(let c): name = "skipped"; note = "conditional_on: " + model.fieldNames[c] + " differs"
            case .contradictedBy(let n): name = "skipped"; note = model.fieldNames[n] + " differs: colleagues, not one person"
            case nil: if level != PreparedField.nullLevel && level > 0 && isSwapped(a, b, field: f) { name = "swapped" }
            }
            contributions.append(.init(field: model.fieldNames[f], level: name, weight: w, note: note))
        }
        var rule: String?
        if contradicts(a, b, pattern: p) {
            rule = "distinct_work_mailboxes"
            total = min(total, Self.contradictionWeight)
        }
        return MatchExplanation(contributions: contributions, priorWeight: model.priorWeight, weight: total,
                                probability: FellegiSunterModel.probability(weight: total), rule: rule)
    }

    /// Whether field `f` agrees with its swap partner crosswise (first and last name written the wrong way round).
    func isSwapped(_ a: Int, _ b: Int, field f: Int) -> Bool {
        let partner = swapPartner[f] ?? swapPartner.firstIndex(of: f)
        guard let g = partner else { return false }
        let F = fields[f], G = fields[g]
        guard F.ids[a] >= 0, F.ids[b] >= 0, G.ids[a] >= 0, G.ids[b] >= 0 else { return false }
        let lf = F.level(rows: a, b), lg = G.level(rows: a, b)
        guard lf == 0 || lg == 0 else { return false }
        let x = Self.crosswiseLevel(F, F.ids[a], G, G.ids[b])
        let y = Self.crosswiseLevel(G, G.ids[a], F, F.ids[b])
        if x == F.kind.exactLevel && y == G.kind.exactLevel { return true }
        return lf == 0 && lg == 0 && x > 0 && y > 0
    }
}
