import DomainNames
import Foundation
import LeadIO
import LeadRecords
import PipelineSpec

/// People and companies that must not be contacted, from CSV (or TSV/JSONL) files: one entry per row, an
/// address or a domain, with a reason.
///
/// Columns: `email` (an address, matched through the shared mailbox identity, so `Jo.Doe+x@Gmail.com`
/// matches an entry `jodoe@gmail.com`), `domain` (every address at that registrable domain), or one
/// `entry` column holding either; `reason` is optional and copied into the row's detail. An entry that
/// is neither is an error at its `file:line`, since skipping it could mail someone who asked not to be.
package struct DoNotContactList: Sendable {
    /// What an entry matched.
    public struct Match: Sendable, Equatable {
        public enum Kind: String, Sendable { case address, domain }
        public var kind: Kind
        /// The entry as the file wrote it.
        public var entry: String
        public var reason: String
        /// `file:line` of the entry.
        public var origin: String
    }

    private var addresses: [String: Match] = [:]
    private var domains: [String: Match] = [:]

    /// How many entries of each kind were read.
    package var addressCount: Int { addresses.count }
    /// How each file was read when its encoding or delimiter was detected (``ReadsReferenceFiles``).
    package private(set) var readNotes: [String] = []
    package var domainCount: Int { domains.count }

    public init() {}

    // Header names squashed to letters and digits, in English and as German, French and Spanish CRMs and
    // Excel users name them (`E-Mail-Adresse`, `Courriel`, `Grund`).
    static let emailHeaders = ["email", "emailaddress", "address", "mail", "emailadresse", "adresseemail", "courriel", "correoelectronico"]
    static let domainHeaders = ["domain", "companydomain", "registrabledomain", "domaine", "dominio"]
    static let entryHeaders = ["entry", "value", "emailordomain", "identity", "mailboxidentity"]
    static let reasonHeaders = ["reason", "note", "notes", "comment", "type", "source", "grund", "bemerkung", "raison", "motivo"]

    /// Adds the entries of one file.
    /// - Throws: ``PipelineFileError`` at the file and line of an unreadable entry or a missing column.
    public mutating func load(path: String) throws {
        let reader: RecordReader
        do {
            // Kept in Excel as often as not: its `;` and Windows-1252 are read as the lead list's are, so
            // an entry is never lost to an unreadable row or a header read as one column.
            let format = RecordFormat.resolve(name: "auto", path: path, delimiter: nil)
            reader = try RecordReader(path: path, format: format, encoding: .auto, sniffsDelimiter: format == .csv)
        } catch {
            throw PipelineFileError([Diagnostic(file: path, location: .start, message: "cannot read the do-not-contact list: \(error)")])
        }
        readNotes += [reader.encoding.note(for: path, isRunInput: false), reader.delimiterNote].compactMap { $0 }
        let squashed = reader.columns.map { String($0.lowercased().filter { $0.isLetter || $0.isNumber }) }
        func column(_ names: [String]) -> Int? { squashed.firstIndex { names.contains($0) } }
        let email = column(Self.emailHeaders), domain = column(Self.domainHeaders), entry = column(Self.entryHeaders)
        let reason = column(Self.reasonHeaders)
        guard email != nil || domain != nil || entry != nil else {
            throw PipelineFileError([Diagnostic(
                file: path, location: .start,
                message: "the do-not-contact list needs an `email`, `domain` or `entry` column; its header has: "
                    + reader.columns.joined(separator: ", ")
                    + NearestName.hint(for: reader.columns.first ?? "", among: ["email", "domain", "entry"]))])
        }
        let parser = RecordParser(format: reader.format, columns: reader.columns)
        var problems: [Diagnostic] = []
        while let raw = try reader.nextChunk() {
            for record in parser.parse(raw, width: reader.columns.count).records {
                let at = SourceLocation(line: record.line, column: 1)
                guard record.isActive else {
                    problems.append(Diagnostic(file: path, location: at, message: "this do-not-contact row cannot be read"))
                    continue
                }
                let why = reason.map { record.fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
                let origin = "\((path as NSString).lastPathComponent):\(record.line)"
                var values: [(String, Bool?)] = []
                if let email { values.append((record.fields[email], true)) }
                if let domain { values.append((record.fields[domain], false)) }
                if let entry { values.append((record.fields[entry], nil)) }
                var added = false
                for (text, isAddress) in values {
                    let value = text.trimmingCharacters(in: .whitespaces)
                    guard !value.isEmpty else { continue }
                    if isAddress ?? value.contains("@") {
                        guard let address = SubjectAddress(value) else {
                            problems.append(Diagnostic(file: path, location: at, message: "'\(value)' is not an email address"))
                            continue
                        }
                        if addresses[address.identityKey] == nil {
                            addresses[address.identityKey] = Match(kind: .address, entry: value, reason: why, origin: origin)
                        }
                    } else {
                        guard let host = HostName.fromWebsite(value) ?? HostName.asciiForm(value),
                              let registrable = PublicSuffixList.shared.registrableDomain(of: host) else {
                            problems.append(Diagnostic(file: path, location: at, message: "'\(value)' is not a domain"))
                            continue
                        }
                        if domains[registrable] == nil {
                            domains[registrable] = Match(kind: .domain, entry: value, reason: why, origin: origin)
                        }
                    }
                    added = true
                }
                if !added, values.allSatisfy({ $0.0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    problems.append(Diagnostic(file: path, location: at, message: "this do-not-contact row has no address or domain"))
                }
            }
        }
        if !problems.isEmpty { throw PipelineFileError(problems) }
    }

    /// The entry an address falls under: its mailbox first, then its registrable domain.
    public func match(_ address: SubjectAddress) -> Match? {
        addresses[address.identityKey] ?? domains[address.registrableDomain]
    }
}
