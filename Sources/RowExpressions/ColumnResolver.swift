import LeadRecords
import PipelineSpec

/// Finds the column a condition names: a canonical field's mapped input column (`title`, `country`),
/// else any column of the run's schema by its exact name — an input column (`` `Account Owner` ``) or
/// one an earlier stage added (`firmo_employee_count`, `email_reason`, `decay_mailable`).
///
/// The schema at bind time holds exactly the input's columns and those of the stages before, so a
/// name it lacks is a typo or a stage out of order; either way the condition could never hold, and
/// the pipeline is refused at the name, with the nearest column.
public struct ColumnResolver: Sendable {
    public let schema: Schema
    public let columns: ColumnBindings

    public init(schema: Schema, columns: ColumnBindings) {
        self.schema = schema
        self.columns = columns
    }

    public func resolve(_ reference: ColumnReference) throws(ExpressionError) -> ColumnIndex {
        if let field = CanonicalField.named(reference.name) {
            if let index = columns[field] { return index }
            if let index = schema.index(of: reference.name) { return index }
            throw ExpressionError(offset: reference.offset,
                                  "'\(reference.name)' is a canonical field, but no input column is mapped to it; "
                                  + "add `columns: { \(reference.name): \"Your Column\" }`")
        }
        if let index = schema.index(of: reference.name) { return index }
        let candidates = columns.fields.map(\.name) + schema.columns
        throw ExpressionError(offset: reference.offset,
                              "'\(reference.name)' names no column: the input lacks it and no earlier stage writes it"
                              + NearestName.hint(for: reference.name, among: candidates))
    }
}
