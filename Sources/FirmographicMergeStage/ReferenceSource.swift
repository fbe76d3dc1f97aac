import DomainNames
import Foundation
import LeadFacts
import LeadIO
import LeadRecords

/// One reference file (CSV, TSV or JSONL) loaded into memory and indexed for the join.
///
/// Rows are indexed by registrable domain (from the domain or website column) and by
/// the run's ``CompanyKey``; the first row wins when two rows share a key, and the repeats are counted.
package final class ReferenceSource: Sendable {
    /// How the pipeline file names the source; it is what `prefer:` lists and `__source` columns say.
    public let name: String
    public let path: String
    /// The date the source's data is valid for, as written in the pipeline file (`2026-10-01`).
    public let asOf: String
    /// Whether leads join to it by domain (with name fallback) or by name only.
    package let joinsByDomain: Bool
    /// The provenance written next to values taken from this source: `name@as_of`.
    public let provenance: String
    /// The distinct provenance texts of the rows (a file's own `as_of` column dates each row, and a
    /// row's date beats the source's); ``ReferenceTable/provenanceOfRow`` indexes them. Held once
    /// each, not once per row: a million merged values then point at a handful of strings.
    let provenances: [String]

    /// Field values per row, flat: row `r`, slot `s` (slots follow ``FirmographicField/all``) at
    /// `r * FirmographicField.all.count + s`; empty when absent. One block instead of an array per row.
    let table: ReferenceTable
    /// Each row's registrable domain and company name key (empty when none), for conflict checks.
    let rowDomains: [String]
    let rowNameKeys: [String]
    let byDomain: [String: Int32]
    let byNameKey: [String: Int32]

    /// Figures for the report.
    public let rowsRead: Int
    public let rowsSkipped: Int
    package let duplicateDomains: Int
    /// Which reference column each field was read from.
    package let fieldColumns: [(field: String, column: String)]
    /// How the file was read when its encoding or delimiter was detected (``ReadsReferenceFiles``).
    package let readNotes: [String]

    /// Loads and indexes a reference file.
    /// - Parameter columns: field name → the file's column name; fields not given are found by ``FirmographicField/aliases``.
    ///   A column named `as_of` (or mapped as `as_of`) dates each row; otherwise `asOf` dates them all.
    /// - Throws: ``InputOutputError`` when the file cannot be read, ``OptionProblem`` when a mapped column is missing.
    public init(name: String, path: String, asOf: String, joinsByDomain: Bool, format: RecordFormat, companyKey: CompanyKey = .standard,
                columns explicit: [String: String]) throws {
        self.name = name
        self.path = path
        self.asOf = asOf
        self.joinsByDomain = joinsByDomain
        let sourceProvenance = asOf.isEmpty ? name : name + "@" + asOf
        provenance = sourceProvenance

        // Reference files come from the same spreadsheets as lead lists: Excel's `;` and Windows-1252 are read as
        // the input is, rather than every row being skipped as one unreadable column.
        let reader = try RecordReader(path: path, format: format, encoding: .auto, sniffsDelimiter: format == .csv)
        let header = reader.columns
        readNotes = [reader.encoding.note(for: path, isRunInput: false), reader.delimiterNote].compactMap { $0 }
        let normalizedHeader = header.map(FirmographicField.normalizedHeader)
        var slots: [Int?] = []
        var used: [(String, String)] = []
        for field in FirmographicField.all {
            var position: Int?
            if let given = explicit[field.name] {
                position = header.firstIndex(of: given)
                    ?? normalizedHeader.firstIndex(of: FirmographicField.normalizedHeader(given))
                guard position != nil else {
                    throw ReferenceSourceError.missingColumn(source: name, field: field.name, column: given, header: header)
                }
            } else {
                for candidate in [field.name] + field.aliases {
                    if let found = normalizedHeader.firstIndex(of: candidate), !slots.contains(found) {
                        position = found
                        break
                    }
                }
            }
            slots.append(position)
            if let position { used.append((field.name, header[position])) }
        }
        fieldColumns = used
        let asOfPosition = explicit["as_of"].flatMap { header.firstIndex(of: $0) } ?? normalizedHeader.firstIndex(of: "as_of")

        let parser = RecordParser(format: reader.format, columns: header)
        var rows: [String] = []
        var rowCount = 0
        var byDomain: [String: Int32] = [:]
        var byNameKey: [String: Int32] = [:]
        var provenances = [sourceProvenance]
        var provenanceNumbers = [sourceProvenance: Int32(0)]
        var provenanceOfRow: [Int32] = []
        var rowDomains: [String] = [], rowNameKeys: [String] = []
        var skipped = 0, duplicates = 0
        let domainSlot = slots[FirmographicField.all.firstIndex(of: .domain)!]
        let nameSlot = slots[FirmographicField.all.firstIndex(of: .companyName)!]
        while let raw = try reader.nextChunk() {
            for record in parser.parse(raw, width: header.count).records {
                guard record.isActive else { skipped += 1; continue }
                let values = slots.map { $0.map { record.fields[$0].trimmedSpaces } ?? "" }
                let row = Int32(rowCount)
                let domain = domainSlot.flatMap { Self.registrableDomain(ofWebsite: record.fields[$0]) }
                let key = nameSlot.flatMap { companyKey.distinctiveKey(record.fields[$0]) } ?? ""
                guard domain != nil || !key.isEmpty else { skipped += 1; continue }
                if let domain {
                    if byDomain[domain] == nil { byDomain[domain] = row } else { duplicates += 1 }
                }
                if !key.isEmpty, byNameKey[key] == nil { byNameKey[key] = row }
                rows.append(contentsOf: values)
                rowCount += 1
                rowDomains.append(domain ?? "")
                rowNameKeys.append(key)
                if let asOfPosition {
                    let rowAsOf = record.fields[asOfPosition].trimmedSpaces
                    let text = rowAsOf.isEmpty ? sourceProvenance : name + "@" + rowAsOf
                    if let number = provenanceNumbers[text] {
                        provenanceOfRow.append(number)
                    } else {
                        provenanceNumbers[text] = Int32(provenances.count)
                        provenanceOfRow.append(Int32(provenances.count))
                        provenances.append(text)
                    }
                } else {
                    provenanceOfRow.append(0)
                }
            }
        }
        table = ReferenceTable(rows, provenanceOfRow: provenanceOfRow, provenances: provenances)
        self.rowDomains = rowDomains
        self.rowNameKeys = rowNameKeys
        self.provenances = provenances
        self.byDomain = byDomain
        self.byNameKey = byNameKey
        rowsRead = rowCount
        rowsSkipped = skipped
        duplicateDomains = duplicates
    }

    /// The registrable domain of a website, URL, bare host or email address.
    static func registrableDomain(ofWebsite value: String) -> String? { JoinDomain.registrable(value) }

    /// The row for a registrable domain.
    func row(forDomain domain: String) -> Int32? { byDomain[domain] }

    /// The provenance of a row's values: `name@as_of`, with the row's own as_of when the file has one.
    func provenance(row: Int32) -> String { provenances[Int(table.provenanceOfRow[Int(row)])] }

    /// A field's value in a row, or empty.
    func value(row: Int32, slot: Int) -> String { table.base[Int(row) * ReferenceTable.rowWidth + slot] }
}

