import LeadRecords
import PipelineSpec

extension DedupeStage.Bound {
    /// In annotate mode dedupe reads the compared columns and a row's key, and writes its entity columns: the
    /// rest of each held row can wait on disk while it runs. Merge mode picks every column's surviving value,
    /// and a distributed step answers for slices the executor does not gather, so they hold rows whole.
    public var touchedColumns: TouchedColumns? {
        guard runMode == .annotate, stepRequest == nil else { return nil }
        let recordKeyColumn = self.recordKeyColumn, emailColumn = self.emailColumn
        let written = [entityColumn, probabilityColumn, duplicateColumn] + (explainColumn.map { [$0] } ?? [])
        let positions = Set(compareColumns.values.map(\.position) + [recordKeyColumn, emailColumn].compactMap { $0?.position }
            + written.map(\.position))
        // Every row gets an entity id (13 bytes); only duplicates get a probability, a line and an explanation.
        return TouchedColumns(positions: positions.sorted(), writtenBytes: 16) { record in
            guard record.isActive else { return .nothing }
            // A row with neither a record key nor a mailbox is keyed by its whole content (`recordKey(_:)`).
            if let recordKeyColumn, !record.isEmpty(recordKeyColumn) { return .touchedColumns }
            if let emailColumn, EmailIdentity(record[emailColumn]) != nil { return .touchedColumns }
            return .wholeRow
        }
    }
}
