/// Where each canonical field lives in the run's schema, as mapped by the pipeline file's `columns:`.
public struct ColumnBindings: Sendable {
    private var indices: [CanonicalField: ColumnIndex]
    /// How each date field's column writes its dates, decided from its values or named in `columns:`;
    /// a date field without one reads with the default ``DateFormat``.
    public var dateFormats: [CanonicalField: DateFormat] = [:]

    public init(_ indices: [CanonicalField: ColumnIndex] = [:]) { self.indices = indices }

    /// The reader for the dates of `field`'s column.
    public func dateFormat(of field: CanonicalField) -> DateFormat { dateFormats[field] ?? DateFormat() }

    /// The column holding a canonical field, or `nil` when the input has none.
    public subscript(field: CanonicalField) -> ColumnIndex? {
        get { indices[field] }
        set { indices[field] = newValue }
    }

    /// The mapped fields.
    public var fields: [CanonicalField] { indices.keys.sorted() }
}