/// A reference file's values in one block the join reads through a pointer: reading a row's values
/// then costs no retain of an array per access, only of the string copied into the lead.
final class ReferenceTable: @unchecked Sendable {
    // Immutable after init; the pointer is only read.
    let base: UnsafeMutablePointer<String>
    let count: Int
    /// Per row, which of the source's ``ReferenceSource/provenances`` dates its values.
    let provenanceOfRow: UnsafeMutablePointer<Int32>
    let rows: Int
    /// The same values' UTF-8 bytes back to back, value `i` ending at `valueEnds[i]`, and the source's provenance
    /// texts likewise: a merged value and its provenance are copied into the lead's row as bytes, without a string
    /// and its reference count.
    let valueBytes: UnsafeMutablePointer<UInt8>
    let valueEnds: UnsafeMutablePointer<UInt32>
    let provenanceBytes: UnsafeMutablePointer<UInt8>
    let provenanceEnds: UnsafeMutablePointer<UInt32>
    /// Values per row: one per ``FirmographicField/all``, as a constant so the join does not go through the global.
    static let rowWidth = 15

    init(_ values: [String], provenanceOfRow: [Int32], provenances: [String]) {
        precondition(Self.rowWidth == FirmographicField.all.count)
        rows = provenanceOfRow.count
        self.provenanceOfRow = .allocate(capacity: max(1, rows))
        _ = UnsafeMutableBufferPointer(start: self.provenanceOfRow, count: rows).initialize(from: provenanceOfRow)
        count = values.count
        base = .allocate(capacity: max(1, values.count))
        _ = UnsafeMutableBufferPointer(start: base, count: values.count).initialize(from: values)
        (valueBytes, valueEnds) = Self.pack(values)
        (provenanceBytes, provenanceEnds) = Self.pack(provenances)
    }

    /// Texts' UTF-8 bytes back to back, with where each ends.
    private static func pack(_ texts: [String]) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt32>) {
        let byteCount = texts.reduce(0) { $0 + $1.utf8.count }
        precondition(byteCount < Int(UInt32.max), "a reference file's values fit in 4 GiB")
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, byteCount))
        let ends = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, texts.count))
        var end = 0
        for (i, text) in texts.enumerated() {
            for byte in text.utf8 {
                bytes[end] = byte
                end += 1
            }
            ends[i] = UInt32(end)
        }
        return (bytes, ends)
    }

    /// Text `i` of bytes packed by ``pack(_:)``.
    @inline(__always) static func text(_ i: Int, bytes: UnsafePointer<UInt8>, ends: UnsafePointer<UInt32>) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : Int(ends[i - 1])
        return UnsafeBufferPointer(start: bytes + start, count: Int(ends[i]) - start)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
        provenanceOfRow.deallocate()
        valueBytes.deallocate()
        valueEnds.deallocate()
        provenanceBytes.deallocate()
        provenanceEnds.deallocate()
    }
}

/// A reference file whose columns do not fit the pipeline file.
package enum ReferenceSourceError: Error, CustomStringConvertible {
    case missingColumn(source: String, field: String, column: String, header: [String])

    public var description: String {
        switch self {
        case .missingColumn(let source, let field, let column, let header):
            "source '\(source)': field '\(field)' is mapped to column '\(column)', which the file does not have (columns: \(header.joined(separator: ", ")))"
        }
    }
}
