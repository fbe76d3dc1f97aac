/// Where each canonical field lives in the run's schema, as mapped by the pipeline file's `columns:`.
public struct ColumnBindings: Sendable {
    private var indices: [CanonicalField: ColumnIndex]

    public init(_ indices: [CanonicalField: ColumnIndex] = [:]) { self.indices = indices }

    /// The column holding a canonical field, or `nil` when the input has none.
    public subscript(field: CanonicalField) -> ColumnIndex? {
        get { indices[field] }
        set { indices[field] = newValue }
    }

    /// The mapped fields.
    public var fields: [CanonicalField] { indices.keys.sorted() }
}
