/// One compared field as the pipeline file configures it: which columns, which comparator.
public struct FieldSpec: Sendable, Equatable {
    /// The name used in blocking rules, explanations and the report (`first_name`, `soc_sec_id`).
    public var name: String
    /// The input columns whose values (joined by a space) are compared.
    public var columns: [String]
    /// How two values are compared.
    public var comparator: ComparatorKind
    /// Whether an exact agreement is weighed by how rare the value is (a shared "Smith" says less than a shared "Zbigniew").
    public var termFrequency: Bool
    /// Another field whose values may be swapped with this one (first and last name written the wrong way round).
    package var swapWith: String?

    /// When this other field disagrees, only an exact agreement of this field counts; its other levels
    /// become "missing". A city or a work mailbox changes with the employer: after a job change their
    /// disagreement is expected, not evidence of a different person.
    package var conditionalOn: String?
    /// When this other field already shows the same employer (the same work mailbox or the same work
    /// email domain), this field is not compared: counting the company again would count one fact twice.
    package var impliedBy: String?

    public init(name: String, columns: [String], comparator: ComparatorKind, termFrequency: Bool = false,
                swapWith: String? = nil, conditionalOn: String? = nil, impliedBy: String? = nil) {
        self.name = name
        self.columns = columns
        self.comparator = comparator
        self.termFrequency = termFrequency
        self.swapWith = swapWith
        self.conditionalOn = conditionalOn
        self.impliedBy = impliedBy
    }
}
