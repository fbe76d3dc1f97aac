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

    /// The run-over-run signals of a lead, given its snapshot in this run and where the previous
    /// run's snapshot of the same entity is in ``previous``.
    /// - Parameter companyKey: the run's company key; a company whose key is unchanged did not change.
    func changes(of current: LeadSnapshot, previousAt position: Int, companyKey: CompanyKey) -> [ReasonCode] {
        var reasons: [ReasonCode] = []
        // Equal text is by far the common case; normalizing (Foundation folding) only when it differs.
        if !previous.text(.title, at: position, equals: current.title), !previous.isEmpty(.title, at: position), !current.title.isEmpty,
           Self.comparableTitle(previous.text(.title, at: position)) != Self.comparableTitle(current.title) {
            reasons.append(.decayTitleChanged)
        }
        if !previous.text(.company, at: position, equals: current.company), !previous.isEmpty(.company, at: position),
           !current.company.isEmpty,
           companyKey.key(previous.text(.company, at: position)) != companyKey.key(current.company) {
            reasons.append(.decayCompanyChanged)
        }
        if previous.text(.emailStatus, at: position, equals: EmailStatus.valid.rawValue), current.emailStatus == EmailStatus.invalid.rawValue {
            reasons.append(.decayEmailFlippedInvalid)
        }
        return reasons
    }

    static func comparableTitle(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }
}
