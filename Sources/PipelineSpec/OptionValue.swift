/// A decoded option value.
public indirect enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case list([OptionValue])
    /// Keys in file order.
    case map([OptionEntry])
    /// A nested object, decoded against its own schema.
    case object(OptionValues)

    /// The value as a number, for range checks; `nil` for values that are not numbers.
    public var numberValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .number(let v): v
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .bool(let v): "\(v)"
        case .integer(let v): "\(v)"
        case .number(let v): "\(v)"
        case .string(let v): v.isEmpty ? "\"\"" : v
        case .list(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .map(let v): "{" + v.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .object(let v): v.description
        }
    }
}

/// One key of a free-form map, with where it was written.
public struct OptionEntry: Sendable, Equatable {
    public var key: String
    public var value: OptionValue
    public var location: SourceLocation?
    /// Where a scalar value's text starts (after an opening quote), for problems inside the text.
    public var valueLocation: SourceLocation?

    public init(key: String, value: OptionValue, location: SourceLocation? = nil, valueLocation: SourceLocation? = nil) {
        self.key = key
        self.value = value
        self.location = location
        self.valueLocation = valueLocation
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.key == rhs.key && lhs.value == rhs.value }
}
