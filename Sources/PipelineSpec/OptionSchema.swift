/// One option a stage (or the pipeline file itself) accepts.
public struct OptionSpec: Sendable {
    public var name: String
    public var type: OptionType
    /// The value used when the pipeline file does not set the option; `nil` means unset.
    public var defaultValue: OptionValue?
    public var isRequired: Bool
    /// One line for `leadhygiene stages` and the README.
    public var summary: String

    public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil,
                required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isRequired = required
        self.summary = summary
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
