/// The validated options of one stage (or nested object), with their schema defaults.
///
/// Reading a name the schema does not declare is a programming error and traps, which keeps
/// every option a stage uses visible in `leadhygiene stages`.
public struct OptionValues: Sendable, Equatable, CustomStringConvertible {
    public let schema: OptionSchema
    private var given: [String: OptionValue]
    private var locations: [String: SourceLocation]
    private var itemLocations: [String: [SourceLocation]]
    private var valueLocations: [String: SourceLocation]
    /// Where the object itself was written, for problems that concern it as a whole.
    public var location: SourceLocation?

    public init(schema: OptionSchema, given: [String: OptionValue] = [:],
                locations: [String: SourceLocation] = [:], itemLocations: [String: [SourceLocation]] = [:],
                location: SourceLocation? = nil, valueLocations: [String: SourceLocation] = [:]) {
        self.schema = schema
        self.given = given
        self.locations = locations
        self.itemLocations = itemLocations
        self.valueLocations = valueLocations
        self.location = location
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.given == rhs.given }

    public var description: String {
        "{" + schema.names.compactMap { name in given[name].map { "\(name): \($0)" } }.joined(separator: ", ") + "}"
    }

    /// Whether the pipeline file set the option (as opposed to its default applying).
    public func isSet(_ name: String) -> Bool { declared(name); return given[name] != nil }

    /// Where the option was written, for diagnostics.
    public func location(of name: String) -> SourceLocation? { locations[name] ?? location }

    /// Where a scalar option's text starts (after the opening quote of a quoted scalar), so a problem
    /// inside the text — a bad word in a `when:` expression — can point at its own column; `nil` when
    /// the option is unset or not a scalar. Escapes before the problem shift it by their length.
    public func valueLocation(of name: String) -> SourceLocation? { declared(name); return valueLocations[name] }

    /// Where each item of a list option was written, in list order, for diagnostics about one item;
    /// empty when the option is unset.
    public func itemLocations(of name: String) -> [SourceLocation] { declared(name); return itemLocations[name] ?? [] }

    /// The value given, else the schema default.
    public func value(_ name: String) -> OptionValue? {
        let spec = declared(name)
        return given[name] ?? spec.defaultValue
    }

    public func bool(_ name: String) -> Bool {
        if case .bool(let v)? = value(name) { return v }
        return false
    }

    public func integer(_ name: String) -> Int? {
        switch value(name) {
        case .integer(let v)?: v
        case .number(let v)?: Int(v)
        default: nil
        }
    }

    public func number(_ name: String) -> Double? {
        switch value(name) {
        case .number(let v)?: v
        case .integer(let v)?: Double(v)
        default: nil
        }
    }

    public func string(_ name: String) -> String? {
        if case .string(let v)? = value(name) { return v }
        return nil
    }

    public func strings(_ name: String) -> [String] {
        guard case .list(let items)? = value(name) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// A free-form map of strings, in file order.
    public func stringMap(_ name: String) -> [(key: String, value: String)] {
        guard case .map(let entries)? = value(name) else { return [] }
        return entries.compactMap { entry in
            if case .string(let s) = entry.value { (entry.key, s) } else { nil }
        }
    }

    /// A free-form map's entries, in file order.
    public func entries(_ name: String) -> [OptionEntry] {
        guard case .map(let entries)? = value(name) else { return [] }
        return entries
    }

    /// A nested object; an unset object yields its schema's defaults.
    public func object(_ name: String) -> OptionValues {
        let spec = declared(name)
        if case .object(let values)? = value(name) { return values }
        guard case .object(let schema) = spec.type else {
            preconditionFailure("option '\(name)' is not an object")
        }
        return OptionValues(schema: schema, location: location(of: name))
    }

    /// A list of nested objects.
    public func objects(_ name: String) -> [OptionValues] {
        guard case .list(let items)? = value(name) else { return [] }
        return items.compactMap { if case .object(let v) = $0 { v } else { nil } }
    }

    // MARK: Options with a default
    // The schema is where an option's default is written, once; these read the value given or that default,
    // and trap when the schema declares none (a programming error that every test building the stage hits).

    /// The integer given, or the schema's default.
    public func defaultedInteger(_ name: String) -> Int {
        guard let value = integer(name) else { preconditionFailure(missingDefault(name)) }
        return value
    }

    /// The number given, or the schema's default.
    public func defaultedNumber(_ name: String) -> Double {
        guard let value = number(name) else { preconditionFailure(missingDefault(name)) }
        return value
    }

    /// The string given, or the schema's default.
    public func defaultedString(_ name: String) -> String {
        guard let value = string(name) else { preconditionFailure(missingDefault(name)) }
        return value
    }

    /// The choice given, or the schema's default, as the enum whose raw values the schema lists.
    public func choice<Choice: RawRepresentable>(_ name: String, as type: Choice.Type) -> Choice where Choice.RawValue == String {
        guard let value = string(name).flatMap(Choice.init(rawValue:)) else {
            preconditionFailure("option '\(name)' is not one of \(Choice.self)'s values and has no default in the schema")
        }
        return value
    }

    private func missingDefault(_ name: String) -> String {
        "option '\(name)' has no default in the option schema; give it one there, or read it as optional"
    }

    @discardableResult
    private func declared(_ name: String) -> OptionSpec {
        guard let spec = schema.spec(named: name) else {
            preconditionFailure("option '\(name)' is read but not declared in the option schema")
        }
        return spec
    }
}

/// A problem a stage finds in its own options beyond their types (a file that does not exist, a bad pattern).
///
/// Stages throw it from their initializer; lint reports it at the option's position.
public struct OptionProblem: Error, Sendable, CustomStringConvertible {
    public var option: String?
    public var message: String
    /// Where exactly the problem is, when the stage knows better than the option's key (a word inside
    /// a nested option's text, see ``OptionValues/valueLocation(of:)``).
    public var location: SourceLocation?

    public init(option: String? = nil, _ message: String, at location: SourceLocation? = nil) {
        self.option = option
        self.message = message
        self.location = location
    }

    public var description: String { message }
}
