import Foundation
import LeadIO
import LeadRecords
import PipelineSpec

/// Won and lost outcomes from the CRM (`labels: { path, column }`), to show how each tier converts.
///
/// Keyed by email address (trimmed, lower-cased): the CRM that knows the outcome and the list being
/// scored rarely share record ids, but they share the contact's address. Outcomes read as won:
/// `won`, `closed won`, `converted`, `yes`, `true`, `1`; as lost: `lost`, `closed lost`, `no`, `false`,
/// `0`; anything else (open opportunities) is left out.
struct OutcomeLabels: Sendable {
    let path: String
    let outcomes: [String: Bool]
    let rowsRead: Int

    static let wonWords: Set<String> = ["won", "closed won", "closed-won", "converted", "yes", "true", "1"]
    static let lostWords: Set<String> = ["lost", "closed lost", "closed-lost", "no", "false", "0"]

    init(path: String, outcomeColumn: String, emailColumn: String) throws(OptionProblem) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw OptionProblem(option: "labels", "labels file '\(path)' does not exist")
        }
        do {
            let reader = try RecordReader(path: path, format: RecordFormat.resolve(name: "auto", path: path, delimiter: nil))
            let header = reader.columns
            func position(_ name: String) -> Int? {
                header.firstIndex(of: name) ?? header.firstIndex { $0.lowercased() == name.lowercased() }
            }
            guard let outcome = position(outcomeColumn) else {
                throw OptionProblem(option: "labels", "labels file '\(path)' has no column '\(outcomeColumn)'"
                                    + NearestName.hint(for: outcomeColumn, among: header))
            }
            guard let email = position(emailColumn) else {
                throw OptionProblem(option: "labels", "labels file '\(path)' has no column '\(emailColumn)' (set labels.email_column)"
                                    + NearestName.hint(for: emailColumn, among: header))
            }
            let parser = RecordParser(format: reader.format, columns: header)
            var outcomes: [String: Bool] = [:]
            var rows = 0
            while let raw = try reader.nextChunk() {
                for record in parser.parse(raw, width: header.count).records where record.isActive {
                    rows += 1
                    let key = Self.key(record.fields[email])
                    let word = record.fields[outcome].trimmingCharacters(in: .whitespaces).lowercased()
                    guard !key.isEmpty else { continue }
                    if Self.wonWords.contains(word) { outcomes[key] = true } else if Self.lostWords.contains(word), outcomes[key] == nil {
                        outcomes[key] = false
                    }
                }
            }
            self.outcomes = outcomes
            rowsRead = rows
        } catch let problem as OptionProblem {
            throw problem
        } catch {
            throw OptionProblem(option: "labels", "labels file '\(path)': \(error)")
        }
    }

    static func key(_ email: String) -> String { email.trimmingCharacters(in: .whitespaces).lowercased() }

    /// The outcome of the lead with this address: won, lost, or `nil` when unknown.
    func outcome(email: String) -> Bool? {
        guard !email.isEmpty else { return nil }
        return outcomes[Self.key(email)]
    }
}
