/// The type of a pipeline-file option, used to decode it, to lint it and to print `leadhygiene stages`.
public indirect enum OptionType: Sendable {
    case bool
    case integer
    case number
    case string
    /// A string naming a file the run reads; relative paths resolve against the working directory.
    case path
    /// A string naming a file the run writes (a review file); checked like the outputs, so it cannot
    /// name the input or another output.
    case outputPath
    /// One of a fixed set of strings.
    case choice([String])
    /// A whole number, or one of a few words that stand for a value no number can say
    /// (`schema_sample_lines: all`). Decodes to ``OptionValue/integer(_:)`` or ``OptionValue/string(_:)``.
    case integerOrWord([String])
    case list(OptionType)
    /// Free-form keys, each value of one type.
    case map(OptionType)
    /// Fixed keys, each with its own type and default.
    case object(OptionSchema)

    /// How the type reads in `leadhygiene stages` and lint messages.
    public var displayName: String {
        switch self {
        case .bool: "bool"
        case .integer: "int"
        case .number: "number"
        case .string: "string"
        case .path, .outputPath: "path"
        case .choice(let choices): choices.joined(separator: "|")
        case .integerOrWord(let words): (["int"] + words).joined(separator: "|")
        case .list(let element): "list of \(element.displayName)"
        case .map(let value): "map of \(value.displayName)"
        case .object: "object"
        }
    }
}
