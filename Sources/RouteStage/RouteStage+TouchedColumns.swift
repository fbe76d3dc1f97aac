import LeadRecords
import PipelineSpec

extension RouteStage.Bound {
    /// route reads a lead's key, the columns its account match and its rules read and the owner columns its rules
    /// name, and writes its account and routing columns; it neither reads nor writes a row that is not active. The
    /// rest of each held row can wait on disk while it runs (a million scored rows held whole took most of a run's
    /// memory).
    public var touchedColumns: TouchedColumns? {
        var positions = [columns.owner, columns.pool, columns.rule, columns.reason].map(\.position)
        if let account = columns.account { positions += [account.id, account.match, account.owner].map(\.position) }
        positions += columns.domainSources.map(\.position)
        positions += [columns.email, columns.company, columns.entity, columns.recordID].compactMap { $0?.position }
        for rule in rules { positions += rule.condition?.columns.map(\.index.position) ?? [] }
        positions += steps.map(\.ownerColumn).filter { $0 >= 0 }
        // An owner's address, a pool, a rule's line and a reason, and an account's id, match and owner.
        return TouchedColumns(positions: Set(positions).sorted(), writtenBytes: 96) { record in
            record.isActive ? .touchedColumns : .nothing
        }
    }
}
