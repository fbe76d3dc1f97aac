/// A problem found in a pipeline file, printed compiler-style as `FILE:LINE:COL: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(file: String, location: SourceLocation, severity: Severity = .error, message: String) {
        self.file = file
        self.location = location
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)" }
}

/// Thrown when a pipeline file has errors; carries every problem found, not just the first.
public struct PipelineFileError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    /// How many problems are printed; a file with thousands of errors is the wrong file, and more lines help nobody.
    public static let printedLimit = 50

    public var description: String {
        var lines = diagnostics.prefix(Self.printedLimit).map(\.description)
        if diagnostics.count > Self.printedLimit {
            lines.append("… and \(diagnostics.count - Self.printedLimit) more problems")
        }
        return lines.joined(separator: "\n")
    }
}
