import GRDB
import LeadRecords

/// Reads a run whose leads are packed (`run_lead_pack`): its leads in entity-id order, each joined to
/// its version (`lead_record`) and the version's texts (`lead_text`), in one pass over each table.
enum PackedRunRead {
    /// Where ``LeadRecordRows`` keeps each text id.
    enum TextColumn: Int {
        case emailDomain, firstName, lastName, title, company, domain, emailStatus, webStatus, webRedirectDomain, disposition
    }

    /// A run's snapshots, in entity-id order.
    static func snapshots(runID: Int64, db: Database) throws -> [LeadSnapshot] {
        let leads = try RunLeadPacks.leads(runID: runID, db: db)
        let rows = try LeadRecordRows(ids: leads.map(\.versionID), db: db)
        let texts = try LeadTextTable(db: db)
        var snapshots: [LeadSnapshot] = []
        snapshots.reserveCapacity(leads.count)
        for (position, lead) in leads.enumerated() {
            guard let row = rows.row(at: position) else { continue }
            func text(_ column: TextColumn) -> String { texts.string(rows.textID(row, column.rawValue)) }
            snapshots.append(LeadSnapshot(
                entityID: rows.withEntity(row) { String(cStringBytes: $0) }, line: lead.line,
                email: String(cStringBytes: email(row, rows: rows, texts: texts)),
                firstName: text(.firstName), lastName: text(.lastName), title: text(.title), company: text(.company),
                domain: text(.domain), emailStatus: text(.emailStatus), webStatus: text(.webStatus),
                webRedirectDomain: text(.webRedirectDomain), decayStatus: lead.decayStatus, decayScore: lead.decayScore,
                disposition: text(.disposition)))
        }
        return snapshots
    }

    /// A run's snapshots reduced to what the next run compares (``ComparableSnapshots``).
    static func comparableSnapshots(runID: Int64, db: Database) throws -> ComparableSnapshots {
        let leads = try RunLeadPacks.leads(runID: runID, db: db)
        let rows = try LeadRecordRows(ids: leads.map(\.versionID), db: db)
        let texts = try LeadTextTable(db: db)
        var snapshots = ComparableSnapshots()
        snapshots.reserve(leads.count)
        // One buffer for every lead's email: an array made per lead was a million allocations.
        var email: [UInt8] = []
        for (position, lead) in leads.enumerated() {
            guard let row = rows.row(at: position) else { continue }
            // As GRDB read the column: up to its first NUL.
            snapshots.appendSnapshot(entityID: rows.withEntity(row) { String(cStringBytes: $0) }, line: lead.line)
            email.removeAll(keepingCapacity: true)
            appendEmail(row, rows: rows, texts: texts, to: &email)
            email.withUnsafeBytes { snapshots.appendText($0) }
            for column in [TextColumn.title, .company, .emailStatus] {
                texts.withText(rows.textID(row, column.rawValue)) { snapshots.appendText($0) }
            }
        }
        return snapshots
    }

    /// The version's email: the part before the `@`, then `@` and the stored part after it when it had one.
    private static func email(_ row: Int, rows: LeadRecordRows, texts: LeadTextTable) -> [UInt8] {
        var email: [UInt8] = []
        appendEmail(row, rows: rows, texts: texts, to: &email)
        return email
    }

    private static func appendEmail(_ row: Int, rows: LeadRecordRows, texts: LeadTextTable, to email: inout [UInt8]) {
        rows.withEmailLocal(row) { email.append(contentsOf: $0) }
        if let domain = rows.textID(row, TextColumn.emailDomain.rawValue) {
            email.append(UInt8(ascii: "@"))
            texts.withText(domain) { email.append(contentsOf: $0) }
        }
    }
}
