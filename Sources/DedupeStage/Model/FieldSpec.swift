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
    public var swapWith: String?

    public init(name: String, columns: [String], comparator: ComparatorKind, termFrequency: Bool = false,
                swapWith: String? = nil) {
        self.name = name
        self.columns = columns
        self.comparator = comparator
        self.termFrequency = termFrequency
        self.swapWith = swapWith
    }
}
