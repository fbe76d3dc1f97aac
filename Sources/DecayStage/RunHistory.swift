import Foundation
import LeadFacts
import LeadRecords

/// The previous run of the same pipeline history, and how a lead changed since.
struct RunHistory: Sendable {
    let previousRun: PreviousLeadRun?
    /// The previous run's snapshots, only the fields compared here (title, company, email status)
    /// and reported for vanished leads (email, line).
    let previous: ComparableSnapshots

    static let empty = RunHistory(previousRun: nil, previous: ComparableSnapshots())

    /// Loads the latest run of `pipeline` from the history.
    static func load(from history: any LeadHistory, pipeline: String) throws -> RunHistory {
        guard let run = try history.lastRun(of: pipeline) else { return .empty }
        return RunHistory(previousRun: run, previous: run.snapshots)
    }

    /// The run-over-run signals of a lead, given its record in this run (the fields its snapshot would
    /// have, read by `extractor` from the record's bytes) and where the previous run's snapshot of the same
    /// entity is in ``previous``.
    /// - Parameter companyKey: the run's company key; a company whose key is unchanged did not change.
    func changes(of record: Record, extractor: SnapshotExtractor, previousAt position: Int, companyKey: CompanyKey) -> [ReasonCode] {
        var reasons: [ReasonCode] = []
        // Equal text is by far the common case; a string is made, and normalized (Foundation folding), only when it differs.
        extractor.withComparedText(.title, of: record) { title in
            if !previous.text(.title, at: position, equals: title), !previous.isEmpty(.title, at: position), !title.isEmpty,
               Self.comparableTitle(previous.text(.title, at: position)) != Self.comparableTitle(String(decoding: title, as: UTF8.self)) {
                reasons.append(.decayTitleChanged)
            }
        }
        extractor.withComparedText(.company, of: record) { company in
            if !previous.text(.company, at: position, equals: company), !previous.isEmpty(.company, at: position), !company.isEmpty,
               companyKey.key(previous.text(.company, at: position)) != companyKey.key(String(decoding: company, as: UTF8.self)) {
                reasons.append(.decayCompanyChanged)
            }
        }
        if previous.text(.emailStatus, at: position, equals: EmailStatus.valid.rawValue),
           extractor.withComparedText(.emailStatus, of: record, { $0.elementsEqual(EmailStatus.invalid.rawValue.utf8) }) {
            reasons.append(.decayEmailFlippedInvalid)
        }
        return reasons
    }

    static func comparableTitle(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }
}
