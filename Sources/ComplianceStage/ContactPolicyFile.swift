import Foundation
import PipelineFileLoading
import PipelineSpec
import Yams

/// Reads a contact policy file, reporting every problem at its `file:line:col` with a did-you-mean for
/// unknown keys and values, the way the pipeline file itself is read (Yams' node tree keeps each node's mark).
///
/// ```yaml
/// country_from: [lead, company_hq, email_tld]
/// default: { email: { legal_basis: [legitimate_interest_prospect, legitimate_interest_customer, contract, consent] } }
/// countries:
///   DE: { email: { requires: [double_opt_in, opt_in] } }
///   CA: { email: { requires_any: [opt_in, double_opt_in, { implied_ebr: { within: 2y } }, { implied_published: { role_relevant: true } }] } }
/// ```
package struct ContactPolicyFile {
    static let topKeys = ["country_from", "default", "countries"]
    static let ruleKeys = ["email", "note"]
    static let emailKeys = ["requires", "requires_any", "legal_basis"]
    static let conditionKeys = ["within", "role_relevant"]

    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    /// Reads and checks the file at `path`.
    /// - Throws: ``PipelineFileError`` with every problem found, each at its line and column.
    public static func load(path: String) throws -> ContactPolicy {
        let text = try PipelineFileText.read(path: path)
        return try parse(text, file: path)
    }

    /// Parses policy text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String) throws -> ContactPolicy {
        var reader = ContactPolicyFile(file: file)
        let policy = reader.policy(text)
        if let policy, reader.diagnostics.isEmpty { return policy }
        throw PipelineFileError(reader.diagnostics)
    }

    private mutating func policy(_ text: String) -> ContactPolicy? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            report(nil, "the contact policy is not valid YAML: \(error)")
            return nil
        }
        guard let root, case .mapping(let mapping) = root else {
            report(root, "a contact policy is a mapping with `default:` and, usually, `countries:`")
            return nil
        }
        var countryFrom = ContactPolicy.CountrySource.allCases
        var defaultRule: EmailRule?
        var countries: [String: EmailRule] = [:]
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { report(keyNode, "keys are plain words"); continue }
            guard Self.topKeys.contains(key) else {
                report(keyNode, "unknown key '\(key)' in the contact policy" + NearestName.hint(for: key, among: Self.topKeys)
                       + " (keys: \(Self.topKeys.joined(separator: ", ")))")
                continue
            }
            guard seen.insert(key).inserted else { report(keyNode, "'\(key)' is set twice"); continue }
            switch key {
            case "country_from": countryFrom = sources(value)
            case "default": defaultRule = rule(value, context: "default")
            default: countries = countryRules(value)
            }
        }
        guard let defaultRule else {
            if !seen.contains("default") {
                report(root, "the contact policy has no `default:` rule for countries it does not list; "
                       + "add e.g. `default: { email: { requires_any: [double_opt_in, opt_in] } }`")
            }
            return nil
        }
        return ContactPolicy(countryFrom: countryFrom, defaultRule: defaultRule, countries: countries)
    }

    private mutating func sources(_ node: Node) -> [ContactPolicy.CountrySource] {
        let names = ContactPolicy.CountrySource.allCases.map(\.rawValue)
        var result: [ContactPolicy.CountrySource] = []
        for item in sequence(node, context: "country_from") {
            guard let word = item.scalar?.string else { report(item, "country_from lists words: \(names.joined(separator: ", "))"); continue }
            guard let source = ContactPolicy.CountrySource(rawValue: word) else {
                report(item, "unknown country source '\(word)'" + NearestName.hint(for: word, among: names)
                       + " (sources: \(names.joined(separator: ", ")))")
                continue
            }
            if result.contains(source) { report(item, "'\(word)' is listed twice in country_from") } else { result.append(source) }
        }
        return result
    }

    private mutating func countryRules(_ node: Node) -> [String: EmailRule] {
        if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return [:] }
        guard case .mapping(let mapping) = node else {
            report(node, "countries maps ISO 3166-1 alpha-2 codes to rules, such as `DE: { email: { requires: [double_opt_in] } }`")
            return [:]
        }
        var rules: [String: EmailRule] = [:]
        for (keyNode, value) in mapping {
            guard let code = keyNode.scalar?.string else { report(keyNode, "country keys are codes such as DE"); continue }
            guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                report(keyNode, "country '\(code)' is not an ISO 3166-1 alpha-2 code; write two capital letters, such as DE, CA or GB")
                continue
            }
            guard rules[code] == nil else { report(keyNode, "country \(code) has two rules"); continue }
            if let rule = rule(value, context: "countries.\(code)") { rules[code] = rule }
        }
        return rules
    }

    private mutating func rule(_ node: Node, context: String) -> EmailRule? {
        guard case .mapping(let mapping) = node else {
            report(node, "\(context) is a mapping such as `{ email: { requires: [opt_in] } }`")
            return nil
        }
        var rule = EmailRule()
        var sawEmail = false
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, Self.ruleKeys.contains(key) else {
                let key = keyNode.scalar?.string ?? ""
                report(keyNode, "unknown key '\(key)' in \(context)" + NearestName.hint(for: key, among: Self.ruleKeys)
                       + " (keys: \(Self.ruleKeys.joined(separator: ", ")))")
                continue
            }
            if key == "note" { continue }
            sawEmail = true
            rule = emailRule(value, context: "\(context).email") ?? rule
        }
        if !sawEmail { report(node, "\(context) has no `email:` rule") }
        return rule
    }

    private mutating func emailRule(_ node: Node, context: String) -> EmailRule? {
        if case .scalar(let scalar) = node, ["", "~", "null", "{}"].contains(scalar.string) { return EmailRule() }
        guard case .mapping(let mapping) = node else {
            report(node, "\(context) is a mapping with requires:, requires_any: or legal_basis:")
            return nil
        }
        var rule = EmailRule()
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            switch key {
            case "requires", "requires_any":
                let items = sequence(value, context: "\(context).\(key)").compactMap { accepted($0, plainOnly: key == "requires") }
                rule.accepted = (rule.accepted ?? []) + items
            case "legal_basis":
                let names = LegalBasis.allCases.map(\.rawValue)
                rule.legalBases = sequence(value, context: "\(context).legal_basis").compactMap { item in
                    guard let word = item.scalar?.string, let basis = LegalBasis(rawValue: word) else {
                        let word = item.scalar?.string ?? ""
                        report(item, "unknown legal basis '\(word)'" + NearestName.hint(for: word, among: names)
                               + " (legal bases: \(names.joined(separator: ", ")))")
                        return nil
                    }
                    return basis
                }
            default:
                report(keyNode, "unknown key '\(key)' in \(context)" + NearestName.hint(for: key, among: Self.emailKeys)
                       + " (keys: \(Self.emailKeys.joined(separator: ", ")))")
            }
        }
        return rule
    }

    /// `opt_in`, or `{ implied_ebr: { within: 2y } }`.
    private mutating func accepted(_ node: Node, plainOnly: Bool) -> AcceptedConsent? {
        let names = EmailConsent.allCases.map(\.rawValue)
        func consent(_ keyNode: Node) -> EmailConsent? {
            let word = keyNode.scalar?.string ?? ""
            guard let consent = EmailConsent(rawValue: word) else {
                report(keyNode, "unknown consent '\(word)'" + NearestName.hint(for: word, among: names)
                       + " (consents: \(names.joined(separator: ", ")))")
                return nil
            }
            return consent
        }
        if case .scalar = node { return consent(node).map { AcceptedConsent($0) } }
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, conditions) = mapping.first else {
            report(node, "a consent is a word such as opt_in, or `{ implied_ebr: { within: 2y } }`")
            return nil
        }
        if plainOnly {
            report(node, "requires: lists plain consents; a consent with conditions goes under requires_any:")
            return nil
        }
        guard var accepted = consent(keyNode).map({ AcceptedConsent($0) }) else { return nil }
        guard case .mapping(let pairs) = conditions else {
            report(conditions, "the conditions of '\(keyNode.scalar?.string ?? "")' are a mapping: within: 2y, role_relevant: true")
            return nil
        }
        for (conditionKey, value) in pairs {
            let key = conditionKey.scalar?.string ?? ""
            switch key {
            case "within":
                guard let window = value.scalar.flatMap({ ConsentWindow($0.string) }) else {
                    report(value, "within: is a length such as 2y, 6m, 26w or 30d, found '\(value.scalar?.string ?? "")'")
                    continue
                }
                accepted.within = window
            case "role_relevant":
                guard let flag = value.scalar.flatMap({ Self.bool($0.string) }) else {
                    report(value, "role_relevant: is true or false, found '\(value.scalar?.string ?? "")'")
                    continue
                }
                accepted.roleRelevant = flag
            default:
                report(conditionKey, "unknown condition '\(key)'" + NearestName.hint(for: key, among: Self.conditionKeys)
                       + " (conditions: \(Self.conditionKeys.joined(separator: ", ")))")
            }
        }
        return accepted
    }

    private mutating func sequence(_ node: Node, context: String) -> [Node] {
        if case .sequence(let items) = node { return Array(items) }
        if case .scalar = node { return [node] }
        report(node, "\(context) is a list, such as [double_opt_in, opt_in]")
        return []
    }

    private static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    private mutating func report(_ node: Node?, _ message: String) {
        let location = node?.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? .start
        diagnostics.append(Diagnostic(file: file, location: location, message: message))
    }
}
