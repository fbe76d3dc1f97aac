import Foundation
import LeadRecords
import RunStore

/// The previous run of the same pipeline history, and how a lead changed since.
struct RunHistory: Sendable {
    let previousRun: RunRecord?
    let previous: [String: LeadSnapshot]

    static let empty = RunHistory(previousRun: nil, previous: [:])

    /// Loads the latest run of `pipeline` from the store.
    static func load(from store: RunStore, pipeline: String) throws -> RunHistory {
        guard let run = try store.latestRun(pipeline: pipeline), let id = run.id else { return .empty }
        return RunHistory(previousRun: run, previous: try store.snapshotsByEntity(runID: id))
    }

    /// The run-over-run signals of a lead, given its snapshot in this run.
    func changes(of current: LeadSnapshot) -> [ReasonCode] {
        guard let before = previous[current.entityID] else { return [] }
        var reasons: [ReasonCode] = []
        // Equal text is by far the common case; normalizing (Foundation folding) only when it differs.
        if before.title != current.title, !before.title.isEmpty, !current.title.isEmpty,
           Self.comparableTitle(before.title) != Self.comparableTitle(current.title) {
            reasons.append(.decayTitleChanged)
        }
        if before.company != current.company, !before.company.isEmpty, !current.company.isEmpty,
           Self.comparableCompany(before.company) != Self.comparableCompany(current.company) {
            reasons.append(.decayCompanyChanged)
        }
        if before.emailStatus == "valid", current.emailStatus == "invalid" { reasons.append(.decayEmailFlippedInvalid) }
        return reasons
    }

    static func comparableTitle(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// Case, punctuation and legal forms do not make a different company ("Acme Inc." is "ACME").
    static func comparableCompany(_ company: String) -> String {
        let legalForms: Set<Substring> = ["inc", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh", "ag", "sa", "the"]
        return company.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .filter { !legalForms.contains($0) }
            .joined(separator: " ")
    }
}
