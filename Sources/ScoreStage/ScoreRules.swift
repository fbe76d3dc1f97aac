import Foundation
import LeadRecords
import PipelineSpec
import RowExpressions

/// One rule of a score group as written: a condition and what it does when the condition holds.
struct ScoreRule: Sendable {
    enum Effect: Sendable, Equatable {
        case points(Int)
        case exclude(ReasonCode)
    }

    var condition: RowExpression
    /// Where the condition's text starts in the pipeline file, for binding errors.
    var conditionStart: SourceLocation?
    var effect: Effect
    /// What the reasons column says instead of the columns read.
    var label: String?
}

/// A named group of rules whose points add up, at most to its cap.
struct ScoreGroup: Sendable {
    var name: String
    var cap: Int?
    var rules: [ScoreRule]
}

/// A tier: the score it needs (`>= 70`, or `else` for the rest) and the gate a row must pass to get it.
struct ScoreTier: Sendable {
    var name: String
    /// `nil` for `else`.
    var threshold: (op: ComparisonOperator, value: Double)?
    var gate: RowExpression?
    var gateStart: SourceLocation?

    func admits(_ score: Int) -> Bool {
        guard let threshold else { return true }
        let value = Double(score)
        return switch threshold.op {
        case .greaterOrEqual: value >= threshold.value
        case .greater: value > threshold.value
        case .lessOrEqual: value <= threshold.value
        case .less: value < threshold.value
        case .equal: value == threshold.value
        case .notEqual: value != threshold.value
        }
    }
}

/// Reading the groups, rules, tiers and gates from the stage's options, with every problem at its place.
enum ScoreRulesDecoder {
    static func groups(_ options: OptionValues) throws(OptionProblem) -> [ScoreGroup] {
        let groupOptions = options.objects("groups")
        let groupPlaces = options.itemLocations(of: "groups")
        guard !groupOptions.isEmpty else { throw OptionProblem(option: "groups", "name at least one group of rules") }
        var groups: [ScoreGroup] = []
        for (g, group) in groupOptions.enumerated() {
            let name = group.defaultedString("name")
            let place = g < groupPlaces.count ? groupPlaces[g] : nil
            guard !name.isEmpty else { throw OptionProblem(option: "groups", "a group needs a name", at: place) }
            guard !groups.contains(where: { $0.name == name }) else {
                throw OptionProblem(option: "groups", "two groups are named '\(name)'", at: group.location(of: "name"))
            }
            let ruleOptions = group.objects("rules")
            let rulePlaces = group.itemLocations(of: "rules")
            guard !ruleOptions.isEmpty else {
                throw OptionProblem(option: "groups", "group '\(name)' has no rules", at: group.location(of: "rules") ?? place)
            }
            var rules: [ScoreRule] = []
            for (r, rule) in ruleOptions.enumerated() {
                let rulePlace = r < rulePlaces.count ? rulePlaces[r] : place
                let start = rule.valueLocation(of: "when")
                let condition = try RowExpression.parse(rule.defaultedString("when"), option: "groups", textStart: start,
                                                        what: "group '\(name)', rule \(r + 1)")
                let effect: ScoreRule.Effect
                switch (rule.integer("points"), rule.string("exclude")) {
                case (let points?, nil):
                    effect = .points(points)
                case (nil, let code?):
                    effect = .exclude(try excludeCode(code, at: rule.valueLocation(of: "exclude") ?? rulePlace))
                case (_?, _?):
                    throw OptionProblem(option: "groups", "group '\(name)', rule \(r + 1): give points: or exclude:, not both",
                                        at: rule.location(of: "exclude") ?? rulePlace)
                case (nil, nil):
                    throw OptionProblem(option: "groups", "group '\(name)', rule \(r + 1) needs points: N or exclude: REASON_CODE",
                                        at: rulePlace)
                }
                rules.append(ScoreRule(condition: condition, conditionStart: start, effect: effect, label: rule.string("label")))
            }
            groups.append(ScoreGroup(name: name, cap: group.integer("cap"), rules: rules))
        }
        return groups
    }

    /// A user-named reason code: `snake_case`, as every reason code is, so filters can rely on it.
    static func excludeCode(_ code: String, at place: SourceLocation?) throws(OptionProblem) -> ReasonCode {
        if ["true", "yes"].contains(code) { return .scoreExcluded }
        let isSnakeCase = code.first.map { $0 >= "a" && $0 <= "z" } == true
            && code.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
        guard isSnakeCase else {
            throw OptionProblem(option: "groups", "exclude: '\(code)' is not a reason code; reason codes are snake_case (sanctioned_country)",
                                at: place)
        }
        return ReasonCode(code, "Rejected by a score rule's exclude: in the pipeline file.")
    }

    static func tiers(_ options: OptionValues) throws(OptionProblem) -> [ScoreTier] {
        var tiers: [ScoreTier] = []
        let entries = options.entries("tiers")
        for (t, entry) in entries.enumerated() {
            guard case .string(let text) = entry.value else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            var tier = ScoreTier(name: entry.key)
            if trimmed == "else" {
                guard t == entries.count - 1 else {
                    throw OptionProblem(option: "tiers", "tier '\(entry.key)': else must be the last tier", at: entry.location)
                }
            } else {
                let ops = ComparisonOperator.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
                guard let op = ops.first(where: { trimmed.hasPrefix($0.rawValue) }),
                      let value = Double(trimmed.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)) else {
                    throw OptionProblem(option: "tiers", "tier '\(entry.key)': write a score condition such as \">= 70\", or else; found '\(text)'",
                                        at: entry.valueLocation ?? entry.location)
                }
                tier.threshold = (op, value)
            }
            tiers.append(tier)
        }
        let names = tiers.map(\.name)
        for entry in options.entries("gates") {
            guard case .string(let text) = entry.value else { continue }
            guard let t = tiers.firstIndex(where: { $0.name == entry.key }) else {
                throw OptionProblem(option: "gates", "gate for unknown tier '\(entry.key)'" + NearestName.hint(for: entry.key, among: names),
                                    at: entry.location)
            }
            tiers[t].gate = try RowExpression.parse(text, option: "gates", textStart: entry.valueLocation, what: "gate of tier '\(entry.key)'")
            tiers[t].gateStart = entry.valueLocation
        }
        return tiers
    }
}
