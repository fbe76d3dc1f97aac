/// A condition that cannot be read or bound, with where in its text the problem is.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Characters from the start of the condition's text.
    public var offset: Int
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}
