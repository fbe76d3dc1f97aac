/// One lead of a recorded run: the version of its snapshot it points at and what changes every run.
///
/// What a `run_lead` row held before migration `v-packed-runs`; the store now keeps a run's leads
/// packed (``RunLeadPack``), and ``RunStore/runLeads(runID:)`` reads them back.
public struct RunLeadEntry: Sendable, Equatable {
    /// The `lead_record` (view `lead_version`) row with the lead's snapshot.
    public var versionID: Int64
    /// The input line the lead was on in the run.
    public var line: Int
    public var decayStatus: String
    public var decayScore: Double?
    /// The lead's shared set of enrichment values (`enrichment_set`), if it had any.
    public var enrichmentSetID: Int64?

    public init(versionID: Int64, line: Int, decayStatus: String, decayScore: Double?, enrichmentSetID: Int64?) {
        self.versionID = versionID
        self.line = line
        self.decayStatus = decayStatus
        self.decayScore = decayScore
        self.enrichmentSetID = enrichmentSetID
    }
}

/// How `run_lead_pack.leads` holds up to ``chunkSize`` leads of a run, in entity-id order (migration `v-packed-runs`).
///
/// A row per lead and run cost about 29 bytes with SQLite's record header, key and cell; packed, a lead
/// takes about nine: version ids and lines as zigzag deltas from the lead before (consecutive leads mostly
/// point at consecutive versions), the decay status as an index into the chunk's few distinct statuses,
/// the score in thousandths when it is one (decay writes three decimals) and as its 8 bytes otherwise.
///
/// Layout: format (1); status count, then each status as a length-prefixed string; lead count; per lead
/// the version delta, line delta, status index, score tag (0 none, 1 the next 8 bytes, n ≥ 2 thousandths
/// n − 2), and the enrichment set id + 1 (0 none).
enum RunLeadPack {
    static let format: UInt64 = 1
    /// Leads per blob: big enough that the blob's own header and SQLite's row cost little, small enough
    /// that erasing one person rewrites a few kilobytes.
    static let chunkSize = 4096
    /// Up to this many distinct statuses, a lead's is found by scanning them.
    private static let scannedStatuses = 8

    static func encode(_ leads: some Collection<RunLeadEntry>) -> [UInt8] {
        // Each lead's status index found once: a chunk has a handful of statuses, so a scan of them compares a
        // few short strings where a dictionary hashed every lead's status twice.
        // (A blob with unusually many statuses falls back to the dictionary, so no chunk costs a scan per lead of
        // thousands.)
        var statuses: [String] = []
        var statusIndex: [String: Int] = [:]
        var statusIndexes: [Int] = []
        statusIndexes.reserveCapacity(leads.count)
        for lead in leads {
            let known = statuses.count <= Self.scannedStatuses ? statuses.firstIndex(of: lead.decayStatus)
                                                               : statusIndex[lead.decayStatus]
            if let known {
                statusIndexes.append(known)
            } else {
                statusIndex[lead.decayStatus] = statuses.count
                statusIndexes.append(statuses.count)
                statuses.append(lead.decayStatus)
            }
        }
        var writer = PackedWriter(capacity: 16 + leads.count * 12)
        writer.append(unsigned: format)
        writer.append(unsigned: UInt64(statuses.count))
        for status in statuses { writer.append(bytesOf: Array(status.utf8)) }
        writer.append(unsigned: UInt64(leads.count))
        var previousVersion: Int64 = 0, previousLine: Int64 = 0
        for (lead, statusIndex) in zip(leads, statusIndexes) {
            writer.append(signed: lead.versionID &- previousVersion)
            writer.append(signed: Int64(lead.line) &- previousLine)
            previousVersion = lead.versionID
            previousLine = Int64(lead.line)
            writer.append(unsigned: UInt64(statusIndex))
            appendScore(lead.decayScore, to: &writer)
            writer.append(unsigned: lead.enrichmentSetID.map { UInt64(bitPattern: $0) &+ 1 } ?? 0)
        }
        return writer.bytes
    }

    private static func appendScore(_ score: Double?, to writer: inout PackedWriter) {
        guard let score else { writer.append(unsigned: 0); return }
        let thousandths = (score * 1000).rounded()
        // Only when the thousandths give back exactly the same Double (sign of zero included).
        if thousandths >= 0, thousandths < 1e15, (Double(UInt64(thousandths)) / 1000).bitPattern == score.bitPattern {
            writer.append(unsigned: UInt64(thousandths) + 2)
        } else {
            writer.append(unsigned: 1)
            writer.append(raw: score.bitPattern)
        }
    }

    /// How many leads a blob holds, without decoding them.
    static func count(_ blob: UnsafeRawBufferPointer) throws -> Int {
        var reader = PackedReader(blob)
        try readHeader(&reader)
        return try reader.count()
    }

    @discardableResult
    private static func readHeader(_ reader: inout PackedReader) throws -> [String] {
        let version = try reader.unsigned()
        guard version == format else { throw PackedBlobError.unknownFormat(version) }
        let statusCount = try reader.count()
        var statuses: [String] = []
        statuses.reserveCapacity(statusCount)
        for _ in 0..<statusCount { statuses.append(String(decoding: try reader.byteString(), as: UTF8.self)) }
        return statuses
    }

    /// Calls `body` with each lead of a blob, in order.
    static func decode(_ blob: UnsafeRawBufferPointer, _ body: (RunLeadEntry) throws -> Void) throws {
        var reader = PackedReader(blob)
        let statuses = try readHeader(&reader)
        let count = try reader.count()
        var version: Int64 = 0, line: Int64 = 0
        for _ in 0..<count {
            version = version &+ (try reader.signed())
            line = line &+ (try reader.signed())
            let statusIndex = try reader.count()
            guard statusIndex < statuses.count else { throw PackedBlobError.truncated }
            let scoreTag = try reader.unsigned()
            let score: Double? = switch scoreTag {
            case 0: nil
            case 1: Double(bitPattern: try reader.raw())
            default: Double(scoreTag - 2) / 1000
            }
            let set = try reader.unsigned()
            try body(RunLeadEntry(versionID: version, line: Int(line), decayStatus: statuses[statusIndex], decayScore: score,
                                  enrichmentSetID: set == 0 ? nil : Int64(bitPattern: set &- 1)))
        }
    }

    static func decode(_ blob: UnsafeRawBufferPointer) throws -> [RunLeadEntry] {
        var leads: [RunLeadEntry] = []
        try decode(blob) { leads.append($0) }
        return leads
    }
}
