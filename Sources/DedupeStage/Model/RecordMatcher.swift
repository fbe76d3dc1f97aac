import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

/// Reads one column's raw value in a row (the empty string when the row has none).
public typealias ColumnReader = @Sendable (_ row: Int) -> String

/// The matcher over one list: prepares the fields, generates candidate pairs from the blocking
/// rules, learns the Fellegi–Sunter weights and scores pairs. ``EntityClustering`` turns its links into entities.
///
/// Rows are plain indices `0..<rowCount`; the stage maps them to records.
public final class RecordMatcher: Sendable {
    public let settings: DedupeSettings
    public let rowCount: Int
    /// The compared fields, in ``DedupeSettings/fields`` order.
    public let fields: [PreparedField]
    /// Fields added only to compute blocking keys over columns that are not compared.
    let blockingOnlyFields: [PreparedField]
    /// For each field, the field it may be swapped with.
    let swapPartner: [Int?]
    /// For each field, the field whose disagreement leaves only its exact level (``FieldSpec/conditionalOn``).
    let conditionOf: [Int?]
    /// For each field, the field that makes it redundant when it shows the same employer (``FieldSpec/impliedBy``).
    let impliedBy: [Int?]
    /// For each field, the fields that imply it, nearest first: implication is transitive (the email implies
    /// the company, the company the city, so a shared work domain implies the city).
    let impliedChain: [[Int]]
    /// The given- and family-name fields of the lead rule (a name that differs outweighs the employer's facts).
    let nameFields: [Int]
    /// The lead rule "two work mailboxes at one employer with different family names are two people", resolved
    /// to field indices (nil when the list lacks an email or family-name field).
    let distinctMailboxes: (email: Int, familyName: Int, strong: [Int])?
    /// Per rule: its terms, resolved to a compared field or a blocking-only field, and their transforms.
    let ruleTerms: [[(field: Int, extra: Bool, transform: BlockingTransform)]]
    /// Per rule: the compared fields its key is built from (their levels are biased within its blocks).
    let ruleFields: [[Int]]
    /// The learned model (set by ``train(labels:)``).
    public private(set) nonisolated(unsafe) var model: FellegiSunterModel
    /// The share of matches among blocked pairs that EM found.
    public private(set) nonisolated(unsafe) var trainingPrior: Double = 0
    /// Fields whose learned m was not used (EM did not settle for them, or learned absurd weights), and why;
    /// their m came from ``ComparatorKind/priorM``.
    public private(set) nonisolated(unsafe) var trainingFallbacks: [(String, WeightGuard.Problem)] = []
    /// Per field: log2 of u at the exact level, for term-frequency adjustments.
    private nonisolated(unsafe) var exactU: [Double]

    /// Prepares the fields and blocking keys.
    ///
    /// - Parameter columns: the values of every column a field or blocking rule names, one per row.
    public convenience init(settings: DedupeSettings, rowCount: Int, columns: [String: [String]]) throws(BlockingRuleError) {
        try self.init(settings: settings, rowCount: rowCount, readers: Self.readers(of: columns))
    }

    /// Readers over plain arrays (an empty array reads as empty values).
    static func readers(of columns: [String: [String]]) -> [String: ColumnReader] {
        var readers: [String: ColumnReader] = [:]
        for (name, values) in columns {
            if values.isEmpty {
                readers[name] = { _ in "" }
            } else {
                readers[name] = { row in values[row] }
            }
        }
        return readers
    }

