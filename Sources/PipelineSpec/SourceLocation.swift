/// A position in a pipeline file, 1-based, as printed in `FILE:LINE:COL` diagnostics.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of the file, for problems that belong to no particular key.
    public static let start = SourceLocation(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}
