/// What the pipeline does with a row of a given status.
public enum EmailAction: String, Sendable, CaseIterable {
    /// The row stays in the output.
    case keep
    /// The row stays in the output with `email_action` = `flag`, for review.
    case flag
    /// The row goes to the rejects file with its reason code.
    case reject
}
