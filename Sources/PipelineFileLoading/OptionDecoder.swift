import Foundation
import PipelineSpec
import Yams

/// Decodes YAML nodes against an ``OptionSchema``, collecting every problem with its position.
///
/// We walk Yams' node tree rather than using `Decodable` because lint must point at the exact
/// line and column of each bad key or value, and suggest the nearest valid name.
package struct OptionDecoder {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []
    /// Where `${VAR}` values come from.
    public var environment: [String: String]

    public init(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.file = file
        self.environment = environment
    }

    /// The folder relative `path` options resolve against: the pipeline file's, so that cron, a
    /// scheduler or `make -C` can run it from any working directory; `nil` when that is the working directory.
    var pathBase: String? {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty || folder == "." ? nil : folder
    }

    /// Decodes a mapping node (or an empty/null node) into values for `schema`.
    /// - Parameter context: how the object is named in messages, such as `stage 'normalize'`.
    package mutating func decodeObject(_ node: Node?, schema: OptionSchema, context: String) -> OptionValues {
        let location = node.flatMap(Self.location)
        guard let node, !Self.isNull(node) else {
            checkRequired(schema: schema, given: [:], context: context, at: location ?? .start)
            return OptionValues(schema: schema, location: location)
        }
        guard case .mapping(let mapping) = node else {
            report(at: location, "\(context) expects a mapping of options, found \(Self.describe(node))")
            return OptionValues(schema: schema, location: location)
        }
        var given: [String: OptionValue] = [:]
        var locations: [String: SourceLocation] = [:]
        var itemLocations: [String: [SourceLocation]] = [:]
        var valueLocations: [String: SourceLocation] = [:]
        for (keyNode, valueNode) in mapping {
            let keyLocation = Self.location(keyNode)
            guard let key = keyNode.scalar?.string else {
                report(at: keyLocation, "\(context): option names must be plain strings")
                continue
            }
            guard let spec = schema.spec(named: key) else {
                report(at: keyLocation, "unknown option '\(key)' in \(context)"
                       + NearestName.hint(for: key, among: schema.names))
                continue
            }
            if given[key] != nil {
                report(at: keyLocation, "option '\(key)' is set twice in \(context)")
                continue
            }
            locations[key] = keyLocation
            let optionContext = "option '\(key)' of \(context)"
            if case .list(let element) = spec.type {
                // Kept apart so a problem with one item (an unknown column name) can point at that item.
                if let (items, places) = decodeList(valueNode, element: element, context: optionContext) {
                    given[key] = .list(items)
                    itemLocations[key] = places
                }
            } else if let value = decodeValue(valueNode, type: spec.type, context: optionContext) {
                if let range = spec.range, let number = value.numberValue, !range.contains(number) {
                    report(at: Self.location(valueNode) ?? keyLocation,
                           "\(optionContext) must be within \(spec.rangeText ?? ""), found \(valueNode.scalar?.string ?? OptionSpec.format(number))")
                    continue
                }
                given[key] = value
                if let place = Self.textLocation(valueNode) { valueLocations[key] = place }
            }
        }
        checkRequired(schema: schema, given: given, context: context, at: location ?? .start)
        return OptionValues(schema: schema, given: given, locations: locations, itemLocations: itemLocations,
                            location: location, valueLocations: valueLocations)
    }

    /// Decodes one value; returns `nil` (after recording a diagnostic) when it does not fit `type`.
    package mutating func decodeValue(_ node: Node, type: OptionType, context: String) -> OptionValue? {
        let location = Self.location(node)
        var node = node
        if case .scalar(var scalar) = node, scalar.string.contains("${") {
            guard let expanded = expandVariables(scalar.string, at: location, quoted: scalar.style != .plain) else { return nil }
            scalar.string = expanded
            node = .scalar(scalar)
        }
        func mismatch() -> OptionValue? {
            report(at: location, "\(context) expects \(Self.article(type.displayName)), found \(Self.describe(node))")
            return nil
        }
        switch type {
        case .bool:
            guard let scalar = node.scalar, let v = Self.bool(scalar.string) else { return mismatch() }
            return .bool(v)
        case .integer:
            guard let scalar = node.scalar, let v = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
                return mismatch()
            }
            return .integer(v)
        case .number:
            guard let scalar = node.scalar, let v = Double(scalar.string.replacingOccurrences(of: "_", with: "")) else {
                return mismatch()
            }
            return .number(v)
        case .string:
            guard let scalar = node.scalar else { return mismatch() }
            return .string(scalar.string)
        case .path, .outputPath:
            guard let scalar = node.scalar else { return mismatch() }
            let path = scalar.string
            guard let base = pathBase, !path.isEmpty, path != "-", !path.hasPrefix("/") else { return .string(path) }
            return .string(base + "/" + path)
        case .choice(let choices):
            guard let scalar = node.scalar else { return mismatch() }
            guard choices.contains(scalar.string) else {
                report(at: location, "\(context) must be one of \(choices.joined(separator: ", ")), found '\(scalar.string)'"
                       + NearestName.hint(for: scalar.string, among: choices))
                return nil
            }
            return .string(scalar.string)
        case .integerOrWord(let words):
            let expected = "an int or " + words.map { "'\($0)'" }.joined(separator: " or ")
            guard let scalar = node.scalar else {
                report(at: location, "\(context) expects \(expected), found \(Self.describe(node))")
                return nil
            }
            if words.contains(scalar.string) { return .string(scalar.string) }
            guard let v = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
                report(at: location, "\(context) expects \(expected), found '\(scalar.string)'"
                       + NearestName.hint(for: scalar.string, among: words))
                return nil
            }
            return .integer(v)
        case .list(let element):
            return decodeList(node, element: element, context: context).map { .list($0.items) }
        case .map(let valueType):
            guard case .mapping(let mapping) = node else { return Self.isNull(node) ? .map([]) : mismatch() }
            var entries: [OptionEntry] = []
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.scalar?.string else { continue }
                if entries.contains(where: { $0.key == key }) {
                    report(at: Self.location(keyNode), "key '\(key)' is set twice in \(context)")
                    continue
                }
                if let v = decodeValue(valueNode, type: valueType, context: "'\(key)' in \(context)") {
                    entries.append(OptionEntry(key: key, value: v, location: Self.location(keyNode),
                                               valueLocation: Self.textLocation(valueNode)))
                }
            }
            return .map(entries)
        case .object(let schema):
            return .object(decodeObject(node, schema: schema, context: context))
        }
    }

    /// Decodes a list, returning its items with where each was written; items that do not fit
    /// `element` are left out (after a diagnostic), from both.
    mutating func decodeList(_ node: Node, element: OptionType, context: String)
        -> (items: [OptionValue], locations: [SourceLocation])? {
        let location = Self.location(node) ?? .start
        if case .scalar = node, element.isScalar, !Self.isNull(node) {
            // A single value where a list is expected reads as a one-element list.
            return decodeValue(node, type: element, context: context).map { ([$0], [location]) }
        }
        guard case .sequence(let sequence) = node else {
            if Self.isNull(node) { return ([], []) }
            report(at: location, "\(context) expects \(Self.article(OptionType.list(element).displayName)), found \(Self.describe(node))")
            return nil
        }
        var items: [OptionValue] = []
        var locations: [SourceLocation] = []
        for (i, item) in sequence.enumerated() {
            if let v = decodeValue(item, type: element, context: "item \(i + 1) of \(context)") {
                items.append(v)
                locations.append(Self.location(item) ?? location)
            }
        }
        return (items, locations)
    }

    /// `text` with each `${VAR}` and `${VAR:-default}` replaced from the environment (`$${` is a literal
    /// `${`); `nil`, after a diagnostic at the variable, when one is unset and has no default.
    mutating func expandVariables(_ text: String, at location: SourceLocation?, quoted: Bool) -> String? {
        var result = ""
        var rest = Substring(text)
        var failed = false
        while let open = rest.range(of: "${") {
            if open.lowerBound > rest.startIndex, rest[rest.index(before: open.lowerBound)] == "$" {
                result += rest[..<rest.index(before: open.lowerBound)] + "${"
                rest = rest[open.upperBound...]
                continue
            }
            result += rest[..<open.lowerBound]
            // The variable's own column: after the opening quote of a quoted scalar (off by the escapes before
            // it, if any, since only the unescaped text is known here).
            let offset = text.distance(from: text.startIndex, to: open.lowerBound) + (quoted ? 1 : 0)
            let place = location.map { SourceLocation(line: $0.line, column: $0.column + offset) }
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                report(at: place, "'${' without a closing '}'; write `${NAME}` or `${NAME:-default}`")
                return nil
            }
            let body = rest[open.upperBound..<close]
            let name: Substring, fallback: Substring?
            if let dash = body.range(of: ":-") {
                name = body[..<dash.lowerBound]
                fallback = body[dash.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            if name.isEmpty || !name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) {
                report(at: place, "'${\(body)}' is not a variable name; write `${NAME}` or `${NAME:-default}`")
                failed = true
            } else if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                report(at: place, "environment variable \(name) is not set; set it or give a default: `${\(name):-value}`")
                failed = true
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return failed ? nil : result
    }

    public mutating func report(at location: SourceLocation?, _ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(file: file, location: location ?? .start, severity: severity, message: message))
    }

    private mutating func checkRequired(schema: OptionSchema, given: [String: OptionValue], context: String,
                                        at location: SourceLocation) {
        for spec in schema.options where spec.isRequired && given[spec.name] == nil {
            report(at: location, "\(context) needs option '\(spec.name)' (\(spec.summary))")
        }
    }

    static func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    /// Where a scalar's text starts: after the opening quote of a quoted scalar; `nil` for other nodes.
    static func textLocation(_ node: Node) -> SourceLocation? {
        guard case .scalar(let scalar) = node, let place = location(node) else { return nil }
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        return SourceLocation(line: place.line, column: place.column + (quoted ? 1 : 0))
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func article(_ name: String) -> String {
        if name.contains("|") { return "one of \(name)" }
        return (name.first.map { "aeiou".contains($0) } ?? false) ? "an \(name)" : "a \(name)"
    }
}

extension OptionType {
    var isScalar: Bool {
        switch self {
        case .bool, .integer, .number, .string, .path, .outputPath, .choice, .integerOrWord: true
        case .list, .map, .object: false
        }
    }
}
