import Foundation
import LeadIO
import LeadRecords

/// The ESP's bounce and suppression export: addresses that must never be mailed.
///
/// A CSV/TSV/JSONL file with an email column and, optionally, a type column. Types are read
/// loosely because every ESP names them differently: anything with `complain`, `spam` or `abuse`
/// is a complaint; `unsub` or `opt` an unsubscribe; `soft` a soft bounce (ignored: it is
/// temporary); `bounce`, `hard` or `invalid` a hard bounce; anything else a plain suppression.
public struct SuppressionList: Sendable {
    /// What the ESP reported for an address.
    public enum Kind: String, Sendable, CaseIterable {
        case hardBounce = "hard_bounce", unsubscribe, complaint, listed

        var reason: ReasonCode {
            switch self {
            case .hardBounce: .suppressedHardBounce
            case .unsubscribe: .suppressedUnsubscribe
            case .complaint: .suppressedComplaint
            case .listed: .suppressedListed
            }
        }

        /// When one address appears several times, the strongest kind wins.
        var strength: Int {
            switch self {
            case .complaint: 3
            case .hardBounce: 2
            case .unsubscribe: 1
            case .listed: 0
            }
        }
    }

    private let entries: [String: Kind]
    /// Rows that were soft bounces, unreadable or had no address.
    public let ignoredRows: Int

    /// Builds a list from addresses already in hand.
    public init(_ entries: [String: Kind]) {
        var normalized: [String: Kind] = [:]
        for (email, kind) in entries { normalized[Self.normalize(email)] = kind }
        self.entries = normalized
        ignoredRows = 0
    }

    /// Loads the file.
    /// - Throws: ``SuppressionListError`` when the email column is missing, or the reader's error.
    public init(path: String, emailColumn: String, typeColumn: String) throws {
        let reader = try RecordReader(path: path, format: RecordFormat.resolve(name: "auto", path: path, delimiter: nil))
        let lowered = reader.columns.map { $0.lowercased() }
        guard let emailIndex = reader.columns.firstIndex(of: emailColumn) ?? lowered.firstIndex(of: emailColumn.lowercased()) else {
            throw SuppressionListError.missingColumn(emailColumn, reader.columns)
        }
        let typeIndex = reader.columns.firstIndex(of: typeColumn) ?? lowered.firstIndex(of: typeColumn.lowercased())
        let parser = RecordParser(format: reader.format, columns: reader.columns)
        var entries: [String: Kind] = [:]
        var ignored = 0
        while let raw = try reader.nextChunk() {
            for record in parser.parse(raw, width: reader.columns.count).records {
                guard record.isActive else { ignored += 1; continue }
                let email = Self.normalize(record.fields[emailIndex])
                guard !email.isEmpty, let kind = Self.kind(typeIndex.map { record.fields[$0] } ?? "") else { ignored += 1; continue }
                if let existing = entries[email], existing.strength >= kind.strength { continue }
                entries[email] = kind
            }
        }
        self.entries = entries
        ignoredRows = ignored
    }

    /// The kind of an ESP event type, or `nil` for a soft bounce.
    static func kind(_ type: String) -> Kind? {
        let t = type.lowercased()
        if t.contains("complain") || t.contains("spam") || t.contains("abuse") { return .complaint }
        if t.contains("unsub") || t.contains("opt") { return .unsubscribe }
        if t.contains("soft") { return nil }
        if t.contains("bounce") || t.contains("hard") || t.contains("invalid") { return .hardBounce }
        return .listed
    }

    static func normalize(_ email: String) -> String { email.trimmingCharacters(in: .whitespaces).lowercased() }

    /// What the list says about an address.
    public func kind(of email: String) -> Kind? { entries.isEmpty ? nil : entries[Self.normalize(email)] }

    public var count: Int { entries.count }
}

/// A suppression file that cannot be used.
public enum SuppressionListError: Error, CustomStringConvertible {
    case missingColumn(String, [String])

    public var description: String {
        switch self {
        case .missingColumn(let column, let header):
            "the suppression file has no '\(column)' column (columns: \(header.joined(separator: ", ")))"
        }
    }
}
