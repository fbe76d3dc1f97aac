import LeadRecords
import RowExpressions

/// score's bound rules laid out for the per-row loop: one flat array of rules in group order, every
/// text a row's columns repeat (group names, rule labels, column names, scores, missing groups) made
/// once here, so scoring a row evaluates conditions and copies bytes, and builds one string, its reasons.
struct ScoringPlan: Sendable {
    /// A rule as the loop reads it.
    struct Rule: Sendable {
        /// Points earned; 0 for an exclude rule.
        let points: Int
        let excludes: Bool
        /// The rule's position in its group: the first 64 rules of a group are explained.
        let positionInGroup: Int
        /// Its explanation: ``ScoringPlan/parts`` `firstPart ..< firstPart + partCount`.
        let firstPart: Int
        let partCount: Int
    }

    /// A piece of a rule's explanation: text, then (unless `column` is `nil`) the row's value of that column.
    struct Part: Sendable {
        let textStart: Int
        let textCount: Int
        let column: Int?
    }

    /// A group as the loop reads it: its rules are ``ScoringPlan/rules`` `firstRule ..< endRule`.
    struct Group: Sendable {
        let firstRule: Int
        let endRule: Int
        let cap: Int?
        /// ` name: ` in ``ScoringPlan/texts``, what follows the points in the reasons.
        let headerStart: Int
        let headerCount: Int
    }

    /// Groups up to this many have every `<name>_missing` text made in advance (2^n of them).
    static let groupsWithMissingTexts = 8
    /// Scores within this many of each other have their texts made in advance.
    static let scoreTextRange = 100_000

    let rules: ContiguousArray<Rule>
    /// Each rule's condition, apart from the rule so reading a rule copies no reference.
    let conditions: ContiguousArray<BoundExpression>
    /// The same conditions as the loop evaluates them, retaining nothing (``conditions`` keeps them alive).
    let unretainedConditions: ContiguousArray<UnretainedExpression>
    let groups: ContiguousArray<Group>
    let parts: ContiguousArray<Part>
    let texts: ContiguousArray<UInt8>
    let groupNames: [String]
    /// `<name>_missing` by the set of unjudged groups (bit `g` for group `g`), when there are few groups.
    let missingTexts: ByteTexts
    /// `String(score)` for every score from ``lowestScore`` up, when the possible scores are few.
    let scoreTexts: ByteTexts
    let lowestScore: Int
    /// The tiers, best first, as the loop reads them: each one's threshold, gate and name.
    let tierThresholds: [ScoreTier]
    /// The gates, retaining nothing: the bound stage's tiers keep them alive.
    let tierGates: [UnretainedExpression?]
    let tierNames: ByteTexts

    /// Lays out `groups`, whose rules are each `(condition, effect, label)`.
    init(groups: [(name: String, cap: Int?, rules: [(condition: BoundExpression, effect: ScoreRule.Effect, label: String?)])],
         tiers: [(spec: ScoreTier, gate: BoundExpression?)]) {
        // A tier's threshold without its gate's condition text, so reading it copies no reference.
        tierThresholds = tiers.map { ScoreTier(name: "", threshold: $0.spec.threshold) }
        tierGates = tiers.map { $0.gate?.unretained }
        tierNames = ByteTexts(tiers.map(\.spec.name))
        var rules: ContiguousArray<Rule> = []
        var conditions: ContiguousArray<BoundExpression> = []
        var planned: ContiguousArray<Group> = []
        var parts: ContiguousArray<Part> = []
        var texts: ContiguousArray<UInt8> = []
        func text(_ string: String) -> (start: Int, count: Int) {
            let start = texts.count
            texts.append(contentsOf: string.utf8)
            return (start, texts.count - start)
        }
        var lowest = 0, highest = 0
        for group in groups {
            let header = text(" " + group.name + ": ")
            let first = rules.count
            var negative = 0, positive = 0
            for (r, rule) in group.rules.enumerated() {
                let firstPart = parts.count
                if let label = rule.label {
                    let label = text(label)
                    parts.append(Part(textStart: label.start, textCount: label.count, column: nil))
                } else {
                    for (i, column) in rule.condition.columns.enumerated() {
                        let name = text((i > 0 ? ", " : "") + column.name + " ")
                        parts.append(Part(textStart: name.start, textCount: name.count, column: column.index.position))
                    }
                }
                var points = 0, excludes = false
                switch rule.effect {
                case .points(let earned):
                    points = earned
                    if earned < 0 { negative += earned } else { positive += earned }
                case .exclude:
                    excludes = true
                }
                conditions.append(rule.condition)
                rules.append(Rule(points: points, excludes: excludes, positionInGroup: r,
                                  firstPart: firstPart, partCount: parts.count - firstPart))
            }
            planned.append(Group(firstRule: first, endRule: rules.count, cap: group.cap, headerStart: header.start,
                                 headerCount: header.count))
            lowest += negative
            highest += min(positive, group.cap ?? positive)
        }
        self.rules = rules
        self.conditions = conditions
        unretainedConditions = ContiguousArray(conditions.map(\.unretained))
        self.groups = planned
        self.parts = parts
        self.texts = texts
        groupNames = groups.map(\.name)
        if groups.count <= Self.groupsWithMissingTexts {
            missingTexts = ByteTexts((0..<(1 << groups.count)).map { mask in
                groups.indices.filter { mask & (1 << $0) != 0 }.map { groups[$0].name }.joined(separator: ";")
            })
        } else {
            missingTexts = ByteTexts([])
        }
        lowestScore = lowest
        scoreTexts = ByteTexts(highest - lowest <= Self.scoreTextRange ? (lowest...highest).map { String($0) } : [])
    }

    /// Appends `<name>_missing` for the unjudged groups `mask` (bit `g` for group `g`; groups past 64 are in `more`).
    func appendMissingText(_ mask: UInt64, more: [Int], to out: ColumnValues) {
        if more.isEmpty, missingTexts.count > 0 {
            missingTexts.append(Int(mask), to: out)
            return
        }
        var names: [String] = []
        for g in 0..<min(64, groupNames.count) where mask & (1 << UInt64(g)) != 0 { names.append(groupNames[g]) }
        for g in more { names.append(groupNames[g]) }
        out.append(names.joined(separator: ";"))
    }

    /// Appends `<name>_score`.
    func appendScoreText(_ score: Int, to out: ColumnValues) {
        let slot = score - lowestScore
        if slot >= 0 && slot < scoreTexts.count {
            scoreTexts.append(slot, to: out)
        } else {
            out.append(String(score))
        }
    }
}