    /// Prepares the fields and blocking keys, reading each row's raw values through `readers`, so the
    /// columns are never gathered into arrays (on a million rows that is 16 MB per column, and the
    /// values stay where the records hold them).
    ///
    /// - Parameter readers: for every column a field or blocking rule names, its value in a row.
    public init(settings: DedupeSettings, rowCount: Int, readers: [String: ColumnReader]) throws(BlockingRuleError) {
        precondition(settings.fields.count <= ComparisonPattern.maxFields, "at most 16 compared fields")
        self.settings = settings
        self.rowCount = rowCount
        let specs = settings.fields
        let fieldReaders: [ColumnReader] = specs.map { spec in
            let cols = spec.columns.compactMap { readers[$0] }
            if cols.isEmpty { return { _ in "" } }
            if cols.count == 1 { return cols[0] }
            return { row in cols.map { $0(row) }.filter { !$0.isEmpty }.joined(separator: " ") }
        }
        fields = ResultSlots.map(specs.count) { f in
            PreparedField(kind: specs[f].comparator, rowCount: rowCount, companyKey: settings.companyKey, value: fieldReaders[f])
        }
        swapPartner = specs.map { spec in spec.swapWith.flatMap { name in specs.firstIndex { $0.name == name } } }
        conditionOf = specs.map { spec in spec.conditionalOn.flatMap { name in specs.firstIndex { $0.name == name } } }
        let implied = specs.map { spec in spec.impliedBy.flatMap { name in specs.firstIndex { $0.name == name } } }
        impliedBy = implied
        impliedChain = specs.indices.map { f in
            var chain: [Int] = [], next = implied[f]
            while let i = next, i != f, !chain.contains(i) { chain.append(i); next = implied[i] }
            return chain
        }
        nameFields = settings.distinctMailboxes.map { rule in
            specs.indices.filter { specs[$0].comparator == .name && (specs[$0].name == rule.familyName || specs[$0].swapWith == rule.familyName) }
        } ?? []
        if let rule = settings.distinctMailboxes,
           let e = specs.firstIndex(where: { $0.name == rule.email && $0.comparator == .email }),
           let l = specs.firstIndex(where: { $0.name == rule.familyName }) {
            distinctMailboxes = (e, l, rule.strongIdentifiers.compactMap { name in specs.firstIndex { $0.name == name } })
        } else {
            distinctMailboxes = nil
        }

        // Resolve blocking terms: a field name, `<field>_key`, or a plain column compared exactly.
        var extraColumns: [String] = []
        var resolved: [[(field: Int, extra: Bool, transform: BlockingTransform)]] = []
        for rule in settings.blocking {
            var terms: [(Int, Bool, BlockingTransform)] = []
            for term in rule.terms {
                if let f = specs.firstIndex(where: { $0.name == term.source }) {
                    terms.append((f, false, term.transform))
                } else if term.source.hasSuffix("_key"),
                          let f = specs.firstIndex(where: { $0.name == String(term.source.dropLast(4)) }) {
                    terms.append((f, false, term.transform))
                } else if readers[term.source] != nil {
                    if !extraColumns.contains(term.source) { extraColumns.append(term.source) }
                    terms.append((extraColumns.firstIndex(of: term.source)!, true, term.transform))
                } else {
                    throw BlockingRuleError("blocking rule '\(rule.text)' names '\(term.source)', which is neither a compared field nor a column")
                }
            }
            resolved.append(terms)
        }
        ruleFields = resolved.map { terms in Array(Set(terms.filter { !$0.extra }.map(\.field))).sorted() }
        let extras = extraColumns
        blockingOnlyFields = ResultSlots.map(extras.count) { PreparedField(kind: .exact, rowCount: rowCount, value: readers[extras[$0]]!) }
        ruleTerms = resolved
        model = FellegiSunterModel(fieldNames: specs.map(\.name), levelNames: specs.map(\.comparator.levelNames),
                                   disagreeing: specs.map(\.comparator.disagreementLevels))
        exactU = []
    }

    // MARK: Blocking keys

