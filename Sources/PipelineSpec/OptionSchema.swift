/// One option a stage (or the pipeline file itself) accepts.
public struct OptionSpec: Sendable {
    public var name: String
    public var type: OptionType
    /// The value used when the pipeline file does not set the option; `nil` means unset.
    public var defaultValue: OptionValue?
    public var isRequired: Bool
    /// One line for `leadhygiene stages` and the README.
    public var summary: String
    /// The values a number (or whole number) may take; the decoder refuses others at their `line:col`,
    /// so no option value can reach a stage that would overflow or exhaust memory with it.
    public var range: ClosedRange<Double>?

    public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil,
                required: Bool = false, range: ClosedRange<Double>? = nil, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isRequired = required
        self.range = range
        self.summary = summary
    }

    /// The range as `leadhygiene stages` and messages print it: `1…65536`.
    public var rangeText: String? {
        range.map { "\(Self.format($0.lowerBound))…\(Self.format($0.upperBound))" }
    }

    package static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The options a stage accepts: the single definition behind decoding, lint and `leadhygiene stages`.
///
/// A stage reads its options only through ``OptionValues``, which refuses undeclared names,
/// so the printed reference cannot drift from what the decoder accepts.
public struct OptionSchema: Sendable {
    public var options: [OptionSpec]

    public init(_ options: [OptionSpec]) { self.options = options }

    public func spec(named name: String) -> OptionSpec? { options.first { $0.name == name } }
    public var names: [String] { options.map(\.name) }
}
