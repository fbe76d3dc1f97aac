import LeadRecords
import PipelineSpec
import RowExpressions

/// A routing rule as written: a condition (or `default: true`) and where the lead goes.
struct RouteRule: Sendable {
    enum Target: Sendable {
        /// The owner is the value of this column (`owner: account_owner`).
        case ownerColumn(String)
        /// The lead goes to a member of the pool at this position.
        case pool(Int)
    }

    var condition: RowExpression?
    var conditionStart: SourceLocation?
    var target: Target
    /// The rule's line in the pipeline file: what `route_rule` says.
    var line: Int
    /// Where to point at the rule's owner column when it does not exist.
    var ownerLocation: SourceLocation?
}

/// A pool of reps that share leads by weighted rendezvous hashing.
struct RoutePool: Sendable {
    struct Member: Sendable {
        var rep: String
        var weight: Double
        var cap: Int?
    }

    var name: String
    var members: [Member]
}

/// Reading rules and pools from the stage's options, each problem at its place.
enum RouteRulesDecoder {
    static func pools(_ options: OptionValues) throws(OptionProblem) -> [RoutePool] {
        var pools: [RoutePool] = []
        for entry in options.entries("pools") {
            guard case .object(let pool) = entry.value else { continue }
            var members: [RoutePool.Member] = []
            for member in pool.objects("members") {
                let rep = member.defaultedString("rep")
                guard !rep.isEmpty else { throw OptionProblem(option: "pools", "pool '\(entry.key)': a member needs a rep", at: member.location) }
                guard !members.contains(where: { $0.rep == rep }) else {
                    throw OptionProblem(option: "pools", "pool '\(entry.key)' names \(rep) twice", at: member.location(of: "rep"))
                }
                members.append(RoutePool.Member(rep: rep, weight: member.defaultedNumber("weight"), cap: member.integer("cap")))
            }
            guard !members.isEmpty else {
                throw OptionProblem(option: "pools", "pool '\(entry.key)' has no members", at: entry.location)
            }
            pools.append(RoutePool(name: entry.key, members: members))
        }
        return pools
    }

    static func rules(_ options: OptionValues, pools: [RoutePool]) throws(OptionProblem) -> [RouteRule] {
        let ruleOptions = options.objects("rules")
        let places = options.itemLocations(of: "rules")
        guard !ruleOptions.isEmpty else { throw OptionProblem(option: "rules", "write at least one rule") }
        var rules: [RouteRule] = []
        for (r, rule) in ruleOptions.enumerated() {
            let place = r < places.count ? places[r] : rule.location
            let what = "rule \(r + 1)"
            let isDefault = rule.bool("default")
            var condition: RowExpression?
            let start = rule.valueLocation(of: "when")
            switch (rule.string("when"), isDefault) {
            case (let text?, false):
                condition = try RowExpression.parse(text, option: "rules", textStart: start, what: what)
            case (nil, true):
                condition = nil
            case (_?, true):
                throw OptionProblem(option: "rules", "\(what): give when: or default: true, not both", at: rule.location(of: "default") ?? place)
            case (nil, false):
                throw OptionProblem(option: "rules", "\(what) needs when: CONDITION (or default: true)", at: place)
            }
            let target: RouteRule.Target
            switch (rule.string("owner"), rule.string("pool")) {
            case (let column?, nil):
                target = .ownerColumn(column)
            case (nil, let name?):
                guard let index = pools.firstIndex(where: { $0.name == name }) else {
                    throw OptionProblem(option: "rules", "\(what) names pool '\(name)', which pools: does not define"
                                        + NearestName.hint(for: name, among: pools.map(\.name)),
                                        at: rule.valueLocation(of: "pool") ?? place)
                }
                target = .pool(index)
            case (_?, _?):
                throw OptionProblem(option: "rules", "\(what): give owner: or pool:, not both", at: rule.location(of: "pool") ?? place)
            case (nil, nil):
                throw OptionProblem(option: "rules", "\(what) needs owner: COLUMN or pool: NAME", at: place)
            }
            rules.append(RouteRule(condition: condition, conditionStart: start, target: target, line: place?.line ?? 0,
                                   ownerLocation: rule.valueLocation(of: "owner")))
        }
        return rules
    }
}