    /// Per rule, per row: the block key (0 = not blocked by that rule).
    ///
    /// Computed when the pairs are generated and dropped afterwards: eight bytes per row and rule that
    /// no later phase needs.
    func blockKeys() -> [[UInt64]] {
        let prepared = fields, extraPrepared = blockingOnlyFields, resolvedTerms = ruleTerms, rowCount = self.rowCount
        let unordered = settings.blocking.map(\.isUnordered)
        return ResultSlots.map(resolvedTerms.count) { r in
            let termKeys: [(ids: [Int32], keys: [UInt64])] = resolvedTerms[r].map { term in
                let field = term.extra ? extraPrepared[term.field] : prepared[term.field]
                return (field.ids, term.transform.keys(for: field, byContent: unordered[r]))
            }
            var keys = [UInt64](repeating: 0, count: rowCount)
            var parts = [UInt64](repeating: 0, count: termKeys.count)
            for row in 0..<rowCount {
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1)
                var complete = true
                for (t, term) in termKeys.enumerated() {
                    let id = term.ids[row]
                    if id < 0 { complete = false; break }
                    let k = term.keys[Int(id)]
                    if k == 0 { complete = false; break }
                    parts[t] = k
                }
                guard complete else { keys[row] = 0; continue }
                if unordered[r] { parts.sort() }
                for k in parts {
                    h = (h ^ k) &* 0x100_0000_01b3
                    h ^= h >> 29
                }
                keys[row] = h == 0 ? 1 : h
            }
            return keys
        }
    }

    // MARK: Comparing

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
    public static let contradictionWeight = -40.0

    /// Whether two rows are different people by the lead rule (``contradicts(_:_:pattern:)``).
    public func contradicts(_ a: Int, _ b: Int) -> Bool { contradicts(a, b, pattern: pattern(a, b)) }

    /// Per row, the work email domain (its id), or -1: only rows with the same key can contradict each other.
    public func contradictionKeys() -> [Int32]? {
        guard let rule = distinctMailboxes else { return nil }
        let field = fields[rule.email]
        return field.ids.map { id in id < 0 || field.personal[Int(id)] ? -1 : field.domainIDs[Int(id)] }
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
                let tf = Double(field.counts[Int(field.ids[a])]) / Double(max(field.nonNullCount, 1))
                w += exactU[f] - log2(max(tf, 1 / Double(max(field.nonNullCount, 1))))
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
                let field = fields[f]
                let tf = Double(field.counts[Int(field.ids[a])]) / Double(max(field.nonNullCount, 1))
                w += exactU[f] - log2(max(tf, 1 / Double(max(field.nonNullCount, 1))))
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

    // MARK: Candidate pairs

    /// The blocked pairs with their patterns, and the counts per rule.
    public struct CandidatePairs: Sendable {
        public var a: [Int32]
        public var b: [Int32]
        public var patterns: [ComparisonPattern]
        /// For each pair, a bit per blocking rule whose block holds both rows (bit r = rule r).
        public var rules: [UInt16]
        /// Pairs each rule generated (not counting pairs an earlier rule already generated).
        public var perRule: [Int]
        /// Blocks each rule skipped for being larger than ``DedupeSettings/maxBlockSize``.
        public var oversizedBlocks: [Int]
        public var count: Int { a.count }
    }

    /// Generates every blocked pair once and compares it, on all cores.
    public func candidatePairs(progress: StageProgress = .silent) -> CandidatePairs {
        progress.phase("blocking: keys per rule")
        let ruleKeys = blockKeys()
        let rules = ruleKeys.count
        // A key on one identifier (a mailbox, a phone number, a profile) that many rows share identifies nobody:
        // a switchboard number or a shared inbox. Such blocks are skipped at a smaller size than name blocks.
        let identifiers = Set([ComparatorKind.email, .phone])
        let strong = Set(settings.distinctMailboxes?.strongIdentifiers ?? [])
        let ruleMaxBlock: [Int] = ruleTerms.map { terms in
            guard terms.count == 1, !terms[0].extra, terms[0].transform == .key else { return settings.maxBlockSize }
            let spec = settings.fields[terms[0].field]
            let identifier = identifiers.contains(spec.comparator) || strong.contains(spec.name)
            return identifier ? min(settings.maxBlockSize, settings.maxIdentifierBlockSize) : settings.maxBlockSize
        }
        // Per rule: rows sorted by key, so each block is a run.
        let sorted: [[(key: UInt64, row: Int32)]] = ResultSlots.map(rules) { r in
            var entries: [(key: UInt64, row: Int32)] = []
            entries.reserveCapacity(self.rowCount)
            for (row, key) in ruleKeys[r].enumerated() where key != 0 { entries.append((key, Int32(row))) }
            entries.sort { $0.key < $1.key || ($0.key == $1.key && $0.row < $1.row) }
            // Most keys (a mailbox, a phone) are one row's alone and make no pair: keep only shared keys,
            // so the rules' lists held together are a fraction of a row per rule.
            var shared: [(key: UInt64, row: Int32)] = []
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count && entries[end].key == entries[start].key { end += 1 }
                if end - start > 1 { shared.append(contentsOf: entries[start..<end]) }
                start = end
            }
            return shared
        }
        struct Block { var rule: Int32; var start: Int32; var end: Int32 }
        var blocks: [Block] = []
        var oversized = [Int](repeating: 0, count: rules)
        var oversizedKeys = [Set<UInt64>](repeating: [], count: rules)
        var totalWork = 0
        for r in 0..<rules {
            let entries = sorted[r]
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count && entries[end].key == entries[start].key { end += 1 }
                let size = end - start
                if size > ruleMaxBlock[r] {
                    oversized[r] += 1
                    oversizedKeys[r].insert(entries[start].key)
                } else if size > 1 {
                    blocks.append(Block(rule: Int32(r), start: Int32(start), end: Int32(end)))
                    totalWork += size * (size - 1) / 2
                }
                start = end
            }
        }
        // Balance the work: cut the block list into batches of roughly equal pair counts.
        let batchCount = max(1, min(blocks.count, ProcessInfo.processInfo.activeProcessorCount * 16))
        let perBatch = max(1, totalWork / batchCount + 1)
        var batches: [Range<Int>] = []
        var batchStart = 0, acc = 0
        for (i, block) in blocks.enumerated() {
            let n = Int(block.end - block.start)
            acc += n * (n - 1) / 2
            if acc >= perBatch { batches.append(batchStart..<(i + 1)); batchStart = i + 1; acc = 0 }
        }
        if batchStart < blocks.count { batches.append(batchStart..<blocks.count) }
        let allBlocks = blocks, skippedKeys = oversizedKeys, batchRanges = batches
        progress.phase("blocking: comparing pairs in blocks", done: 0, of: blocks.count)
        struct Batch { var a: [Int32] = []; var b: [Int32] = []; var patterns: [ComparisonPattern] = []; var rules: [UInt16] = []; var perRule: [Int] }
        let results: [Batch] = ResultSlots.map(batches.count) { bi in
            var out = Batch(perRule: [Int](repeating: 0, count: rules))
            var blocksSinceReport = 0
            defer { progress.advance(by: blocksSinceReport) }
            for block in allBlocks[batchRanges[bi]] {
                blocksSinceReport += 1
                if blocksSinceReport == 256 {
                    progress.advance(by: blocksSinceReport)
                    blocksSinceReport = 0
                }
                let r = Int(block.rule)
                let entries = sorted[r]
                for i in Int(block.start)..<Int(block.end) {
                    let x = Int(entries[i].row)
                    for j in (i + 1)..<Int(block.end) {
                        let y = Int(entries[j].row)
                        // Generated already by an earlier rule (unless that rule skipped the block)?
                        var seen = false
                        var mask = UInt16(1) << UInt16(r)
                        for other in 0..<rules where other != r {
                            let k = ruleKeys[other][x]
                            guard k != 0 && k == ruleKeys[other][y] && !skippedKeys[other].contains(k) else { continue }
                            if other < r { seen = true; break }
                            mask |= UInt16(1) << UInt16(other)
                        }
                        if seen { continue }
                        out.a.append(Int32(x))
                        out.b.append(Int32(y))
                        out.patterns.append(self.pattern(x, y))
                        out.rules.append(mask)
                        out.perRule[r] += 1
                    }
                }
            }
            return out
        }
        var pairs = CandidatePairs(a: [], b: [], patterns: [], rules: [], perRule: [Int](repeating: 0, count: rules),
                                   oversizedBlocks: oversized)
        let total = results.reduce(0) { $0 + $1.a.count }
        pairs.a.reserveCapacity(total); pairs.b.reserveCapacity(total); pairs.patterns.reserveCapacity(total)
        for batch in results {
            pairs.a.append(contentsOf: batch.a)
            pairs.b.append(contentsOf: batch.b)
            pairs.patterns.append(contentsOf: batch.patterns)
            pairs.rules.append(contentsOf: batch.rules)
            for r in 0..<rules { pairs.perRule[r] += batch.perRule[r] }
        }
        return pairs
    }

    // MARK: Training

    /// Levels of pairs drawn uniformly at random (seeded): almost all are non-matches, which is what u measures.
    public func randomPatterns() -> [ComparisonPattern: Int] {
        guard rowCount > 1 else { return [:] }
        let possible = Double(rowCount) * Double(rowCount - 1) / 2
        // Small lists need fewer samples: 5 per row (at least 200,000), capped by the setting.
        let wanted = Int(min(Double(min(settings.randomPairs, max(200_000, 5 * rowCount))), possible))
        let tasks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, wanted / 10_000 + 1))
        let seed = settings.seed
        let n = UInt64(rowCount)
        let parts: [[ComparisonPattern: Int]] = ResultSlots.map(tasks) { t in
            var rng = SplitMix64(seed: seed &+ UInt64(t) &* 0x2545_F491_4F6C_DD1D)
            var histogram: [ComparisonPattern: Int] = [:]
            let count = wanted / tasks + (t < wanted % tasks ? 1 : 0)
            var drawn = 0
            while drawn < count {
                let x = Int(rng.next() % n), y = Int(rng.next() % n)
                if x == y { continue }
                histogram[self.pattern(x, y, dependencies: false), default: 0] += 1
                drawn += 1
            }
            return histogram
        }
        var merged: [ComparisonPattern: Int] = [:]
        for part in parts { merged.merge(part, uniquingKeysWith: +) }
        return merged
    }

    /// Estimates u from random pairs, then m and the prior by EM over `candidates` (or from labelled pairs).
    @discardableResult
    public func train(candidates: CandidatePairs, labels: [(Int, Int, Bool)]? = nil,
                      progress: StageProgress = .silent) -> ExpectationMaximisation.Outcome {
        var model = self.model
        progress.phase("training: u from random pairs")
        ExpectationMaximisation.estimateU(&model, randomPatterns: randomPatterns())
        let outcome: ExpectationMaximisation.Outcome
        if let labels, !labels.isEmpty {
            ExpectationMaximisation.trainFromLabels(
                &model, matches: labels.filter { $0.2 }.map { pattern($0.0, $0.1) },
                nonMatches: labels.filter { !$0.2 }.map { pattern($0.0, $0.1) })
            model.guardedWeights = WeightGuard.weights(model, kinds: settings.fields.map(\.comparator))
            // The labelled prior is about labelled pairs; the blocked pairs' prior comes from EM with m and u fixed.
            var histogram: [ComparisonPattern: Int] = [:]
            for p in candidates.patterns { histogram[p, default: 0] += 1 }
            outcome = Self.estimatePrior(&model, patterns: histogram)
        } else {
            // Splink's scheme: one EM session per blocking rule, on the pairs that rule generated,
            // with the fields the rule blocks on left out (within its blocks they agree by construction);
            // each field's m is then the average over the sessions where it was free.
            var perRule = [[ComparisonPattern: Int]](repeating: [:], count: ruleTerms.count)
            // A session sees every pair its rule blocks together, including pairs an earlier rule generated.
            for (p, mask) in zip(candidates.patterns, candidates.rules) {
                var bits = mask
                while bits != 0 {
                    let r = bits.trailingZeroBitCount
                    perRule[r][p, default: 0] += 1
                    bits &= bits - 1
                }
            }
            // Within a session u is re-estimated too: the non-matches inside a block are not random pairs
            // (inside `last_name + company` they are colleagues), and judging them against random pairs is
            // what makes plain EM mistake "same employer" for "same person".
            var sums = model.m.map { $0.map { _ in 0.0 } }
            var uSums = model.u.map { $0.map { _ in 0.0 } }
            var sessions = [Int](repeating: 0, count: fields.count), uSessions = sessions
            var failed = [WeightGuard.Problem?](repeating: nil, count: fields.count)
            var iterations = 0, converged = true
            let kinds = settings.fields.map(\.comparator)
            let sessionRules = perRule.indices.filter { perRule[$0].values.reduce(0, +) >= 20 }
            progress.phase("training: EM sessions per blocking rule", done: 0, of: sessionRules.count)
            for r in sessionRules {
                defer { progress.advance() }
                var session = model
                let result = ExpectationMaximisation.train(&session, patterns: perRule[r], maxIterations: settings.maxIterations,
                                                           fixU: false, excluding: Set(ruleFields[r]))
                iterations += result.iterations
                converged = converged && result.converged
                for f in fields.indices where !ruleFields[r].contains(f) {
                    // A session that did not settle says nothing reliable about this field: leave it out.
                    if !result.converged { failed[f] = failed[f] ?? .notConverged; continue }
                    for l in uSums[f].indices { uSums[f][l] += session.u[f][l] }
                    uSessions[f] += 1
                    // Nor does one whose m, judged against the random pairs' u that scoring uses, contradicts
                    // what the levels mean.
                    var judged = model
                    judged.m[f] = session.m[f]
                    if let problem = WeightGuard.problem(judged, field: f, kind: kinds[f]) { failed[f] = problem; continue }
                    for l in sums[f].indices { sums[f][l] += session.m[f][l] }
                    sessions[f] += 1
                }
            }
            for f in fields.indices where uSessions[f] > 0 {
                // Levels judged against the block's own non-matches (two mailboxes at one employer are
                // compared with colleagues, not with random pairs): u from the sessions.
                for l in fields[f].kind.blockConditionalLevels {
                    model.u[f][l] = max(model.u[f][l], uSums[f][l] / Double(uSessions[f]))
                }
            }
            var fallbacks: [(String, WeightGuard.Problem)] = []
            for f in fields.indices {
                if sessions[f] > 0 {
                    model.m[f] = sums[f].map { $0 / Double(sessions[f]) }
                    if let problem = WeightGuard.problem(model, field: f, kind: kinds[f]) { failed[f] = problem } else { continue }
                }
                // No sane session: m from the priors every people list roughly follows; u stays measured.
                model.m[f] = kinds[f].priorM
                fallbacks.append((model.fieldNames[f], failed[f] ?? .noSession))
            }
            trainingFallbacks = fallbacks
            model.guardedWeights = WeightGuard.weights(model, kinds: kinds)
            var histogram: [ComparisonPattern: Int] = [:]
            for p in candidates.patterns { histogram[p, default: 0] += 1 }
            let prior = Self.estimatePrior(&model, patterns: histogram)
            outcome = .init(iterations: iterations + prior.iterations, converged: converged && prior.converged)
        }
        // EM's prior is the share of matches among blocked pairs; scoring uses the share among all
        // pairs of the list (as Splink's probability_two_random_records_match), so a pair must
        // overcome the odds against two random rows being the same entity.
        trainingPrior = model.lambda
        let allPairs = Double(rowCount) * Double(max(rowCount - 1, 1)) / 2
        let expectedMatches = model.lambda * Double(candidates.count)
        model.lambda = min(max(expectedMatches / max(allPairs, 1), 1e-12), 0.5)
        install(model)
        return outcome
    }

    /// Uses a given model (for example one trained earlier) instead of training.
    public func install(_ model: FellegiSunterModel) {
        var model = model
        if model.guardedWeights == nil { model.guardedWeights = WeightGuard.weights(model, kinds: settings.fields.map(\.comparator)) }
        self.model = model
        exactU = fields.indices.map { log2(max(model.u[$0][Int(fields[$0].kind.exactLevel)], FellegiSunterModel.floor)) }
    }

    static func estimatePrior(_ model: inout FellegiSunterModel, patterns: [ComparisonPattern: Int]) -> ExpectationMaximisation.Outcome {
        for iteration in 1...50 {
            var mass = 0.0, total = 0.0
            for (p, n) in patterns {
                mass += Double(n) * FellegiSunterModel.probability(weight: model.weight(of: p))
                total += Double(n)
            }
            let lambda = min(max(mass / max(total, 1), 1e-9), 1 - 1e-9)
            defer { model.lambda = lambda }
            if abs(lambda - model.lambda) < 1e-7 { return .init(iterations: iteration, converged: true) }
        }
        return .init(iterations: 50, converged: false)
    }

    // MARK: Scoring

    /// Scores every candidate pair; returns those at or above `minimumProbability`, strongest first.
    public func scoredPairs(_ candidates: CandidatePairs, minimumProbability: Double,
                            progress: StageProgress = .silent) -> [ScoredPair] {
        progress.phase("scoring pairs", done: 0, of: candidates.count)
        let minWeight = FellegiSunterModel.weight(probability: minimumProbability)
        var patternWeights: [ComparisonPattern: Double] = [:]
        for p in candidates.patterns where patternWeights[p] == nil { patternWeights[p] = model.weight(of: p) }
        let weights = patternWeights
        // Upper bound on the term-frequency bonus, so pairs that cannot reach the bar skip the per-field work.
        let maxBonus = fields.indices.reduce(0.0) { acc, f in
            settings.fields[f].termFrequency ? acc + max(0, exactU[f] + log2(Double(max(fields[f].nonNullCount, 1)))) : acc
        }
        let tasks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 8, candidates.count / 50_000 + 1))
        let chunk = (candidates.count + tasks - 1) / tasks
        let parts: [[ScoredPair]] = ResultSlots.map(tasks) { t in
            var out: [ScoredPair] = []
            let lo = t * chunk, hi = min(candidates.count, lo + chunk)
            guard lo < hi else { return out }
            for i in lo..<hi {
                if (i - lo) & 16_383 == 16_383 { progress.advance(by: 16_384) }
                let p = candidates.patterns[i]
                let base = weights[p]!
                if base + maxBonus < minWeight { continue }
                let a = Int(candidates.a[i]), b = Int(candidates.b[i])
                let w = self.weight(a, b, pattern: p, patternWeight: base)
                if w >= minWeight { out.append(ScoredPair(a: Int32(a), b: Int32(b), weight: w)) }
            }
            progress.advance(by: (hi - lo) & 16_383)
            return out
        }
        progress.phase("scoring: ranking the links")
        var all = parts.flatMap { $0 }
        all.sort { $0.weight > $1.weight || ($0.weight == $1.weight && ($0.a, $0.b) < ($1.a, $1.b)) }
        return all
    }
}

/// A compared pair with its match weight (prior included).
public struct ScoredPair: Sendable, Equatable {
    public var a: Int32
    public var b: Int32
    public var weight: Double
    public var probability: Double { FellegiSunterModel.probability(weight: weight) }

    public init(a: Int32, b: Int32, weight: Double) {
        self.a = a
        self.b = b
        self.weight = weight
    }
}
